# A deploy event sent again as a success without its `finished` (a pipeline's retry of the
# webhook, a CSV re-exported without the column) says less than the delivery that gave the
# finish: it keeps the known finish, whether the two come in one run or two, in either order
# (docs/cli.md, deploy events: "A success without finished finished when it started" only
# when no delivery said when it finished). Found hunting: the later delivery replaced the
# finish with its start, and the DORA keys counted the deployment at its start.
init_db
ok source add deploy --name dep
printf 'id,service,environment,started,finished,status\nd1,api,prod,2024-05-01T23:50:00Z,2024-05-02T00:20:00Z,success\n' >full.csv
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T23:50:00Z,success\n' >bare.csv
# finish ORDER...: the stored finish and first success of d1 after ingesting the files in
# runs (a "+" joins files into one run).
finish() {
	reset_db
	init_db
	ok source add deploy --name dep
	local r
	for r in "$@"; do
		# shellcheck disable=SC2086
		ok ingest --source dep ${r//+/ }
	done
	ok events list --kind deployment --source dep --json
	json '.[] | "\(.ended_at) \(.attrs.success_at)"'
}
want="2024-05-02T00:20:00.000Z 2024-05-02T00:20:00.000Z"
for order in "full.csv bare.csv" "full.csv+bare.csv" "bare.csv+full.csv" "full.csv bare.csv full.csv"; do
	# shellcheck disable=SC2086
	got=$(finish $order)
	[ "$got" = "$want" ] || fail "$order: finish and first success '$got', expected '$want'"
	ok reconcile
done
# Sent again without its finish, it says nothing new: unchanged, no new version.
finish full.csv >/dev/null
ok ingest --source dep --json bare.csv
expect_json '"\(.inserted) \(.updated) \(.unchanged)"' "0 0 1"
[ "$(sql "SELECT COUNT(*) FROM event_versions")" = 0 ] || fail "a version was kept"
# A deployment read without its finish first, then with it: the finish is known at last.
got=$(finish bare.csv full.csv)
[ "${got%% *}" = 2024-05-02T00:20:00.000Z ] || fail "bare then full: finish '$got'"
# Alone, a success without its finish finished when it started.
got=$(finish bare.csv)
[ "$got" = "2024-05-01T23:50:00.000Z 2024-05-01T23:50:00.000Z" ] || fail "bare alone: '$got'"
# The DORA keys count it on the day it finished (UTC), not the day it started.
finish full.csv bare.csv >/dev/null
ok dora --org --from 2024-05-02 --to 2024-05-03 --json
expect_json '.keys.deployment_frequency.value.n' 1
ok dora --org --from 2024-05-01 --to 2024-05-02 --json
expect_json '.keys.deployment_frequency.value.n' 0
