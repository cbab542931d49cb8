# plumb demographics import: the policy's reader roles only (default people-partner), for
# the people their scope covers; every row checked first with file:line and field named,
# nothing written on any error; audited with counts and no values.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E203 --role people-partner:search
ok user add --person E101 --role people-partner
ok user add --person M002 --role manager
file d.csv <<'CSV'
employee_id,attribute,value
E201,gender,female
E201,age_band,30-39
E202,gender,"male"
CSV
rows() { sql "SELECT COUNT(*) FROM person_demographics"; }
# An admin is not a reader: refused, audited, nothing stored.
run demographics import d.csv
expect_status 3
expect_err "only the policy's demographics readers may import demographics"
[ "$(rows)" = 0 ] || fail "the admin's refused import stored rows"
run --as M002 demographics import d.csv
expect_status 3
# A people partner for search imports search's people.
ok --as E203 demographics import d.csv
expect_out "imported d.csv: 3 rows for 2 people, 3 attributes set, 0 unchanged"
[ "$(rows)" = 3 ] || fail "expected 3 rows, got $(rows)"
ok --as E203 demographics import d.csv --json
expect_json .set 0
expect_json .unchanged 3
# Out of scope: E101 is in payments; nothing of the file is written.
file out.csv <<'CSV'
employee_id,attribute,value
E201,gender,nonbinary
E101,gender,male
CSV
run --as E203 demographics import out.csv
expect_status 1
expect_err "out.csv:3: employee_id: no person in your scope has employee id E101"
sed 's/E101/ID/g' "$T/err" >scoped.err
# An unknown id gets the same answer: the refusal does not tell who exists.
file out.csv <<'CSV'
employee_id,attribute,value
E201,gender,nonbinary
E999,gender,male
CSV
run --as E203 demographics import out.csv
expect_status 1
sed 's/E999/ID/g' "$T/err" | cmp -s - scoped.err ||
	fail "an out-of-scope id and an unknown one are answered apart: $(cat scoped.err)"
[ "$(sql "SELECT value FROM person_demographics p JOIN people e ON e.id = p.person_id WHERE e.employee_id = 'E201' AND attribute = 'gender'")" = female ] ||
	fail "a refused import changed E201"
# Bad rows name file:line and field; all-or-nothing.
before=$(sql "SELECT COUNT(*) FROM audit_log")
check_bad() { # LINE FIELD TEXT: the file in bad.csv fails at LINE naming FIELD
	run --as E101 demographics import bad.csv
	expect_status 1
	expect_err "bad.csv:$1: $2"
	[ -n "$3" ] && expect_err "$3"
	[ "$(rows)" = 3 ] || fail "a bad file changed the stored rows"
}
printf 'employee_id,attribute,value\nE101,gender,male\nE999,gender,male\n' >bad.csv
check_bad 3 employee_id "no person with employee id E999"
printf 'employee_id,attribute,value\nE101,gender,male\nE102,Gender!,male\n' >bad.csv
check_bad 3 attribute "not an attribute name"
printf 'employee_id,attribute,value\nE101,gender,male\nE102,gender,\n' >bad.csv
check_bad 3 value "empty"
printf 'employee_id,attribute,value\nE101,gender,male\nE101,gender,female\n' >bad.csv
check_bad 3 attribute "also on line 2"
printf 'employee_id,attribute,value\nE101,gender\n' >bad.csv
check_bad 2 "expected 3 fields" ""
printf 'employee_id,attr,value\nE101,gender,male\n' >bad.csv
check_bad 1 "column 2 is 'attr'" ""
printf 'employee_id,attribute,value\n"E 101",gender,male\n' >bad.csv
check_bad 2 employee_id "not an employee id"
# A header alone is no import (found in review: it was audited as one of 0 rows).
printf 'employee_id,attribute,value\n' >bad.csv
check_bad 2 rows "the file lists nothing"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demographics.import' AND detail <> '{\"ok\":false}' AND seq > $before")" = 0 ] ||
	fail "a bad file was audited as an import"
# Each attempt under --as is on the record all the same, as failed.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demographics.import' AND object_type = 'op' AND detail = '{\"ok\":false}' AND actor = 'E101' AND seq > $before")" = 8 ] ||
	fail "the failed imports under --as were not recorded"
# A company-wide people partner imports anyone.
printf 'employee_id,attribute,value\nE101,gender,male\n' >ok.csv
ok --as E101 demographics import ok.csv
[ "$(rows)" = 4 ] || fail "expected 4 rows"
# The audit entries hold counts, never values.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demographics.import' AND detail <> '{\"ok\":false}'")" = 3 ] || fail "imports not audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%female%' OR detail LIKE '%30-39%'")" = 0 ] ||
	fail "a value in the audit log"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'demographics.import'")" = 4 ] ||
	fail "refusals not audited"
ok audit verify
