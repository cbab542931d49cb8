# The four keys on a hand-built history (tests/fixtures/metrics), every answer worked out by
# hand.  Commits c1..c5 on acme/api (one a day or so), production deployments of service api:
#   D1 c1 2026-03-01T14:00Z  baseline: a deployment, no changes counted
#   D2 c3 2026-03-04T00:00Z  ships c2 (48 h) and c3 (24 h); INC1 opens 3 h later: failed
#   D3 c5 2026-03-06T00:00Z  ships c4 (60 h) and c5 (24 h); rolled back by D4: failed
#   D4 c4 2026-03-06T02:00Z  a rollback: no new commits, another sha
# plus a staging deployment and a failed production one, which do not count, and INC2 on
# another service an hour after D1, which fails nothing.
#   deployments 4; lead time median of 24 24 48 60 = 36 h, p90 (type 7) 48 + 0.7 * 12 = 56.4 h
#   change failure rate 2 / 4 = 0.5; recovery D2 03:00 -> 05:00 = 2 h, D3 00:00 -> 02:00 = 2 h
#   weeks (Monday starts): 02-23 holds D1, 03-02 holds D2, D3, D4 on 2 days: days per week
#   median 1.5 (not daily), both weeks deployed (median 1) -> weekly
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok service map api --pagerduty PAPI
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"

ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 4
expect_json '.frequency_bucket' weekly
expect_json '.keys.deployment_frequency.band' high
expect_json '.keys.lead_time.value | "\(.value) \(.n) \(.statistic) \(.detail.p90 * 1000 | round) \(.detail.mean)"' "36 4 median 56400 39"
expect_json '.keys.lead_time.band' high
# Merge to deploy: every commit was pushed straight to the branch, so each landed at its
# own time, and the figures are lead time's (the engine's unit test has merges and PRs).
expect_json '.merge_to_deploy | "\(.n) \(.median_hours) \(.p90_hours * 1000 | round)"' "4 36 56400"
expect_json '.keys.change_failure_rate.value | "\(.value) \(.detail.numerator) \(.detail.denominator)"' "0.5 2 4"
expect_json '.keys.change_failure_rate.band' low
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 2"
expect_json '.bands_source' "Accelerate State of DevOps Report 2023 (DORA, Google Cloud)"
cp "$T/out" "$T/dora.json"
lead=$(jq -r '.keys.lead_time.value.id' "$T/dora.json")

# The lead time's lineage: each deployment with its commit range, down to the raw payload.
ok explain "$lead" --json
expect_json '.definition | "\(.key) \(.version) \(.status)"' "lead_time 1 active"
expect_json '[.inputs[] | select(.role == "changes") | "\(.external_id) \(.from_sha[0:2])..\(.to_sha[0:2]) \(.commits)"] | join(",")' \
	"D2 c1..c3 2,D3 c3..c5 2"
expect_json '[.inputs[] | select(.role == "deployment") | .external_id] | join(",")' "D2,D3"
expect_json '.inputs[0].raw_payload.origin' "$FIXTURES/metrics/deploys.csv"
expect_json '.inputs[0].source' deploys
ok explain "$lead"
expect_out "commits c1c1c1c1c1c1..c3c3c3c3c3c3 (2)"

# The failure rate names the incident and the restoring deployment.
cfr=$(jq -r '.keys.change_failure_rate.value.id' "$T/dora.json")
ok explain "$cfr" --json
expect_json '[.inputs[] | select(.role == "incident") | .external_id] | join(",")' INC1
expect_json '[.inputs[] | select(.role == "restoring-deployment") | .external_id] | join(",")' D4
# ... and the numerator's deployments, each as failed-deployment (found in review: nothing
# told the failed ones from the rest).
expect_json '[.inputs[] | select(.role == "failed-deployment") | .external_id] | join(",")' D2,D3
# Every input has every field, null where it does not apply (found in review: left out).
expect_json '[.inputs[] | select(.role == "incident") | has("from_sha") and has("done_at") and .commits == null and .range_unknown == null] | all' true
# D4's range is known and holds no new commit (the rollback): 0, not unknown.
expect_json '[.inputs[] | select(.role == "changes") | "\(.external_id) \(.commits) \(.range_unknown)"] | join(",")' \
	"D2 2 false,D3 2 false,D4 0 false"

