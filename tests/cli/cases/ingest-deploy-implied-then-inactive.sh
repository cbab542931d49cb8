# A deploy event's success without its `finished` (finished, plumb takes it, when it started),
# then the same deployment `inactive` (a newer one replaced it): the deployment shipped at
# its start, and the DORA keys count it, whether the two come in one run (one file, or two
# files in one ingest) or in runs of their own (docs/cli.md, deploy events: the DORA keys
# count a deployment at its first success, which a later inactive keeps). Found in review:
# in one run the success, staged without its implied end, was folded into the inactive
# before the end was given to successes only, and the deployment was never counted.
init_db
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,success\nd1,api,prod,2024-05-01T10:00:00Z,inactive\n' >both.csv
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,success\n' >bare.csv
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,inactive\n' >inactive.csv
for order in "both.csv" "bare.csv+inactive.csv" "bare.csv inactive.csv"; do
	reset_db
	init_db
	ok source add deploy --name dep
	for r in $order; do
		# shellcheck disable=SC2086
		ok ingest --source dep ${r//+/ }
	done
	ok events list --kind deployment --source dep --json
	got=$(json '.[] | "\(.status) \(.ended_at) \(.attrs.success_at)"')
	[ "$got" = "inactive 2024-05-01T10:00:00.000Z 2024-05-01T10:00:00.000Z" ] ||
		fail "$order: status, end and first success '$got'"
	ok dora --org --from 2024-05-01 --to 2024-05-02 --json
	expect_json '.keys.deployment_frequency.value.n' 1
	ok reconcile
done
