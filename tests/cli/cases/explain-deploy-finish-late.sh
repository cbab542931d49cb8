# explain tells a deployment's finish as the DORA keys count it: a deploy event sent first
# without its `finished` (taken to finish when it started), then with it in a run of its own,
# finished when that delivery says (ingest-deploy-finish-late.sh). Found in review: the DORA
# keys counted it at its finish, while explain, reading the first version's implied end as a
# first success, showed it finished at its start.
init_db
ok source add deploy --name dep
printf 'id,service,environment,started,finished,status\nd1,api,prod,2024-05-01T23:50:00Z,2024-05-02T00:20:00Z,success\n' >full.csv
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T23:50:00Z,success\n' >bare.csv
ok ingest --source dep bare.csv
ok ingest --source dep full.csv
ok dora --org --from 2024-05-02 --to 2024-05-03 --json
expect_json '.keys.deployment_frequency.value.n' 1
id=$(json '.keys.deployment_frequency.value.id')
ok explain "$id" --json
expect_json '[.inputs[] | select(.kind == "deployment") | "\(.external_id) \(.ended_at)"] | join(",")' \
	"d1 2024-05-02T00:20:00.000Z"