# Asked again with nothing changed: the stored values, no new audit entry.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.lead_time.value.id' "$lead"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a served value wrote to the audit log"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'dora.compute'")" = 1 ] || fail "one dora.compute entry"
# The failure rate's unit is percent: a fraction in JSON, a percentage in every text.
expect_json '.keys.change_failure_rate.value.value' 0.5
ok dora --team payments --from 2026-03-01 --to 2026-03-08
grep -Eq '^change_failure_rate +50% +ratio' "$T/out" || fail "dora does not print the failure rate as a percentage"
ok metrics show change_failure_rate --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '"\(.unit) \(.value.value) \(.reused)"' "percent 0.5 true"
ok metrics show change_failure_rate --team payments --from 2026-03-01 --to 2026-03-08
expect_out "ratio: 50% over 4 items"
ok explain "$cfr"
expect_out "ratio = 50% over 4 items"
# One deployment (D2) in the window: one item, in the singular (found in acceptance).
ok metrics show change_failure_rate --team payments --from 2026-03-03 --to 2026-03-05
expect_out "ratio: 100% over 1 item  ["

# Each production deployment's changes are kept (D1..D4), so another period walks nothing
# again: the kept rows are not rewritten, and the answer is the same.
[ "$(sql "SELECT COUNT(*) FROM deploy_changes")" = 4 ] || fail "changes not kept"
[ "$(sql "SELECT commits FROM deploy_changes d JOIN events e ON e.id = d.event_id WHERE e.external_id = 'D2'")" = 2 ] ||
	fail "D2's kept changes"
kept=$(sql "SELECT MAX(computed_at) FROM deploy_changes")
ok dora --team payments --from 2026-03-01 --to 2026-03-07T12:00:00Z --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "36 4"
expect_json '.merge_to_deploy | "\(.n) \(.median_hours)"' "4 36"
expect_json '.keys.change_failure_rate.value.value' 0.5
[ "$(sql "SELECT MAX(computed_at) FROM deploy_changes")" = "$kept" ] || fail "kept changes walked again"

# A new deployment changes the answer: recomputed, the old value kept and marked superseded.
printf 'id,service,environment,sha,ref,started,finished,status\nD5,api,production,%s,main,2026-03-07T09:00:00Z,2026-03-07T10:00:00Z,success\n' \
	c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5 >"$T/d5.csv"
ok ingest --source deploys "$T/d5.csv"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 5
[ "$(jq -r '.keys.lead_time.value.id' "$T/out")" != "$lead" ] || fail "not recomputed"
[ "$(sql "SELECT COUNT(*) FROM deploy_changes")" = 5 ] || fail "D5's changes not kept"
ok explain "$lead" --json
expect_json '.superseded_at != null' true

# Nothing for another team; an unknown team is an error naming it.
ok dora --team search --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 0
expect_json '.keys.lead_time.value.value' null
run dora --team nosuch
expect_status 4
expect_err "no team 'nosuch'"
run explain metric-value:99999
expect_status 4
expect_err "no metric value 99999"
# An id past the largest is a usage error quoting it, not clamped to another id (found in
# review: "no metric value 9223372036854775807", exit 4); so is a sign or a space.
for ref in metric-value:99999999999999999999 metric-value:+1 "metric-value: 1"; do
	run explain "$ref"
	expect_status 2
	expect_err "not '$ref'"
done
run explain value:1
expect_status 2
expect_err "expected metric-value:ID"

