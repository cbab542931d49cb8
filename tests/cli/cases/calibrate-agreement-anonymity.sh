# calibrate agreement counts only the 360 ratings feedback show would show its reader: each
# writer once, also two records person merge made one human (a peer group of three responses
# from two humans is withheld at a threshold of 3), and never a group the reader wrote in
# (with their own ratings known, the statistic would tell whether the other few agreed).
# Found hunting: agreement counted responses, not writers, and took every group whatever
# the reader: after E103 was merged into E101, E102's peer group (withheld by feedback show)
# still gave an alpha of three raters, and E104, a participant who wrote in it, read the
# agreement of that group alone.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E104 --role manager
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
	--participants M001 --participants E104 --name room

# Three writers: the people partner reads the group and its agreement; E104, who wrote in
# it, reads neither.
ok --as H001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "3 true"
ok --as H001 calibrate agreement --session room --json
expect_json '"\(.withheld) \(.raters) \(.ratings) \(.units)"' "false 3 6 2"
ok --as E104 calibrate agreement --session room --json
expect_json '"\(.withheld) \(.alpha) \(.icc)"' "true null null"
expect_json .why "no rating is shown: none by a manager, and no competency rated by at least 3 in a peer, upward or cross-functional group but those you wrote in, which are not shown to you"
ok --as E104 calibrate agreement --session room
expect_out "withheld"

# E103 merged into E101: two writers, withheld by feedback show, and left out of agreement.
ok person merge E103 --into E101 --reason "one human, two records"
ok --as H001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "2 false"
ok --as H001 calibrate agreement --session room --json
expect_json '"\(.withheld) \(.alpha)"' "true null"
expect_json .ratings 0
