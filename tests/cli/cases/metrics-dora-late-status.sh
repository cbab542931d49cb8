# A GitHub deployment whose statuses come in several runs, out of order: its failure (11:06)
# then a retry's success (11:08), then inactive (11:20) when a newer deployment replaced it.
# Its last word is the success, so the DORA keys count it, however the statuses come: in one
# run, or in several in any order (docs/cli.md, "Idempotent": a deployment's success is kept
# "whether the statuses come in one run or several, in either order"; a newer success takes
# back a failure). Found hunting: a failure delivered after the success, older than it, filled
# the failure mark the stored record lacked, and a success delivered after the inactive, older
# than it, did not take the mark back: with the inactive, the deployment was not counted.
G=$FIXTURES/github
status() { # ID STATE TIME: a REST statuses page of deployment 9002 with one status
	jq --argjson id "$1" --arg state "$2" --arg at "$3" \
		'[.[0] | .id = $id | .state = $state | .created_at = $at | .updated_at = $at]' \
		"$G/deployment-statuses.json"
}
status 77004 failure 2024-03-02T11:06:00Z >failure.json
status 77005 success 2024-03-02T11:08:00Z >success.json
status 77006 inactive 2024-03-02T11:20:00Z >inactive.json
# deployments N: the DORA keys' count of production deployments in March's first week.
deployments() {
	ok dora --org --from 2024-03-01 --to 2024-03-08 --json
	json '.keys.deployment_frequency.value.n'
}
init_db # the case's database exists, for reset_db to recreate (PostgreSQL)
fresh() {
	reset_db
	init_db
	ok source add github --name gh --repo acme/widgets
	ok ingest --source gh "$G/deployments.json"
}
fresh
ok ingest --source gh failure.json success.json inactive.json
[ "$(deployments)" = 1 ] || fail "in one run: $(deployments) deployments"
[ "$(sql "SELECT status FROM events WHERE external_id = '9002'")" = inactive ] || fail "not inactive"
for order in "success failure inactive" "success inactive failure" "failure inactive success" \
	"inactive failure success" "inactive success failure" "failure success inactive"; do
	fresh
	for f in $order; do ok ingest --source gh "$f.json"; done
	[ "$(sql "SELECT status FROM events WHERE external_id = '9002'")" = inactive ] ||
		fail "$order: not inactive: $(sql "SELECT status, attrs FROM events WHERE external_id = '9002'")"
	[ "$(deployments)" = 1 ] ||
		fail "$order, one run each: $(deployments) deployments ($(sql "SELECT attrs FROM events WHERE external_id = '9002'"))"
	ok reconcile
done
# Its last word a failure (after the success), it is not counted in any order either.
status 77007 failure 2024-03-02T11:10:00Z >failure-last.json
for order in "success failure-last inactive" "inactive failure-last success" "failure-last success inactive"; do
	fresh
	for f in $order; do ok ingest --source gh "$f.json"; done
	[ "$(deployments)" = 0 ] ||
		fail "$order: a deployment whose last word was a failure counted ($(sql "SELECT attrs FROM events WHERE external_id = '9002'"))"
done