# The service moves to search on 2026-03-05: D3 and D4 (and D5) are search's, D1 and D2 stay
# payments'.  Attribution is by the owner at deployment time.
ok service set api --team search --effective 2026-03-05
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 2
expect_json '.keys.change_failure_rate.value.value' 0.5
ok dora --team search --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 3
# search's changes: D3's c4 (60 h) and c5 (24 h), D5's c5 again after the rollback to c4
# (03-05T00:00 to 03-07T10:00, 58 h): median 58.
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "58 3"

# Two services, one changed: a deployment of a second service (ledger, its commits not held:
# range unknown) is walked and kept; then a new api deployment walks api alone, and ledger's
# changes come from its kept row.  Both answers equal a computation from nothing kept.
printf 'id,service,environment,sha,ref,started,finished,status\nL1,ledger,production,%s,main,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,success\n' \
	e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1 >"$T/l1.csv"
ok ingest --source deploys "$T/l1.csv"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 6
printf 'id,service,environment,sha,ref,started,finished,status\nD6,api,production,%s,main,2026-03-07T11:00:00Z,2026-03-07T12:00:00Z,success\n' \
	c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4 >"$T/d6.csv"
ok ingest --source deploys "$T/d6.csv"
ledger_kept=$(sql "SELECT computed_at FROM deploy_changes d JOIN events e ON e.id = d.event_id WHERE e.external_id = 'L1'")
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT computed_at FROM deploy_changes d JOIN events e ON e.id = d.event_id WHERE e.external_id = 'L1'")" = "$ledger_kept" ] ||
	fail "ledger was walked again though nothing of it changed"
values='[.keys[].value | "\(.n) \(.value)"] | join(",")'
jq -r "$values" "$T/out" >"$T/kept.txt"
expect_json '.keys.deployment_frequency.value.n' 7
sql "DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/kept.txt")" ] ||
	fail "kept rows and a full walk disagree: $(cat "$T/kept.txt") against $(jq -r "$values" "$T/out")"

# Kept changes outlive writes that change nothing a walk reads: a setting, a commit's person.
# A change to a commit outside publishing (its raw payload the same) walks every service
# again (schema 11's events_epoch): the answer moves, and equals one from nothing kept.
kept_at=$(sql "SELECT MAX(computed_at) FROM deploy_changes")
ok metrics set failure_window_hours 48
sql "UPDATE events SET person_id = NULL WHERE kind = 'commit'"
sql "DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT MAX(computed_at) FROM deploy_changes")" = "$kept_at" ] ||
	fail "walked again after writes that change nothing a walk reads"
jq -r "$values" "$T/out" >"$T/before.txt"
sql "UPDATE events SET occurred_at = occurred_at - 86400000 WHERE kind = 'commit' AND external_id = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2'"
sql "DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT MAX(computed_at) FROM deploy_changes")" != "$kept_at" ] || fail "not walked again after a commit changed"
[ "$(jq -r "$values" "$T/out")" != "$(cat "$T/before.txt")" ] || fail "the changed commit did not change the answer"
jq -r "$values" "$T/out" >"$T/kept.txt"
sql "DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/kept.txt")" ] ||
	fail "after the change, kept rows and a full walk disagree: $(cat "$T/kept.txt") against $(jq -r "$values" "$T/out")"
