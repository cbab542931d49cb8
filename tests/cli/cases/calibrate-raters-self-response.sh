# The rater model leaves out self reviews (docs/calibration.md: a self-rater says nothing about
# leniency), and so a peer response one record wrote about another record of its own human
# before `person merge` made them one: the human rated themselves, as feedback show, which
# leaves it out of the group, has it (review-merged-self-peer-response.sh; found in review: the
# model took it as a peer's rating).  E102 and E202 rated each other as peers; E202 turns out
# to be E102.  Counted by hand: 8 manager evaluations, 16 peer responses, less those two.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --scope search --from 2026-01-01 --to 2026-12-31 --reviewer-cap 10
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
for p in E101 E102 E103 E104; do ok --as M001 evaluation submit --cycle a26 --person "$p" <(rated 4); done
for p in E201 E202 E203 E204; do ok --as M002 evaluation submit --cycle a26 --person "$p" <(rated 2); done
ok cycle advance --cycle a26 # calibration
ok user add --person H001 --role people-partner
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 --name cal
ok --as H001 calibrate raters --session cal --json
expect_json '"\(.model.ratings) \(.model.raters)"' "24 6"
ok person merge E202 --into E102 --reason "one human, two HRIS records"
ok --as H001 calibrate raters --session cal --json
# M001, M002, and the peers E101, E102 (who wrote as E102 and E202) and E201.
expect_json '"\(.model.ratings) \(.model.raters)"' "22 5"
ok audit verify
