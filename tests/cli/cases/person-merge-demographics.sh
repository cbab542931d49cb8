# Two records found to be one human: the demographic attributes held under the record merged
# away move with its accounts, events and consent records, so `me` and `me export` of the
# human show them and readers find them under the record it went into; where both records
# hold an attribute, the newer value stays. (Found in session 40: after the merge, the
# attributes stayed under the merged record, and `me export` left them out.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E104 --role people-partner
ok user add --person E101 --role employee
printf 'employee_id,attribute,value\nE101,age_band,30-39\nE101,gender,unknown\n' >older.csv
printf 'employee_id,attribute,value\nE103,gender,female\nE103,ethnicity,x\n' >newer.csv
ok --as E104 demographics import older.csv
sleep 0.01
ok --as E104 demographics import newer.csv
ok person merge E103 --into E101 --reason "one human, two HRIS records"
ok audit log --json --object person:E103
expect_json '[.[] | select(.action == "person.merge")][0].detail.demographics' 2
ok --as E101 me --json
expect_json '.demographics | join(",")' "age_band,ethnicity,gender"
ok --as E101 me export
expect_json '.demographics | map(.attribute + "=" + .value) | join(",")' "age_band=30-39,ethnicity=x,gender=female"
ok --as E104 demographics show E101 --json
expect_json 'map(.attribute + "=" + .value) | join(",")' "age_band=30-39,ethnicity=x,gender=female"
ok --as E104 demographics show E103 --json
expect_json 'length' 0
[ "$(sql "SELECT COUNT(*) FROM person_demographics")" = 3 ] || fail "attributes left behind: $(sql "SELECT person_id || ' ' || attribute FROM person_demographics")"

# The newer value stays whichever record holds it.
printf 'employee_id,attribute,value\nE105,gender,male\n' >e105.csv
printf 'employee_id,attribute,value\nE101,gender,nonbinary\n' >e101.csv
ok --as E104 demographics import e105.csv
sleep 0.01
ok --as E104 demographics import e101.csv
ok person merge E105 --into E101 --reason "one human, three HRIS records"
ok --as E104 demographics show E101 --json
expect_json 'map(.attribute + "=" + .value) | join(",")' "age_band=30-39,ethnicity=x,gender=nonbinary"
ok audit verify
