# --normalize applies to counts: an SLO figure (the lowest attainment or budget left among the
# scope's SLOs) is refused, saying what it is (found hunting: "'slo_attainment' is a duration"),
# exit 1, and nothing is stored or audited.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
before=$(sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM metric_values)")
for key in slo_attainment error_budget_remaining; do
	for how in per-engineer per-service; do
		run metrics show "$key" --team platform --normalize "$how"
		expect_status 1
		expect_err "plumb: error: --normalize $how applies to counts; '$key' is an SLO figure, not a count"
	done
done
# The others say theirs, as before.
run metrics show lead_time --normalize per-service
expect_status 1
expect_err "'lead_time' is a duration, not a count"
run metrics show change_failure_rate --normalize per-service
expect_status 1
expect_err "'change_failure_rate' is a rate, not a count"
[ "$(sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM metric_values)")" = "$before" ] ||
	fail "a refused --normalize wrote"
