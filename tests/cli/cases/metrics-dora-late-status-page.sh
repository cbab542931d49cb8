# A GitHub deployment's deployments page says it was updated at 11:30 (GitHub moves a
# deployment's updated_at with each status; this one's last, at 11:30, was never read), and
# its statuses success (11:06), failure (11:08) and a retry's success (11:10) come each in a
# run of its own, in any order around the page: the status is the latest of them, success, as
# one run reading them all gives it, and the DORA keys count the deployment (docs/cli.md,
# "Idempotent": the same documents give the same record whether they come in one run or
# several). Found hunting: every status was older than the page, so the first read filled
# the status and none after it changed it: read failure first, the deployment stayed failed.
G=$FIXTURES/github
status() { # ID STATE TIME: a REST statuses page of deployment 9002 with one status
	jq --argjson id "$1" --arg state "$2" --arg at "$3" \
		'[.[0] | .id = $id | .state = $state | .created_at = $at | .updated_at = $at]' \
		"$G/deployment-statuses.json"
}
status 77021 success 2024-03-02T11:06:00Z >s1.json
status 77022 failure 2024-03-02T11:08:00Z >f.json
status 77023 success 2024-03-02T11:10:00Z >s2.json
jq '[.[] | if .id == 9002 then .updated_at = "2024-03-02T11:30:00Z" else . end]' "$G/deployments.json" >page.json
deployments() { # the DORA keys' count of production deployments in March's first week
	ok dora --org --from 2024-03-01 --to 2024-03-08 --json
	json '.keys.deployment_frequency.value.n'
}
stored() { sql "SELECT status, ended_at, attrs FROM events WHERE external_id = '9002'"; }
init_db
fresh() {
	reset_db
	init_db
	ok source add github --name gh --repo acme/widgets
}
fresh
ok ingest --source gh page.json s1.json f.json s2.json
[ "$(deployments)" = 1 ] || fail "in one run: $(deployments) deployments ($(stored))"
one_run=$(sql "SELECT status, ended_at FROM events WHERE external_id = '9002'")
# 2024-03-02T11:10:00Z, the retry's success.
[ "$one_run" = "success|1709377800000" ] || fail "in one run: status and end '$one_run'"
for order in "page f s1 s2" "page f s2 s1" "page s1 f s2" "page s2 f s1" "f page s1 s2" \
	"f page s2 s1" "f s1 page s2" "s1 f page s2" "page s1 s2 f" "s2 page f s1"; do
	fresh
	for f in $order; do ok ingest --source gh "$f.json"; done
	got=$(sql "SELECT status, ended_at FROM events WHERE external_id = '9002'")
	[ "$got" = "$one_run" ] || fail "$order, one run each: status and end '$got', one run gives '$one_run' ($(stored))"
	[ "$(deployments)" = 1 ] || fail "$order, one run each: $(deployments) deployments ($(stored))"
done
# Its last word a failure (11:12, after the retry): failed in any order.
status 77024 failure 2024-03-02T11:12:00Z >f2.json
for order in "page s2 f2" "page f2 s2" "f2 page s1 s2"; do
	fresh
	for f in $order; do ok ingest --source gh "$f.json"; done
	[ "$(sql "SELECT status FROM events WHERE external_id = '9002'")" = failure ] ||
		fail "$order: not failed ($(stored))"
	[ "$(deployments)" = 0 ] || fail "$order: a deployment whose last word was a failure counted ($(stored))"
done
ok reconcile
