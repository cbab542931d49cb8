# explain withholds what events list withholds (found in review): a team or org value is
# anyone's to explain within its scope, but the titles and links of its records say whose
# activity they were, so an employee sees them only for the people they may see, on the CLI
# and over the API. explain and events list must agree record by record.
demo_db --no-reviews
# As of the demo's today (its data ends in the week of PLUMB_DEMO_AS_OF), whose default window
# holds its data whatever the day the suite runs.
PLUMB_NOW=2026-11-01 ok metrics show pr_cycle_time --json
id=$(json .value.id)
[ -n "$id" ] && [ "$id" != null ] || fail "no value to explain"

# pairs FILE: "external_id title url" of each pull request input, sorted.
pairs() { jq -r '[.inputs[] | select(.kind == "pull_request") | "\(.external_id) \(.title) \(.url)"] | unique | .[]' "$1"; }
ok --as E021 explain "$id" --json
cp "$T/out" explain.json
ok --as E021 events list --kind pull_request --limit 0 --json
jq -r --slurpfile x explain.json '($x[0].inputs | map(select(.kind == "pull_request") | .external_id)) as $ids |
	[.[] | select(.external_id as $e | $ids | index($e)) | "\(.external_id) \(.title) \(.url)"] | unique | .[]' \
	"$T/out" >listed.txt
pairs explain.json >explained.txt
[ -s explained.txt ] || fail "the value has no pull request inputs"
cmp -s explained.txt listed.txt || fail "explain and events list differ for E021: $(diff explained.txt listed.txt | head -6)"
# Both kinds are there: some withheld, and E021's own (or their team's) shown.
grep -q ' null null$' explained.txt || fail "E021 was shown every title: $(head -3 explained.txt)"
grep -qv ' null null$' explained.txt || fail "E021 was shown no title"
# The admin sees every title.
ok explain "$id" --json
pairs "$T/out" | grep -q ' null null$' && fail "the admin was not shown a title"

# A value about one person E021 may not see is refused by its id, not by whom it is about
# (found in review: the refusal named the person behind each value id).
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT (SELECT MIN(id) FROM metric_defs), 'individual', id,
  0, 1, 'all', 'count', 1, 1, '{}', 'x', 0 FROM people WHERE employee_id = 'E026'"
other=$(sql "SELECT MAX(id) FROM metric_values WHERE scope = 'individual'")
[ -n "$other" ] || fail "no individual value of E026"
run --as E021 explain "metric-value:$other"
expect_status 3
expect_err "permission denied: metric value $other is outside your scope"
grep -q E026 "$T/err" && fail "the refusal names E026: $(cat "$T/err")"
# An id that holds no value gets the same answer (it was exit 4, "no metric value"), so the
# refusal does not tell which ids hold someone's value; the admin, who sees everyone, is told.
none=$((other + 1000))
sed "s/metric value $other /metric value ID /" "$T/err" >refused.err
run --as E021 explain "metric-value:$none"
expect_status 3
sed "s/metric value $none /metric value ID /" "$T/err" | cmp -s - refused.err || fail "an unknown value id is answered apart: $(cat "$T/err")"
run explain "metric-value:$none"
expect_status 4
expect_err "no metric value $none"
# Over the API, the same.
serve
tok=$(token E021 read)
http GET "/api/v1/explain/$id" -H "Authorization: Bearer $tok"
expect_http 200
pairs "$T/out" >api.txt
cmp -s explained.txt api.txt || fail "the API's explain differs from the CLI's: $(diff explained.txt api.txt | head -6)"
http GET "/api/v1/explain/metric-value:$other" -H "Authorization: Bearer $tok"
expect_http 403
http GET "/api/v1/explain/metric-value:$none" -H "Authorization: Bearer $tok"
expect_http 403
stop_server
