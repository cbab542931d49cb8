# The rater model takes two records `person merge` made one human as one rater: a manager whose
# record was merged into another (rehired under a new id) wrote some of a cycle's evaluations
# as each, and the room reads one rater with all of their ratings, under the record that
# stays (found hunting merges: the model fitted two raters, each with part of the human's
# ratings, so a lenient manager's effect was split, and shrunk, between them).
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "M201,Jonas Becker,jonas.becker2@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --scope search --from 2026-01-01 --to 2026-12-31 --reviewer-cap 10
# Peers across the two teams, each rating 3: what crosses the raters, so the model can tell a
# manager's leniency from a strong team.
for u in E101 E102 E201 E202; do ok user add --person "$u" --role employee; done
for p in E101 E102 E103 E104; do
	for r in E201 E202; do ok --as M001 cycle nominate --cycle a26 --for "$p" --reviewer "$r"; done
done
for p in E201 E202 E203 E204; do
	for r in E101 E102; do ok --as M002 cycle nominate --cycle a26 --for "$p" --reviewer "$r"; done
done
ok cycle advance --cycle a26 # feedback
printf 'answers:\n  strengths: "Solid"\n  growth: "More"\nratings:\n  collaboration: 3\n  delivery: 3\n' >peer.yaml
for p in E101 E102 E103 E104; do
	for r in E201 E202; do ok --as "$r" feedback submit --cycle a26 --for "$p" peer.yaml; done
done
for p in E201 E202 E203 E204; do
	for r in E101 E102; do ok --as "$r" feedback submit --cycle a26 --for "$p" peer.yaml; done
done
ok cycle advance --cycle a26 # manager_review
# E202 is found to be E201: the peer ratings the human wrote as either are one rater's.
ok person merge E202 --into E201 --reason "one human, two HRIS records"
for p in E101 E102; do ok --as M001 evaluation submit --cycle a26 --person "$p" <(rated 4); done
ok person merge M001 --into M201 --reason "rehired under a new id"
ok user add --person M201 --role manager
for p in E103 E104; do ok --as M201 evaluation submit --cycle a26 --person "$p" <(rated 4); done
# One human, one evaluation: E202, withdrawn from the cycle by the merge, is evaluated as E201.
run --as M002 evaluation submit --cycle a26 --person E202 <(rated 2)
expect_status 5
for p in E201 E203 E204; do ok --as M002 evaluation submit --cycle a26 --person "$p" <(rated 2); done
ok cycle advance --cycle a26 # calibration
ok user add --person H001 --role people-partner
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 --name cal
ok --as H001 calibrate raters --session cal --json
expect_json '[.raters[] | "\(.rater) \(.ratings) \(.people_in_session)"] | join(",")' "M002 3 3,M201 4 4"
# M201, M002, and the peers E101, E102 and E201 (who wrote as E201 and E202).
expect_json .model.raters 5
expect_json '[.people[] | select(.person == "E101" or .person == "E103") | .rated_by] | join(",")' "M201,M201"
ok --as H001 calibrate distribution --session cal --by manager --json
expect_out '"M201"'
expect_no_out '"M001"'
ok audit verify
