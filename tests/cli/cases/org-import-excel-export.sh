# An HRIS export saved by a spreadsheet (UTF-8 BOM, CRLF line endings, a trailing blank line) imports like the plain file.
init_db
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$FIXTURES/org-small.csv"; printf '\r\n'; } >excel.csv
ok org import excel.csv
expect_out "excel.csv: 12 rows: 12 people created"
expect_out "37 identities added"
[ -s "$T/err" ] && grep -q warning "$T/err" && fail "BOM or CR produced a warning: $(cat "$T/err")"
ok person show H001 --json
expect_json .employee_id H001
ok person show E204 --json
expect_json '[.identities[] | select(.system == "pagerduty") | .login] | join(",")' PD0204
cr=$'\r' bom=$'\xef\xbb\xbf' # U+FEFF in UTF-8
[ "$(sql "SELECT COUNT(*) FROM identities WHERE login LIKE '%$cr%'")" = 0 ] || fail "a CR leaked into a login"
[ "$(sql "SELECT COUNT(*) FROM people WHERE employee_id LIKE '$bom%'")" = 0 ] || fail "the BOM leaked into an id"
# The plain file re-imports as unchanged: the values are the same.
ok org import "$FIXTURES/org-small.csv"
expect_out "0 updated, 12 unchanged"
