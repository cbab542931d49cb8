# After `person merge` a record's demographic attributes are held under the record it went
# into, which `me`, `me export` and readers read.  An import that still names the merged
# record (an HRIS export of the old id) is refused, naming the file, the line and the record
# to name instead, and nothing of the file is stored.  (Found hunting merges: the attribute
# was stored under the merged record, where the human's `me export`, a subject access
# request, left it out.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E104 --role people-partner
ok user add --person E101 --role employee
ok person merge E103 --into E101 --reason "one human, two HRIS records"
printf 'employee_id,attribute,value\nE102,gender,male\nE103,gender,female\n' >hris.csv
before=$(sql "SELECT COUNT(*) FROM person_demographics")
run --as E104 demographics import hris.csv
expect_status 1
expect_err "hris.csv:3: employee_id: E103 was merged into E101 (person merge): name E101"
[ "$(sql "SELECT COUNT(*) FROM person_demographics")" = "$before" ] || fail "a refused import stored something"
printf 'employee_id,attribute,value\nE102,gender,male\nE101,gender,female\n' >hris2.csv
ok --as E104 demographics import hris2.csv
ok --as E101 me export
expect_json '.demographics | map(.attribute + "=" + .value) | join(",")' "gender=female"
ok audit verify
