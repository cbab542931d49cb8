# A corrected start date moves a person's first reporting line back to the new start
# (docs/org-import.md); the lines from then on are checked for reporting cycles too, not
# only those from --effective.  Found in session 40's hunt: Y001 reported to X001 until
# X001's line to Y001 began on X001's start date, 2026-03-01; a file dated 2026-06-01
# correcting X001's start to 2026-01-01 moved that line back over Y001's, and each managed
# the other for two months, accepted.
init_db
header='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date'
row() { echo "$1,Person $1,$(echo "$1" | tr 'A-Z' 'a-z')@acme.example,$2,eng,Engineer,L3,ic,backend,US,$3,"; }
{ echo "$header"; row X001 "" 2026-03-01; row Y001 X001 2025-01-01; } >i1.csv
{ echo "$header"; row X001 Y001 2026-03-01; row Y001 "" 2025-01-01; } >i2.csv
{ echo "$header"; row X001 Y001 2026-01-01; row Y001 "" 2025-01-01; } >i3.csv
ok org import i1.csv --effective 2026-01-01
ok org import i2.csv --effective 2026-03-01
lines() { sql "SELECT p.employee_id || '>' || m.employee_id || ' ' || r.valid_from || ' ' || COALESCE(r.valid_to, 0)
  FROM reporting_lines r JOIN people p ON p.id = r.person_id JOIN people m ON m.id = r.manager_id ORDER BY r.id"; }
before=$(lines)
run org import i3.csv --effective 2026-06-01
expect_status 1
expect_err "i3.csv:2: manager_id: reporting cycle from 2026-01-01 to 2026-03-01: X001 -> Y001 -> X001"
[ "$(lines)" = "$before" ] || fail "the refused import changed the reporting lines: $(lines)"
[ "$(sql "SELECT start_date FROM people WHERE employee_id = 'X001'")" = 1772323200000 ] ||
	fail "the refused import changed the start date"
# Any overlap is refused; a correction that closes no cycle goes through and moves the line
# back (Y001's start, before anyone managed X001).
{ echo "$header"; row X001 Y001 2026-02-01; row Y001 "" 2025-01-01; } >i4.csv
run org import i4.csv --effective 2026-06-01
expect_status 1
expect_err "reporting cycle from 2026-02-01 to 2026-03-01: X001 -> Y001 -> X001"
{ echo "$header"; row X001 Y001 2026-03-01; row Y001 "" 2024-06-01; } >i5.csv
ok org import i5.csv --effective 2026-06-01
[ "$(sql "SELECT r.valid_from FROM reporting_lines r JOIN people p ON p.id = r.person_id WHERE p.employee_id = 'Y001'")" = 1717200000000 ] ||
	fail "Y001's first line did not move to the corrected start: $(lines)"
ok audit verify
