# Rule team-metric-on-person: a metric whose scopes do not include individual is refused for a
# person (exit 3, the rule named), nothing is stored and the refusal is audited as
# policy.refused; over the server the same refusal is a 403 with a JSON error.  A metric whose
# scopes include individual is computed from that person's events, within the actor's scope.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101 # payments, reports to M001
ok identity link github bob --person E201   # search
ok user add --person M001 --role manager
ok user add --person E101 --role employee
values=$(sql "SELECT COUNT(*) FROM metric_values")
refused() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'team-metric-on-person'"; }

run metrics show pr_throughput --person E101 --from 2024-01-01 --to 2024-06-01
expect_status 3
expect_err "refused by acceptable-use rule team-metric-on-person: metric 'pr_throughput' cannot be computed for person E101"
expect_err "org,team,service, not individual"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refused computation stored values"
[ "$(refused)" = 1 ] || fail "the refusal was not audited"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'policy.refused'" | jq -r .op)" = metric.compute ] ||
	fail "the refusal does not name the operation"
# The four DORA keys are team metrics too.
run --as M001 dora --person E101
expect_status 3
expect_err "refused by acceptable-use rule team-metric-on-person"
[ "$(refused)" = 2 ] || fail "the dora refusal was not audited"
[ "$(sql "SELECT actor FROM audit_log WHERE action = 'policy.refused' ORDER BY seq DESC LIMIT 1")" = M001 ] ||
	fail "the refusal does not name who tried"
# --person is one scope among --team, --service and --org.
run metrics show pr_throughput --person E101 --team payments
expect_status 2

# A metric for individuals: computed over the person's own events.
ok metrics define "$FIXTURES/aup/my-prs.yaml"
ok metrics approve my_prs --version 1 --function development
ok metrics show my_prs --person E101 --from 2024-01-01 --to 2024-06-01 --json
expect_json '"\(.scope) \(.scope_name) \(.value.value) \(.value.n)"' "individual E101 1 1"
ok metrics show my_prs --person E201 --from 2024-01-01 --to 2024-06-01 --json
expect_json '.value.n' 0 # bob's pull request was closed, not merged
ok metrics show my_prs --team payments --from 2024-01-01 --to 2024-06-01 --json
# A person's count is one engineer's: per engineer is refused with that reason (found in
# review: the count came back undivided, or refused as "0 people, fewer than 5").
run metrics show my_prs --person E101 --from 2024-01-01 --to 2024-06-01 --normalize per-engineer
expect_status 1
expect_err "--normalize per-engineer applies to the org and teams: person E101's count is one engineer's already"
# The person's scope applies: an employee computes their own, not a colleague's.
ok --as E101 metrics show my_prs --person E101 --from 2024-01-01 --to 2024-06-01 --json
id=$(json .value.id)
run --as E101 metrics show my_prs --person E201 --from 2024-01-01 --to 2024-06-01
expect_status 3
expect_err "permission denied: E201 is outside your scope"
ok --as M001 explain "$id"
expect_out "acme/widgets#101"
ok user add --person E201 --role employee
run --as E201 explain "$id"
expect_status 3
expect_err "outside your scope"
# A built-in computation has no individual form even when a definition lists the scope.
sed -e 's/key: my_prs/key: my_lead_time/' -e 's/count: pull_request/builtin: lead_time/' \
	-e '/where:/d' -e '/status: merged/d' "$FIXTURES/aup/my-prs.yaml" >lt.yaml
ok metrics define lt.yaml
ok metrics approve my_lead_time --version 1 --function development
run metrics show my_lead_time --person E101
expect_status 1
expect_err "computes for the org, teams and services only"

# Over the server: 403 with a JSON error naming the rule; nothing stored.
values=$(sql "SELECT COUNT(*) FROM metric_values")
serve
tok=$(token M001 write)
http POST /api/v1/metrics/pr_throughput/values -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/json' -d '{"person":"E101"}'
expect_http 403
expect_json .error.code policy_refused
expect_json '.error.message | startswith("refused by acceptable-use rule team-metric-on-person:")' true
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refused API computation stored values"
[ "$(refused)" = 3 ] || fail "the API refusal was not audited"
stop_server
ok audit verify
