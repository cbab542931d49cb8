# A GitHub deployment's deployments page says it was updated at 11:30 (GitHub moves a
# deployment's updated_at with each status), and its statuses success (11:06) and inactive
# (11:20, a newer deployment replaced it) come in runs of their own, in any order around the
# page: the status is the latest of them, inactive, as one run reading them all gives it
# (docs/cli.md, "Idempotent": the same documents give the same record whether they come in
# one run or several), and the deployment counts at its success either way. Found in review:
# the inactive, older than the page read first, left the success the status.
G=$FIXTURES/github
status() { # ID STATE TIME: a REST statuses page of deployment 9002 with one status
	jq --argjson id "$1" --arg state "$2" --arg at "$3" \
		'[.[0] | .id = $id | .state = $state | .created_at = $at | .updated_at = $at]' \
		"$G/deployment-statuses.json"
}
status 77021 success 2024-03-02T11:06:00Z >s.json
status 77025 inactive 2024-03-02T11:20:00Z >i.json
jq '[.[] | if .id == 9002 then .updated_at = "2024-03-02T11:30:00Z" else . end]' "$G/deployments.json" >page.json
stored() { sql "SELECT status, ended_at FROM events WHERE external_id = '9002'"; }
init_db # a database for fresh's reset_db to drop (PostgreSQL)
fresh() {
	reset_db
	init_db
	ok source add github --name gh --repo acme/widgets
}
fresh
ok ingest --source gh page.json s.json i.json
one_run=$(stored)
# 2024-03-02T11:06:00Z, the success, and the status the inactive that came after it.
[ "$one_run" = "inactive|1709377560000" ] || fail "in one run: status and end '$one_run'"
for order in "page s i" "s page i" "page i s" "i page s" "s i page" "page s+i" "page+s i"; do
	fresh
	for f in $order; do
		f=${f//+/.json }
		# shellcheck disable=SC2086
		ok ingest --source gh $f.json
	done
	[ "$(stored)" = "$one_run" ] || fail "$order: status and end '$(stored)', one run gives '$one_run'"
	ok dora --org --from 2024-03-01 --to 2024-03-08 --json
	expect_json '.keys.deployment_frequency.value.n' 1
done