# c2 back as it was, then a deleted commit (retention and consent delete them) walks again
# too: D3 loses c4 (60 h).
sql "UPDATE events SET occurred_at = occurred_at + 86400000 WHERE kind = 'commit' AND external_id = 'c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2c2'"
sql "DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
jq -r "$values" "$T/out" >"$T/with-c4.txt"
kept_at=$(sql "SELECT MAX(computed_at) FROM deploy_changes")
sql "DELETE FROM metric_lineage; DELETE FROM metric_values"
sql "DELETE FROM events WHERE kind = 'commit' AND external_id = 'c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4'"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT MAX(computed_at) FROM deploy_changes")" != "$kept_at" ] || fail "not walked again after a commit was deleted"
[ "$(jq -r "$values" "$T/out")" != "$(cat "$T/with-c4.txt")" ] || fail "the deleted commit did not change the answer"
# The same page again puts c4 back. Its raw payload is the one stored before (the same bytes),
# so only the run that published it tells the row apart; api is walked again.
ok ingest --source gh "$FIXTURES/metrics/commits.json"
sql "DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/with-c4.txt")" ] ||
	fail "c4 published again: $(jq -r "$values" "$T/out"), as before its deletion: $(cat "$T/with-c4.txt")"

# A service whose deployments stop counting (another production environment) while its
# commits change keeps no rows from before; when they count again it is walked again.
ok metrics set production_environments nowhere --service api
jq '[.[0] | .sha = "c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6" | .parents = [{"sha": "c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"}] |
	.commit.author.date = "2026-03-06T12:00:00Z" | .commit.message = "six"]' "$FIXTURES/metrics/commits.json" >"$T/c6.json"
ok ingest --source gh "$T/c6.json"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT COUNT(*) FROM deploy_changes d JOIN services s ON s.id = d.service_id WHERE s.name = 'api'")" = 0 ] ||
	fail "api's kept rows outlived a publish while its deployments did not count"
ok metrics set production_environments production --service api
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
jq -r "$values" "$T/out" >"$T/kept.txt"
sql "DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2026-03-01 --to 2026-03-08 --json
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/kept.txt")" ] ||
	fail "api counted again: kept rows and a full walk disagree: $(cat "$T/kept.txt") against $(jq -r "$values" "$T/out")"

# A deploy event naming its own service (svc1) ships commits held under its repository's service
# (acme.mono): when they come in later, svc1 is walked again, and so it is when a squash merge's
# pull request comes in (found in review: svc1 kept its unknown range, then its 24 h).
ok source add github --name mono --repo acme/mono
sha() { printf "$1%.0s" {1..40}; }
commit() { # sha date parents message
	printf '[{"sha":"%s","url":"https://api.github.com/repos/acme/mono/commits/%s","commit":{"author":{"name":"A","email":"a@x.example","date":"%s"},"committer":{"name":"A","email":"a@x.example","date":"%s"},"message":"%s"},"parents":[%s]}]' \
		"$1" "$1" "$2" "$2" "$4" "$3"
}
commit "$(sha a)" 2031-03-01T00:00:00Z "" base >"$T/ma.json"
commit "$(sha b)" 2031-03-03T00:00:00Z "{\"sha\":\"$(sha a)\"}" "squashed (#7)" >"$T/mb.json"
printf 'id,service,environment,sha,started,status\nM0,svc1,production,%s,2031-03-01T12:00:00Z,success\nM1,svc1,production,%s,2031-03-04T00:00:00Z,success\n' \
	"$(sha a)" "$(sha b)" >"$T/m.csv"
ok ingest --source mono "$T/ma.json"
ok ingest --source deploys "$T/m.csv"
ok dora --org --from 2031-03-01 --to 2031-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "null 0"
ok ingest --source mono "$T/mb.json"
ok dora --org --from 2031-03-01 --to 2031-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "24 1"
jq -n --arg b "$(sha b)" --arg h "$(sha f)" '[{url: "https://api.github.com/repos/acme/mono/pulls/7",
	id: 7007, number: 7, state: "closed", title: "squashed", user: {login: "dev", id: 1, type: "User"},
	created_at: "2031-02-20T00:00:00Z", updated_at: "2031-03-03T00:00:00Z", closed_at: "2031-03-03T00:00:00Z",
	merged_at: "2031-03-03T00:00:00Z", merge_commit_sha: $b, draft: false,
	html_url: "https://github.com/acme/mono/pull/7", head: {ref: "f", sha: $h},
	base: {ref: "main", repo: {full_name: "acme/mono"}}}]' >"$T/mpr.json"
