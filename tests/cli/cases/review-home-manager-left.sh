# The reviewee's manager in the cycle leaves mid-cycle: their manager reviews are withdrawn
# (owed by nobody, cycle status lists them under the leaver), and the reviewee's manager now
# may write the evaluation (found in review: M002, E102's manager after M001 left, was refused,
# exit 3, and only a people partner could rate E102). A manager who is not the reviewee's, and
# the manager now while the one in the cycle is still there, may not; both read it.
init_db
export PLUMB_NOW=2026-11-01T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E102 --role employee
for p in M001 M002; do ok user add --person "$p" --role manager; done
ok cycle create a26 --kind annual --scope payments --due self_review=2026-11-10 \
	--due feedback=2026-11-20 --due manager_review=2026-11-30
file e.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
# E102 moves to M002 (in payments still); M001 is still there: M002 may not rate E102.
sed 's/^\(E102,"Nguyen, Minh",[^,]*,\)M001,/\1M002,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E102,.*,M002,payments,' org2.csv || fail "the org file did not move E102"
PLUMB_NOW=2026-11-03T00:00:00Z ok org import org2.csv
PLUMB_NOW=2026-11-04T00:00:00Z run --as M002 evaluation submit --cycle a26 --person E102 "$T/e.yaml"
expect_status 3
# M001 leaves on 2026-11-05.
sed -E 's/^(M001,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-05,/' org2.csv >org3.csv
grep -q '^M001,.*,2026-11-05,' org3.csv || fail "the org file did not end M001"
PLUMB_NOW=2026-11-04T00:00:00Z ok org import org3.csv
export PLUMB_NOW=2026-11-12T00:00:00Z
ok cycle status --cycle a26 --json
expect_json '.left | map(select(.person == "M001")) | .[0].withdrawn | map(select(startswith("manager review of E102 "))) | join(",")' \
	"manager review of E102 by M001"
ok --as M002 evaluation submit --cycle a26 --person E102 "$T/e.yaml"
expect_out "evaluation of E102 in cycle a26: version 1 stored"
ok cycle status --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee == "E102" and .relation == "manager") | "\(.done) \(.withdrawn)"] | join(",")' "true false"
ok --as M002 evaluation history --cycle a26 --person E102
expect_out "version 1 (manager) by M002"
# M002 is no manager of E101 (still M001's report, in the file): refused.
run --as M002 evaluation submit --cycle a26 --person E101 "$T/e.yaml"
expect_status 3
