# metrics show --by over a period of more than 1000 days, weeks or months is a usage error
# (exit status 2, as an empty period is), refused before anything is computed, with what to
# ask instead; it was exit status 1, after the whole period's value had been computed (found
# hunting).  1000 points are fine: 2024-01-01 + 1000 days is 2026-09-27 (2024 is a leap year:
# 366 + 365 = 731 days to 2026-01-01, then 269 more).
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(sql "SELECT COUNT(*) FROM audit_log")
run metrics show pr_throughput --from 2024-01-01 --to 2026-09-28 --by day
expect_status 2
expect_err "plumb: error: --by day over 2024-01-01 to 2026-09-28 gives 1001 values; at most 1000"
expect_err "hint: ask for a shorter period, or --by week or month"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused query wrote an audit entry"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = 0 ] || fail "a refused query stored values"
ok metrics show pr_throughput --from 2024-01-01 --to 2026-09-27 --by day --json
expect_json '.points | length' 1000
# Weeks (Monday first): 1001 weeks from Monday 2007-01-01 end 7007 days later, on
# 2026-03-09; 1000 weeks are fine.
run metrics show pr_throughput --from 2007-01-01 --to 2026-03-09 --by week
expect_status 2
expect_err "--by week over 2007-01-01 to 2026-03-09 gives 1001 values; at most 1000"
ok metrics show pr_throughput --from 2007-01-01 --to 2026-03-02 --by week --json
expect_json '.points | length' 1000