commit "$(sha f)" 2031-02-20T00:00:00Z "{\"sha\":\"$(sha a)\"}" "feature" >"$T/mf.json"
ok ingest --source mono "$T/mf.json" "$T/mpr.json"
ok dora --org --from 2031-03-01 --to 2031-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "288 1"
jq -r "$values" "$T/out" >"$T/kept.txt"
sql "DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"
ok dora --org --from 2031-03-01 --to 2031-03-08 --json
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/kept.txt")" ] ||
	fail "monorepo: kept rows and a full walk disagree: $(cat "$T/kept.txt") against $(jq -r "$values" "$T/out")"

# A deployment that succeeded in one run and was marked inactive in the next finished at its
# success, from its earlier version (found in review: reading those versions crashed every
# DORA key, since no case here had one).
ok source add deploy --name later
file k1.csv <<'CSV'
id,service,environment,started,finished,status
K1,checkout,production,2030-03-02T07:00:00Z,2030-03-02T07:30:00Z,success
CSV
sed 's/,2030-03-02T07:30:00Z,success$/,2030-03-05T09:00:00Z,inactive/' k1.csv >k1-inactive.csv
ok ingest --source later k1.csv
ok ingest --source later k1-inactive.csv
[ "$(sql "SELECT status FROM events WHERE external_id = 'K1'")" = inactive ] || fail "K1 is not inactive now"
ok dora --org --from 2030-03-01 --to 2030-03-09 --json
expect_json '.keys.deployment_frequency.value.n' 1
# explain gives the finish the keys counted, not the end the inactive status moved.
ok explain "$(jq -r '.keys.deployment_frequency.value.id' "$T/out")" --json
expect_json '.inputs[] | select(.role == "deployment") | "\(.external_id) \(.ended_at)"' "K1 2030-03-02T07:30:00.000Z"
ok metrics show deployment_frequency --org --from 2030-03-02 --to 2030-03-03 --json
expect_json '.overall.n // .value.n // .n' 1
# --normalize per-service divides by the services with items (found in review: by 1): K1 on
# checkout and K2 on billing, 2 deployments in 7 days over 2 services: 1/7 a day a service.
file k2.csv <<'CSV'
id,service,environment,started,finished,status
K2,billing,production,2030-03-03T07:00:00Z,2030-03-03T07:20:00Z,success
CSV
ok ingest --source later k2.csv
ok metrics show deployment_frequency --org --from 2030-03-01 --to 2030-03-08 --normalize per-service --json
expect_json '"\(.value.detail.services) \(.value.statistic) \(.value.value * 7 | . * 1e9 | round / 1e9)"' \
	"2 count per day per service 1"
# By day: a day without deployments is 0 per service like the others' unit, not a plain count
# (found hunting: "count" beside "count per day per service").
ok metrics show deployment_frequency --org --from 2030-03-01 --to 2030-03-08 --normalize per-service --by day --json
expect_json '[.points[] | "\(.from[0:10]) \(.value) \(.statistic)"] | .[0:3] | join(", ")' \
	"2030-03-01 0 count per service, 2030-03-02 1 count per service, 2030-03-03 1 count per service"
# A range plumb cannot know (no commit held for either sha) counts no commits, but explain
# says unknown, not 0 as for a range known to hold none (found in audit: both were "(0)").
file v.csv <<'CSV'
id,service,environment,sha,ref,started,finished,status
V1,vault,production,e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2e2,main,2030-04-01T07:00:00Z,2030-04-01T07:30:00Z,success
V2,vault,production,e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3e3,main,2030-04-02T07:00:00Z,2030-04-02T07:30:00Z,success
CSV
ok ingest --source later v.csv
ok metrics show change_failure_rate --service vault --from 2030-04-01 --to 2030-04-08 --json
vault_cfr=$(jq -r '.value.id' "$T/out")
ok explain "$vault_cfr" --json
expect_json '.inputs[] | select(.role == "changes") | "\(.external_id) \(.commits) \(.range_unknown)"' "V2 null true"
ok explain "$vault_cfr"
expect_out "commits e2e2e2e2e2e2..e3e3e3e3e3e3 (unknown)"

