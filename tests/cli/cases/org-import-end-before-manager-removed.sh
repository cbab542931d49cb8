# A manager taken away is a change the end date must come after, as a new manager is: found by
# taking E103's manager away from 2026-12-10, then leaving her out of a --full file dated
# 2026-12-01 (or giving her that end date): she was ended at 2026-12-01 and her reporting line
# ran on to 2026-12-10, after she had left.
init_db
sed 's/^E103,\(.*\),M001,payments,/E103,\1,,payments,/' "$FIXTURES/org-small.csv" >nomgr.csv
grep -v '^E103,' nomgr.csv >without.csv
sed 's/^\(E103,.*,2022-04-04\),,/\1,2026-12-01,/' nomgr.csv >ended.csv
[ "$(diff "$FIXTURES/org-small.csv" ended.csv | grep -c '^>')" = 1 ] || fail "fixture edit did not apply"
PLUMB_NOW=2026-11-28 ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
PLUMB_NOW=2026-11-28 ok org import nomgr.csv --effective 2026-12-10
state() { sql "SELECT (SELECT COUNT(*) FROM audit_log) || ' ' || (SELECT COUNT(*) FROM team_memberships WHERE valid_to IS NULL) || ' ' || (SELECT COALESCE(end_date, 0) FROM people WHERE employee_id = 'E103')"; }
before=$(state)
PLUMB_NOW=2026-11-28 run org import without.csv --full --effective 2026-12-01
expect_status 1
expect_err "without.csv:1: --full: cannot end E103 at 2026-12-01: their records run from 2026-12-10"
[ "$(state)" = "$before" ] || fail "a refused --full wrote something"
PLUMB_NOW=2026-11-28 run org import ended.csv --effective 2026-11-28
expect_status 1
expect_err "ended.csv:7: end_date: 2026-12-01 is not after E103's records from 2026-12-10"
[ "$(state)" = "$before" ] || fail "a refused end date wrote something"
# Ended after the manager went: each row ends by the end date.
PLUMB_NOW=2026-11-28 ok org import without.csv --full --effective 2026-12-15
ok person show E103 --json
expect_json '[.history[] | .kind + ":" + .value + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | join(" ")' \
	"level:L3@2022-04-04/2026-12-15 manager:M001@2022-04-04/2026-12-10 team:payments@2022-04-04/2026-12-15"
