# A GitHub deployment whose statuses are success (11:06), failure (11:08), a retry's success
# (11:10) and inactive (11:20), each read in a run of its own, in every order: its last word
# is the success, so the DORA keys count it, as one run reading them all does
# (metrics-dora-late-status has two successes fewer). Found hunting: read inactive, then the
# first success, the second success and the failure (or the first success, inactive, ...),
# the second success, older than the stored inactive, left the end at the first, and the
# failure delivered last seemed the last word: the deployment was not counted.
G=$FIXTURES/github
status() { # ID STATE TIME: a REST statuses page of deployment 9002 with one status
	jq --argjson id "$1" --arg state "$2" --arg at "$3" \
		'[.[0] | .id = $id | .state = $state | .created_at = $at | .updated_at = $at]' \
		"$G/deployment-statuses.json"
}
status 77011 success 2024-03-02T11:06:00Z >s1.json
status 77012 failure 2024-03-02T11:08:00Z >f.json
status 77013 success 2024-03-02T11:10:00Z >s2.json
status 77014 inactive 2024-03-02T11:20:00Z >i.json
deployments() { # the DORA keys' count of production deployments in March's first week
	ok dora --org --from 2024-03-01 --to 2024-03-08 --json
	json '.keys.deployment_frequency.value.n'
}
init_db
fresh() {
	reset_db
	init_db
	ok source add github --name gh --repo acme/widgets
	ok ingest --source gh "$G/deployments.json"
}
stored() { sql "SELECT status, ended_at, attrs FROM events WHERE external_id = '9002'"; }
fresh
ok ingest --source gh s1.json f.json s2.json i.json
[ "$(deployments)" = 1 ] || fail "in one run: $(deployments) deployments ($(stored))"
one_run=$(sql "SELECT status, ended_at FROM events WHERE external_id = '9002'")
# 2024-03-02T11:10:00Z, the last success's time, is the end one run gives.
[ "$one_run" = "inactive|1709377800000" ] || fail "in one run: status and end '$one_run'"
for order in "s1 f s2 i" "s1 f i s2" "s1 s2 f i" "s1 s2 i f" "s1 i f s2" "s1 i s2 f" \
	"f s1 s2 i" "f s1 i s2" "f s2 s1 i" "f s2 i s1" "f i s1 s2" "f i s2 s1" \
	"s2 s1 f i" "s2 s1 i f" "s2 f s1 i" "s2 f i s1" "s2 i s1 f" "s2 i f s1" \
	"i s1 f s2" "i s1 s2 f" "i f s1 s2" "i f s2 s1" "i s2 s1 f" "i s2 f s1"; do
	fresh
	for f in $order; do ok ingest --source gh "$f.json"; done
	[ "$(deployments)" = 1 ] || fail "$order, one run each: $(deployments) deployments ($(stored))"
	got=$(sql "SELECT status, ended_at FROM events WHERE external_id = '9002'")
	[ "$got" = "$one_run" ] || fail "$order, one run each: status and end '$got', one run gives '$one_run'"
done
ok reconcile
