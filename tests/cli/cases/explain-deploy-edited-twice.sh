# explain shows a deployment as the value saw it after the deployment was edited upstream
# twice. Steps: dora stores lead time with D2 finished at 2026-03-04T00:00Z (version 1);
# D2's finish is corrected to 23:55 the evening before (version 2); then its ref changes
# (version 3), so version 2 goes into event_versions too. Found hunting: explain gave D2
# the 23:55 finish of version 2, which the value never saw. It used version 1's finish.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok ingest --source gh "$FIXTURES/metrics/commits.json"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
lead=$(jq -r '.keys.lead_time.value.id' "$T/out")
ok explain "$lead" --json
d2='.inputs[] | select(.role == "deployment" and .external_id == "D2")'
expect_json "$d2 | \"\(.ended_at) \(.version)\"" "2026-03-04T00:00:00.000Z 1"

sed 's/^\(D2,.*\),2026-03-04T00:00:00Z,success$/\1,2026-03-03T23:55:00Z,success/' \
	"$FIXTURES/metrics/deploys.csv" >"$T/edit1.csv"
grep -q '^D2,.*,2026-03-03T23:55:00Z,success$' "$T/edit1.csv" || fail "the first edit did not apply"
sed 's/^\(D2,api,production,[0-9a-f]*\),main,/\1,release,/' "$T/edit1.csv" >"$T/edit2.csv"
grep -q '^D2,api,production,[0-9a-f]*,release,' "$T/edit2.csv" || fail "the second edit did not apply"
ok ingest --source deploys "$T/edit1.csv"
ok ingest --source deploys "$T/edit2.csv"
ok events list --kind deployment --json
expect_json '.[] | select(.external_id == "D2") | "\(.version) \(.ended_at)"' "3 2026-03-03T23:55:00.000Z"

# The stored value is explained as computed: D2 as version 1, finished at midnight.
ok explain "$lead" --json
expect_json "$d2 | \"\(.ended_at) \(.version) \(.current_version)\"" "2026-03-04T00:00:00.000Z 1 3"
ok explain "$lead"
expect_out "as version 1; version 3 since"
# A value computed now sees the new finish: c3 (2026-03-03T00:00Z) shipped 23 h 55 min later.
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
lead2=$(jq -r '.keys.lead_time.value.id' "$T/out")
[ "$lead2" != "$lead" ] || fail "lead time was not computed again after the edits"
ok explain "$lead2" --json
expect_json "$d2 | \"\(.ended_at) \(.version)\"" "2026-03-03T23:55:00.000Z 3"
