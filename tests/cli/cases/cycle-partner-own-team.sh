# A people partner runs a cycle over their own team as well as the units they partner
# (cycle.c may_run_for: running a cycle is process, not content, so the partner's own record
# is in their reach). E204 partners payments and is the one member of people-ops, which no
# one partners: a cycle over both is theirs to create and advance; one over search is not.
init_db
sed -E 's/^(E204,[^,]*,[^,]*,)M002,search,/\1H001,people-ops,/' "$FIXTURES/org-small.csv" >org.csv
grep -q '^E204,.*,H001,people-ops,' org.csv || fail "the org file did not move E204 to people-ops"
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E204 --role people-partner:payments
ok --as E204 cycle create a26 --kind annual --scope payments --scope people-ops
expect_out "6 people"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewee_id
          WHERE p.employee_id = 'E204' AND a.relation = 'self'")" = 1 ] ||
	fail "E204's own self review is not in the cycle"
ok --as E204 cycle advance --cycle a26
expect_out "now in feedback"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('cycle.create', 'cycle.advance')
          AND actor = 'E204'")" = 2 ] || fail "expected E204's create and advance in the audit log"
# Their own record is the only one outside their units they may take in.
run --as E204 cycle create a27 --kind annual --scope people-ops --scope search
expect_status 3
expect_err "E204 may not create a review cycle for these teams: it covers people outside their org units"
[ "$(sql "SELECT COUNT(*) FROM cycles WHERE name = 'a27'")" = 0 ] || fail "a27 was written"
