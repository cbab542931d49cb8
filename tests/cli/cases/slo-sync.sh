# A Prometheus source synced live against a loopback server: each SLO's queries over
# query_range since --since (then since the cursor), stored as samples, audited, shown by
# sync --status; slo status reads them.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
api_start "$ROOT/tests/http/scenarios/prometheus-slo"
run source add prometheus --name prom
expect_status 2
expect_err "a prometheus source needs --api-url"
ok source add prometheus --name prom --api-url "$API_URL"
export PLUMB_NOW=2026-03-01T00:00:00Z
ok sync prom --since 2026-02-28T23:00:00Z --json
expect_json '.[0] | "\(.source) \(.status) \(.requests) \(.inserted)"' "prom ok 3 6"
expect_json '.[0].updated' 3 # total fills the rows good made, and adds 23:30, where good has none
# Three queries, each from --since to now; 60 s steps for Occurrences, and for a threshold
# by Timeslices a tenth of its 10-minute slice: a slice is judged on the share of its
# samples that meet the threshold (timeSliceTarget); read at the slice itself, each slice
# held one sample and timeSliceTarget did nothing (found hunting).
jq -s -e 'length == 3 and all(.[]; .path == "/api/v1/query_range" and .query.end == "1772323200.000")' "$API_LOG" >/dev/null ||
	fail "queries: $(cat "$API_LOG")"
jq -s -e '[.[] | select(.query.query | test("latency")) | .query.step] == ["60.000"]' "$API_LOG" >/dev/null || fail "latency step"
jq -s -e '[.[] | select(.query.query | test("requests_total")) | "\(.query.start) \(.query.step)"] == ["1772319600.000 60.000", "1772319600.000 60.000"]' "$API_LOG" >/dev/null ||
	fail "ratio window: $(cat "$API_LOG")"
[ "$(sql "SELECT COUNT(*) FROM sli_samples WHERE slo_name = 'api-availability' AND good IS NOT NULL AND total IS NOT NULL")" = 3 ] ||
	fail "samples: $(sql "SELECT * FROM sli_samples")"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest" and .object_type == "slo") | .object_id] | sort | join(",")' "api-availability,api-availability,api-latency"
# Status from the synced samples: 248 good of 400 (23:30 has a total but no good point: the
# good query matched nothing then, so none of its 100 was good); the last minute (50 of 100)
# puts 5m at 0.5 / 0.01 = burn 50.
ok slo status --slo api-availability --json
expect_json '.[0] | "\(.good) \(.total) \(.burn_rates["5m"]|round) \(.alert)"' "248 400 50 page"
ok sync --status --json
expect_json '[.[] | select(.source == "prom")][0].resources | map(.resource) | join(",")' \
	"slo:api-availability:good,slo:api-availability:total,slo:api-latency:value"
# The next sync starts from the cursor (the last sync's now), not from --since, less 10
# minutes: a sample that came late changed a step already read, and was never read again.
: >"$API_LOG"
export PLUMB_NOW=2026-03-01T01:00:00Z
ok sync prom --json
expect_json '.[0] | "\(.status) \(.inserted) \(.unchanged)"' "ok 0 9"
jq -s -e 'all(.[]; .query.start == "1772322600.000" and .query.end == "1772326800.000")' "$API_LOG" >/dev/null ||
	fail "the cursor did not move the window: $(cat "$API_LOG")"
# Its runs store samples, not documents: nothing for reconcile to miss.
ok reconcile prom
expect_out "prom: 0 raw payloads, 0 records (0 distinct), 0 events: 0 mismatches"
ok audit verify
