# calibrate agreement counts a 360 rating only as feedback show shows it, and feedback show
# leaves out a response one record wrote about another record of its own human before
# `person merge` made them one (review-merged-self-peer-response.sh): the human rated
# themselves.  E101, a peer of E102, turns out to be E102: the peer group is two writers, so
# withheld at the threshold of 3, by feedback show and by agreement alike (found in review:
# agreement still gave an alpha of three raters, E102's rating of themselves among them).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E104 --role employee
ok user add --person H001 --role people-partner
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
for r in E101:4 E103:2 E104:5; do
	printf 'answers:\n  strengths: "Peer %s"\nratings:\n  collaboration: %s\n  delivery: %s\n' \
		"${r%:*}" "${r#*:}" "${r#*:}" >"peer-${r%:*}.yaml"
	ok --as "${r%:*}" feedback submit --cycle y26 --for E102 "peer-${r%:*}.yaml"
done
ok cycle advance --cycle y26 # to feedback
ok cycle advance --cycle y26 # the feedback phase closes
ok --as H001 calibrate session create --cycle y26 --population payments --facilitator H001 \
	--participants M001 --name room
# Three writers, three humans: read.
ok --as H001 calibrate agreement --session room --json
expect_json '"\(.withheld) \(.raters) \(.ratings) \(.units)"' "false 3 6 2"

ok person merge E101 --into E102 --reason "one human, two records"
ok --as H001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "2 false"
ok --as H001 calibrate agreement --session room --json
expect_json '"\(.withheld) \(.alpha)"' "true null"
expect_json .ratings 0
ok audit verify