# The default period is whole local days: from local midnight 90 days back to the end of
# today, one clock reading for the four keys. The dates printed are the period, so asking for
# them serves the very same values, and so does asking again on the same day.
PLUMB_NOW=2026-03-07T15:30:00Z ok dora --team search
expect_out "DORA keys for team search, 2025-12-08 to 2026-03-08 (UTC)"
PLUMB_NOW=2026-03-07T15:30:00Z ok dora --team search --json
expect_json '"\(.from) \(.to)"' "2025-12-08T00:00:00.000Z 2026-03-08T00:00:00.000Z"
expect_json '[.keys[].value | "\(.from) \(.to)"] | unique | join(",")' "2025-12-08T00:00:00.000Z 2026-03-08T00:00:00.000Z"
default_ids=$(jq -c '[.keys[].value.id]' "$T/out")
ok dora --team search --from 2025-12-08 --to 2026-03-08 --json
[ "$(jq -c '[.keys[].value.id]' "$T/out")" = "$default_ids" ] || fail "the printed dates gave other values than the default period"
PLUMB_NOW=2026-03-07T23:59:00Z ok metrics show lead_time --team search --json
expect_json '.reused' true
expect_json '.value.id' "$(jq -r '.[1]' <<<"$default_ids")"
# On the clock, without PLUMB_NOW: the four keys share one period, and a second call on the
# same day writes nothing (unless midnight passes between the two).
ok dora --team search --json
expect_json '[.keys[].value | "\(.from) \(.to)"] | unique | length' 1
entries=$(sql "SELECT COUNT(*) FROM audit_log")
day=$(date -u +%F)
ok dora --team search --json
[ "$(date -u +%F)" != "$day" ] || [ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] ||
	fail "the default period recomputed values computed a moment ago"
# In the team's time zone: Berlin's local midnights, 90 calendar days even across the change
# to summer time on 2026-03-29 (an hour short of 90 times 24 h).
ok metrics set time_zone Europe/Berlin --team search
PLUMB_NOW=2026-03-07T23:30:00Z ok dora --team search --json
expect_json '"\(.from) \(.to)"' "2025-12-08T23:00:00.000Z 2026-03-08T23:00:00.000Z"
PLUMB_NOW=2026-04-10T12:00:00Z ok metrics show lead_time --team search --json
expect_json '"\(.from) \(.to)"' "2026-01-10T23:00:00.000Z 2026-04-10T22:00:00.000Z"
PLUMB_NOW=2026-04-10T12:00:00Z ok metrics show lead_time --team search
expect_out "2026-01-11 to 2026-04-11 (Europe/Berlin)"

# A deployment marked inactive (a later one replaced it, GitHub's auto_inactive) in the same
# statuses page as its success, as a first sync or a backfill reads them: the fold leaves it
# inactive, and it still counts, finished at its success (attrs.success_at); explain gives
# that finish, and kept rows and a full walk agree (found in review: it was lost).
ok source add github --name widgets --repo acme/widgets
jq '[.[0] | .id = 77009 | .state = "inactive" | .created_at = "2024-03-03T12:00:00Z" |
	.updated_at = "2024-03-03T12:00:00Z"] + .' "$FIXTURES/github/deployment-statuses.json" >statuses-inactive.json
ok ingest --source widgets "$FIXTURES/github/deployments.json" statuses-inactive.json
[ "$(sql "SELECT status FROM events WHERE kind = 'deployment' AND external_id = '9002'")" = inactive ] ||
	fail "9002 is not inactive"
