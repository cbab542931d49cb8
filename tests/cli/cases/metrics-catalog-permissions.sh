# Defining, retiring, mapping, unmapping, recording a review, adding objectives and setting
# stages need the admin role (exit 3, nothing written but the refusal); reading the catalogue
# is for any user; approving and objecting speak for a function, so they take a leader, people
# partner or admin (an employee or an analyst is refused, found in audit), and an approval
# records who approved.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person H001 --role employee
ok user add --person E101 --role analyst
ok user add --person M002 --role leader:search
cp "$ROOT/examples/metrics/failed-ci-runs.yaml" def.yaml
data() { sql "SELECT (SELECT COUNT(*) FROM metric_defs)||' '||(SELECT COUNT(*) FROM metric_objectives)||' '||(SELECT COUNT(*) FROM objectives)||' '||(SELECT COUNT(*) FROM service_stages)||' '||(SELECT COUNT(*) FROM metric_approvals)"; }
before=$(data)
run --as H001 metrics define def.yaml
expect_status 3
expect_err "permission denied: metric.define needs the admin role"
run --as H001 metrics retire wip --reason no
expect_status 3
run --as H001 metrics map wip --objective quality
expect_status 3
run --as H001 metrics unmap wip --objective efficiency
expect_status 3
run --as H001 metrics reviewed wip
expect_status 3
run --as H001 objectives add sneaky
expect_status 3
run --as H001 service stage anything --stage new
expect_status 3
[ "$(data)" = "$before" ] || fail "a refused command wrote: $before -> $(data)"
ok audit log --json --limit 1
expect_json '.[0].action' access.denied
ok --as H001 metrics catalog --json
expect_json 'length' 11
ok --as H001 objectives
ok metrics define def.yaml
for u in H001 E101; do
	run --as $u metrics approve failed_ci_runs --version 1 --function development
	expect_status 3
	expect_err "permission denied: only a leader, people partner or admin may approve a metric definition"
	ok audit log --json --limit 1
	expect_json '"\(.[0].action) \(.[0].actor)"' "access.denied $u"
done
run --as H001 metrics object failed_ci_runs --version 1 --function development --reason no
expect_status 3
expect_err "may object to a metric definition"
[ "$(sql "SELECT COUNT(*) FROM metric_approvals")" = 0 ] || fail "a refused decision was stored"
ok --as M002 metrics approve failed_ci_runs --version 1 --function development
expect_out "now active"
[ "$(sql "SELECT decided_by FROM metric_approvals")" = M002 ] || fail "the approver was not recorded"
ok audit log --json --limit 5
expect_json '[.[] | select(.action == "metric.approve")][0].actor' M002
