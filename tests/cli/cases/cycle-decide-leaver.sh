# A peer nominee who has left since the nomination is not approved (found in review: cycle
# decide approved them, an active assignment nobody could do, taking one of the reviewee's
# peer places): as cycle nominate refuses a leaver, a people partner who may still see them is
# told they have left (exit 1), a manager who no longer may gets the scope refusal (exit 3),
# and nothing changes; the nomination may still be declined.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person E204 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments
ok --as E102 cycle nominate --cycle a26 --for E102 --reviewer E103
ok --as E102 cycle nominate --cycle a26 --for E102 --reviewer E104
# E103 and E104 leave.
sed -E 's/^((E103|E104),.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-01-31,/' "$FIXTURES/org-small.csv" >org2.csv
[ "$(grep -c ',2026-01-31,' org2.csv)" = 2 ] || fail "the org file did not end E103 and E104"
ok org import org2.csv
status_of() { sql "SELECT a.status FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE a.relation = 'peer' AND p.employee_id = '$1'"; }
run --as E204 cycle decide --cycle a26 --for E102 --reviewer E103 --decision approve
expect_status 1
expect_err "E103 has left and cannot review anyone"
run --as M001 cycle decide --cycle a26 --for E102 --reviewer E104 --decision approve
expect_status 3
expect_err "permission denied: E104 is outside your scope"
[ "$(status_of E103) $(status_of E104)" = "nominated nominated" ] || fail "a leaver's nomination changed: $(status_of E103) $(status_of E104)"
ok --as M001 cycle decide --cycle a26 --for E102 --reviewer E104 --decision decline --reason "has left"
[ "$(status_of E104)" = declined ] || fail "the leaver's nomination was not declined"