widgets="--service acme.widgets --from 2024-03-01 --to 2024-03-08 --json"
PLUMB_NOW=2024-03-10T00:00:00Z ok dora $widgets
expect_json '.keys.deployment_frequency.value.n' 1
jq -r "$values" "$T/out" >"$T/kept.txt"
ok explain "$(jq -r '.keys.deployment_frequency.value.id' "$T/out")" --json
expect_json '.inputs[] | select(.role == "deployment") | "\(.external_id) \(.ended_at)"' "9002 2024-03-02T11:04:30.000Z"
sql "DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"
PLUMB_NOW=2024-03-10T00:00:00Z ok dora $widgets
[ "$(jq -r "$values" "$T/out")" = "$(cat "$T/kept.txt")" ] ||
	fail "inactive 9002: kept rows and a full walk disagree: $(cat "$T/kept.txt") against $(jq -r "$values" "$T/out")"

# A definition's formula params win over the metric settings for that definition's values
# (docs/cli.md, plumb metrics define), on api's D1..D4 (D5 and D6 come later): deployment
# frequency of staging counts S1 only; change failure rate with a one-hour window fails D3
# only (INC1 opens 3 h after D2); lead time of staging has S1 alone, a baseline with no
# changes; the keys without params keep the settings' production walk, and the kept changes
# of one walk never serve the other (found in review: the params were stored, never used).
define_v2() { # KEY PARAMS: version 2 of KEY with these formula params, approved
	printf '%s\n' "key: $1" "name: $1 with params" "description: With params." "unit: x" \
		"direction: lower" "indicator: lagging" "stakeholders: [development]" "owner: ee" \
		"formula: {builtin: $1, params: $2}" >"$1-v2.yaml"
	ok metrics define "$1-v2.yaml"
	ok metrics approve "$1" --version 2 --function development
	# Version 1, in use, answers to operations too: its leader approves.
	ok --as H001 metrics approve "$1" --version 2 --function operations
	expect_out "now active"
}
ok user add --person H001 --role leader
api="--service api --from 2026-03-01 --to 2026-03-06T12:00:00Z --json"
ok metrics set failure_window_hours 24
define_v2 deployment_frequency "{environments: [staging]}"
define_v2 change_failure_rate "{failure_window_hours: 1}"
ok dora $api
expect_json '.keys.deployment_frequency.value.n' 1
expect_json '.keys.change_failure_rate.value | "\(.value) \(.detail.numerator) \(.detail.denominator)"' "0.25 1 4"
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "36 4"
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 2"
# The settings change what the params do not: CFR's deployments follow
# production_environments, DF's its environments param.
ok metrics set failure_window_hours 0.5
ok metrics set production_environments qa --service api
ok dora $api
expect_json '.keys.deployment_frequency.value.n' 1
expect_json '.keys.change_failure_rate.value | "\(.value) \(.detail.numerator) \(.detail.denominator)"' "null 0 0"
expect_json '.keys.lead_time.value.n' 0
ok metrics set production_environments production --service api
ok dora $api
expect_json '.keys.change_failure_rate.value | "\(.value) \(.detail.numerator) \(.detail.denominator)"' "0.25 1 4"
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 1"
define_v2 lead_time "{production_environments: staging}"
ok dora $api
expect_json '.keys.lead_time.value.n' 0
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 1"
ok metrics show lead_time $api
expect_json '.value.n' 0
ok metrics show recovery_time $api
expect_json '.value | "\(.value) \(.n)"' "2 1"

# dora gives each key's notes as metrics show does: on stderr, and as notes in the JSON (found
# in review: never shown).  api is new from 2026-03-03, in the period: recovery time does not
# suit a new service, the other keys' versions 2 suit every stage.
ok service stage api --stage growth --from 2026-01-01
ok service stage api --stage new --from 2026-03-03
ok dora $api
expect_json '.keys.recovery_time.notes | join("|")' \
	'recovery_time suits services in stages growth,mature,sunset; api is in stage new from 2026-03-03, part of the period'
