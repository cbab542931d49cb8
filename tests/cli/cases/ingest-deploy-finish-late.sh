# A deploy event sent first as a success without its `finished` (finished, plumb takes it,
# when it started), then again with it, in a run of its own: the finish it gives is the
# deployment's, as in one run or in the other order (ingest-deploy-finish-kept.sh; docs/cli.md,
# deploy events: a success without `finished` finished when it started only when no delivery
# said when it finished). Found in review: the start, kept as the first success
# (attrs.success_at, the earliest of them) and as the first version's end, stayed the
# deployment's finish, and the DORA keys counted it the day it started (2024-05-01, 23:50),
# not the day it finished (2024-05-02, 00:20).
init_db
ok source add deploy --name dep
printf 'id,service,environment,started,finished,status\nd1,api,prod,2024-05-01T23:50:00Z,2024-05-02T00:20:00Z,success\n' >full.csv
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T23:50:00Z,success\n' >bare.csv
# counted FROM TO: the DORA keys' count of deployments finished in [FROM, TO).
counted() {
	ok dora --org --from "$1" --to "$2" --json
	json '.keys.deployment_frequency.value.n'
}
for order in "full.csv+bare.csv" "bare.csv+full.csv" "full.csv bare.csv" "bare.csv full.csv" \
	"bare.csv full.csv bare.csv"; do
	reset_db
	init_db
	ok source add deploy --name dep
	for r in $order; do
		# shellcheck disable=SC2086
		ok ingest --source dep ${r//+/ }
	done
	ok events list --kind deployment --source dep --json
	got=$(json '.[] | "\(.ended_at) \(.attrs.success_at)"')
	[ "$got" = "2024-05-02T00:20:00.000Z 2024-05-02T00:20:00.000Z" ] ||
		fail "$order: finish and first success '$got', expected 2024-05-02T00:20:00.000Z for both"
	[ "$(counted 2024-05-02 2024-05-03)" = 1 ] || fail "$order: not counted on the day it finished"
	[ "$(counted 2024-05-01 2024-05-02)" = 0 ] || fail "$order: counted on the day it started"
	ok reconcile
done
