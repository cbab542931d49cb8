# A deployment and its statuses give one record whatever order and runs they come in, and
# a final status dated before its deployment's creation is refused however it arrives:
# from a REST statuses page read before, after or with the deployments page.  A page given
# the wrong --format is refused, not read as deployments.
init_db
ok source add github --name gh --repo acme/widgets
G=$FIXTURES/github
rows() { sql "SELECT COUNT(*) FROM events"; sql "SELECT COUNT(*) FROM raw_payloads"; sql "SELECT COUNT(*) FROM audit_log"; }

# Status 77003 (success) moved to a day before deployment 9002 was created.
jq '[.[0] | .created_at = "2024-03-01T00:00:00Z" | .updated_at = .created_at]' \
	"$G/deployment-statuses.json" >early-status.json
run ingest --source gh "$G/deployments.json" early-status.json
expect_status 1
expect_err "early-status.json: deployment 9002: a status at 2024-03-01T00:00:00.000Z is before the deployment's created_at 2024-03-02T11:00:00.000Z"
expect_err "the deployment is in $G/deployments.json"
[ "$(rows)" = "$(printf '0\n0\n%s' "$(sql "SELECT COUNT(*) FROM audit_log")")" ] || fail "a refused run wrote: $(rows)"

before=$(rows)
ok ingest --source gh "$G/deployments.json"
stored=$(rows)
run ingest --source gh early-status.json
expect_status 1
expect_err "early-status.json: deployment 9002: a status at 2024-03-01T00:00:00.000Z"
[ "$(rows)" = "$stored" ] || fail "the status after its deployment wrote: $(rows)"

# The other way round: the status stored first, its deployment read later.
ok source add github --name gh2 --repo acme/widgets
ok ingest --source gh2 early-status.json
stored=$(rows)
run ingest --source gh2 "$G/deployments.json"
expect_status 1
expect_err "early-status.json: deployment 9002: a status at 2024-03-01T00:00:00.000Z"
[ "$(rows)" = "$stored" ] || fail "the deployment after its status wrote: $(rows)"
[ "$before" != "$stored" ] || fail "nothing was stored to compare with"

# The right statuses, in either order and split or not: the same deployment rows.
of_source() { echo "FROM events WHERE kind = 'deployment' AND source_id = (SELECT id FROM sources WHERE name = '$1') ORDER BY external_id"; }
deployments() { # attrs with their keys sorted: the order keys were merged in is not content
	sql "SELECT external_id, occurred_at, ended_at, status, sha, ref, environment, account $(of_source "$1")"
	sql "SELECT attrs $(of_source "$1")" | jq -cS .
}
ok source add github --name a --repo acme/widgets
ok ingest --source a "$G/deployments.json" "$G/deployment-statuses.json"
ok source add github --name b --repo acme/widgets
ok ingest --source b "$G/deployment-statuses.json"
ok ingest --source b "$G/deployments.json"
[ "$(deployments a)" = "$(deployments b)" ] || fail "statuses first: $(diff <(deployments a) <(deployments b))"
[ -n "$(deployments a | grep '^9002|.*|success|9f1c0d2e')" ] || fail "deployment 9002: $(deployments a)"

# A status webhook carries the deployment it embeds: read before the deployment's own
# webhook (older), the record still names who created it and its task.
jq '{action: "created", deployment: .deployment, repository: .repository, sender: .sender}' \
	"$G/webhook-deployment_status.failure.json" >deployment-created.json
ok source add github --name c --repo acme/widgets
ok ingest --source c --event deployment_status "$G/webhook-deployment_status.failure.json"
ok ingest --source c --event deployment deployment-created.json
ok source add github --name d --repo acme/widgets
ok ingest --source d --event deployment deployment-created.json
ok ingest --source d --event deployment_status "$G/webhook-deployment_status.failure.json"
[ "$(deployments c)" = "$(deployments d)" ] || fail "webhook order: $(diff <(deployments c) <(deployments d))"
[ "$(sql "SELECT account $(of_source c)") $(sql "SELECT attrs $(of_source c)" | jq -r .task)" = "alice deploy" ] ||
	fail "the status webhook lost the creator or task: $(deployments c)"

# Pages of other things given as deployments: refused, naming the field a deployment has.
stored=$(rows)
run ingest --source gh --format github-deployments "$G/pulls.json"
expect_status 1
expect_err "pulls.json: [0].sha: missing"
run ingest --source gh --format github-deployments "$G/deployment-statuses.json"
expect_status 1
expect_err "deployment-statuses.json: [0].sha: missing"
[ "$(rows)" = "$stored" ] || fail "a refused page wrote: $(rows)"

# A webhook body's event is kept with its raw payload also when told from the body (no
# --event), as when given; an API page has none.
ok ingest --source gh "$G/webhook-push.json" "$G/commits.json"
[ "$(sql "SELECT format || ' ' || COALESCE(event_name, '-') FROM raw_payloads WHERE origin IN ('$G/webhook-push.json', '$G/commits.json') ORDER BY origin")" = \
	"github-commits -
github-webhook push" ] || fail "raw payloads' events: $(sql "SELECT origin, format, event_name FROM raw_payloads")"

# Each deployment's earliest status against its latest creation row in the run (the check's
# pairing of every status with every row was quadratic): one early status among later ones,
# not the file's first, is refused naming it; so is a status between two creation rows.
ok source add github --name gh3 --repo acme/widgets
jq '.[2].created_at = "2024-03-01T00:00:00Z" | .[2].updated_at = .[2].created_at' \
	"$G/deployment-statuses.json" >one-early.json
run ingest --source gh3 "$G/deployments.json" one-early.json
expect_status 1
expect_err "one-early.json: deployment 9002: a status at 2024-03-01T00:00:00.000Z is before the deployment's created_at 2024-03-02T11:00:00.000Z"
jq '[.[] | select(.id == 9002) | .created_at = "2024-03-02T12:00:00Z"]' "$G/deployments.json" >recreated.json
run ingest --source gh3 "$G/deployments.json" recreated.json "$G/deployment-statuses.json"
expect_status 1
expect_err "deployment-statuses.json: deployment 9002: a status at 2024-03-02T11:00:05.000Z is before the deployment's created_at 2024-03-02T12:00:00.000Z"
expect_err "the deployment is in recreated.json"
