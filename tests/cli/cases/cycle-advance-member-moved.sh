# A people partner runs the cycle they made when a member moves to another unit (found in
# review: E204, people partner of payments, made a payments cycle; E103 moved to search, and
# E204 could no longer advance it, "it covers people outside their org units", nor could anyone
# but an admin). A member counts where they are now or in the team the cycle took them in; a
# partner of the unit they moved to alone still may not run the cycle.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E204 --role people-partner:payments
ok user add --person E202 --role people-partner:search
ok --as E204 cycle create a26 --kind annual --scope payments
ok --as E204 cycle advance --cycle a26
expect_out "now in feedback"
sed -E 's/^(E103,[^,]*,[^,]*,)M001,payments,/\1M002,search,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E103,.*,M002,search,' org2.csv || fail "the org file did not move E103 to search"
ok org import org2.csv
ok --as E204 cycle advance --cycle a26
expect_out "now in manager_review"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.advance' AND actor = 'E204'")" = 2 ] ||
	fail "expected two cycle.advance entries by E204"
# Covering E103 where they are now is not covering the cycle.
run --as E202 cycle advance --cycle a26
expect_status 3
expect_err "E202 may not advance this review cycle: it covers people outside their org units"
ok --as E204 cycle status --cycle a26 --json
expect_json .phase manager_review
