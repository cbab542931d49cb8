# explain of a value whose definition was narrowed (a new version) or retired since: the
# definition is the version the value was computed with (its formula, not the new one's),
# with that version's status now and why, and the version computed now, or none (found
# hunting: "version 1, retired" gave no hint that the value was computed while it was in
# use, nor which version replaced it).
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role leader
ok service set api --team payments --effective 2026-01-01
ok service map api --pagerduty PAPI
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"
approve() {
	ok metrics approve deploy_rework_rate --version "$1" --function development
	ok --as H001 metrics approve deploy_rework_rate --version "$1" --function operations
}
show() { ok metrics show deploy_rework_rate --team payments --from 2026-03-01 --to 2026-03-08 --json; json .value.id; }
# Version 1 counts staging deployments too (S1: 5 deployments); version 2 narrows it to
# production (4).
sed 's/environments: \[production\]/environments: [production, staging]/' \
	"$ROOT/examples/metrics/deploy-rework-rate.yaml" >v1.yaml
ok metrics define v1.yaml
approve 1
v1=$(show)
expect_json '.value.n' 5
ok explain "$v1" --json
expect_json '.definition | "\(.version) \(.status) \(.status_reason) \(.version_in_use)"' "1 active null 1"
ok explain "$v1"
expect_out "(deploy_rework_rate, version 1, active): "
expect_no_out "computed now"

ok metrics define "$ROOT/examples/metrics/deploy-rework-rate.yaml"
approve 2
v2=$(show)
expect_json '.value.n' 4
ok explain "$v1" --json
expect_json '.definition | "\(.version) \(.status) \(.status_reason) \(.version_in_use)"' \
	"1 deprecated superseded by version 2 2"
expect_json '.definition.formula.params.environments | join(",")' "production,staging"
expect_json '.value.n' 5
ok explain "$v1"
expect_out "(deploy_rework_rate, version 1, now deprecated: superseded by version 2): "
expect_out "computed with version 1; version 2 is the one computed now"
ok explain "$v2"
expect_out "(deploy_rework_rate, version 2, active): "

ok metrics retire deploy_rework_rate --reason "replaced by change_failure_rate"
for v in "$v1" "$v2"; do
	ok explain "$v" --json
	expect_json '.definition | "\(.status) \(.status_reason) \(.version_in_use)"' \
		"retired replaced by change_failure_rate null"
done
expect_json '.definition.formula.params.environments | join(",")' production
ok explain "$v2"
expect_out "(deploy_rework_rate, version 2, now retired: replaced by change_failure_rate): "
expect_out "computed with version 2; no version of deploy_rework_rate is computed now"
