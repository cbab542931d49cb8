# A definition's environments are names, kept as the file wrote them: environments: [1.10]
# counts the deployments to an environment named 1.10 (found hunting: the param was applied as
# 0.10000000000000001 for [0.1] and counted none; then stored as the number 1.1 for [1.10],
# which names another environment).
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role leader
ok source add deploy --name deploys
file d.csv <<'EOF2'
status,service,environment,started,finished,sha,actor,url
success,billing,1.10,2024-05-03T14:00:00Z,2024-05-03T14:06:30Z,e69de29bb2d1d6434b8b29ae775ad8c2e48c5391,alice,
success,billing,1.10,2024-05-04T14:00:00Z,2024-05-04T14:06:30Z,e69de29bb2d1d6434b8b29ae775ad8c2e48c5392,alice,
success,billing,1.1,2024-05-04T16:00:00Z,2024-05-04T16:06:30Z,e69de29bb2d1d6434b8b29ae775ad8c2e48c5394,alice,
success,billing,production,2024-05-05T14:00:00Z,2024-05-05T14:06:30Z,e69de29bb2d1d6434b8b29ae775ad8c2e48c5393,alice,
EOF2
ok ingest --source deploys "$T/d.csv"
sed -e 's/key: deploy_rework_rate/key: deploys_01/' -e 's/builtin: change_failure_rate/builtin: deployment_frequency/' \
	-e 's/environments: \[production\]/environments: [1.10]/' -e '/failure_window_hours/d' \
	"$ROOT/examples/metrics/deploy-rework-rate.yaml" >def.yaml
ok metrics define def.yaml
[ "$(sql "SELECT formula FROM metric_defs WHERE key = 'deploys_01'")" = \
	'{"builtin":"deployment_frequency","params":{"environments":["1.10"]}}' ] ||
	fail "stored as $(sql "SELECT formula FROM metric_defs WHERE key = 'deploys_01'")"
ok metrics approve deploys_01 --version 1 --function development
ok --as H001 metrics approve deploys_01 --version 1 --function operations --reason "counts the 1.10 rollout"
ok metrics show deploys_01 --from 2024-05-01 --to 2024-05-08 --json
expect_json '.value.n' 2
