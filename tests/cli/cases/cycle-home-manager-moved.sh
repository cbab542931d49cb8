# The reviewee's manager in the cycle (their home manager when it was created) decides on their
# peer nominations and writes their review, also once the reviewee has moved to another
# manager; they also see the reviewee's assignments (found in review: after E102 moved from
# M001 to M002, cycle assignments, cycle status and the cycle's page showed M001 none of
# E102's rows but the manager review, not the nomination M001 was to decide on).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments
ok --as E102 cycle nominate --cycle a26 --for E102 --reviewer E103
sed 's/^\(E102,"Nguyen, Minh",[^,]*,\)M001,payments/\1M002,search/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E102,.*,M002,search,' org2.csv || fail "the org file did not move E102"
ok org import org2.csv
rows() { json '[.assignments[] | select(.reviewee == "E102") | "\(.relation):\(.reviewer):\(.status)"] | join(",")'; }
ok --as M001 cycle assignments --cycle a26 --json
[ "$(rows)" = "self:E102:active,manager:M001:active,peer:E103:nominated" ] || fail "M001 sees of E102: $(rows)"
ok --as M001 cycle status --cycle a26 --json
[ "$(rows)" = "self:E102:active,manager:M001:active,peer:E103:nominated" ] || fail "M001's status of E102: $(rows)"
expect_json '.short_of_peers | map(select(startswith("E102 "))) | join(",")' "E102 (0 of 2)"
# The manager in the cycle decides; the refusal tells M002, E102's manager now, so (it said
# "their manager does", though M002 is).
run --as M002 cycle decide --cycle a26 --for E102 --reviewer E103 --decision approve
expect_status 3
expect_err "M002 may not decide on E102's reviewers: their manager in the cycle does"
ok --as M001 cycle decide --cycle a26 --for E102 --reviewer E103 --decision approve
# Others see as before: M002, E102's manager now, sees them; E101 does not.
ok --as M002 cycle assignments --cycle a26 --json
[ "$(rows)" = "self:E102:active,manager:M001:active,peer:E103:active" ] || fail "M002 sees of E102: $(rows)"
ok --as E101 cycle assignments --cycle a26 --json
[ "$(rows)" = "" ] || fail "E101 sees of E102: $(rows)"