expect_json '.keys.lead_time.notes | length' 0
ok dora --service api --from 2026-03-01 --to 2026-03-06T12:00:00Z
expect_err "plumb: note: recovery_time suits services in stages growth,mature,sunset; api is in stage new from 2026-03-03"

# A key whose version is not defined for the scope is withheld with a note saying so; the other
# three are computed (found in review: an org-only recovery time failed dora for a service or
# team, and with it the dashboard's refresh).  Version 3, for every scope, brings it back.
printf '%s\n' "key: recovery_time" "name: recovery time, org only" "description: Org only." \
	"unit: hours" "direction: lower" "indicator: lagging" "scopes: [org]" \
	"stakeholders: [development]" "owner: ee" "formula: {builtin: recovery_time}" >rt-org.yaml
ok metrics define rt-org.yaml
ok metrics approve recovery_time --version 2 --function development
ok --as H001 metrics approve recovery_time --version 2 --function operations
ok dora $api
expect_json '.keys.recovery_time | "\(.version) \(.value) \(.band)"' "2 null null"
expect_json '.keys.recovery_time.notes | join("|")' \
	"recovery_time is not computed: version 2 is not defined for the service scope (it allows: org)"
expect_json '.keys.change_failure_rate.value | "\(.value) \(.n)"' "0.25 4"
ok dora --service api --from 2026-03-01 --to 2026-03-06T12:00:00Z
grep -Eq '^recovery_time +not computed +- +- +- +-$' "$T/out" || fail "the text does not say recovery_time is not computed"
ok dora --from 2026-03-01 --to 2026-03-06T12:00:00Z --json
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 1"
sed -e 's/scopes: \[org\]/scopes: [org, team, service]/' -e 's/org only/every scope/' rt-org.yaml >rt-all.yaml
ok metrics define rt-all.yaml
ok metrics approve recovery_time --version 3 --function development
expect_out "now active"

# A retired key is not computed; the other three are (found in review: retiring any key broke
# dora).  Its value and band are null, its note says why, the text says retired; the audit
# entry has no value for it.  metrics show of it is still a conflict.
ok metrics retire lead_time --reason "replaced by merge to deploy"
ok dora $api
expect_json '.keys.lead_time | "\(.version) \(.status) \(.band) \(.value)"' "2 retired null null"
expect_json '.keys.lead_time.notes | join("|")' "lead_time is not computed: its newest version, 2, is retired"
expect_json '.merge_to_deploy' null
expect_json '.keys.recovery_time.value | "\(.value) \(.n)"' "2 1"
expect_json '.keys.deployment_frequency.value.n' 1
expect_json '"\(.scope) \(.scope_name) \(.from)"' "service api 2026-03-01T00:00:00.000Z"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'dora.compute' ORDER BY seq DESC LIMIT 1" | jq -c '.values.lead_time')" = null ] ||
	fail "the audit entry gives the retired key a value"
ok dora --service api --from 2026-03-01 --to 2026-03-06T12:00:00Z
grep -Eq '^lead_time +retired +- +- +- +-$' "$T/out" || fail "the text does not say lead_time is retired"
expect_err "plumb: note: lead_time is not computed: its newest version, 2, is retired"
run metrics show lead_time $api
expect_status 5
# All four retired: nothing computed, the scope and period still named.
for k in deployment_frequency change_failure_rate recovery_time; do
	ok metrics retire "$k" --reason "gone"
done
ok dora $api
expect_json '[.keys[] | "\(.status) \(.value) \(.band)"] | unique | join(",")' "retired null null"
expect_json '"\(.scope_name) \(.from) \(.to)"' "api 2026-03-01T00:00:00.000Z 2026-03-06T12:00:00.000Z"
