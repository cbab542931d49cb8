# `plumb me` lists who else read or changed a person's records.  After `person merge`, what the
# human did as the record merged away (its user, signed in before the merge) is theirs, not
# someone else's: it is not listed among the others (found hunting merges: E103's own consent
# and reads of their own record showed as E103's doing to E101, as if another person's).
# Others' reads and changes of either record still are.
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy skip delete
ok user add --person E103 --role employee
ok user add --person H001 --role people-partner
ok --as E103 consent grant --mechanism delivery_pipeline
ok --as E103 person show E103
ok --as H001 person show E103
ok person merge E103 --into E101 --reason "one human, two HRIS records"
ok user add --person E101 --role employee
ok --as E101 me --json
expect_json '[.read_by_others[] | .actor] | unique | join(",")' "H001,admin"
ok --as E101 me
expect_out "Z H001 "
expect_no_out "Z E103 "
ok audit verify
