# Nobody who reads a person's feedback groups may write in them, also when they became a
# reader after they were made a reviewer (found in review: cycle nominate refused a reader,
# but feedback submit took the response of a peer whose reviewee had since come to report to
# them, and of a report granted a people-partner role over their manager's unit since cycle
# create, and the groups were then withheld from those readers). Each is refused as it writes
# (exit 1, drafts too, nothing stored), while the other reviewers write as before.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
printf 'answers:\n  strengths: "Keeps the build green"\n' >peer.yaml
printf 'answers:\n  growth: "Shares plans earlier"\n' >up.yaml
# Before anything changes, E101 saves a draft and E104 writes.
ok --as E101 feedback submit --cycle y26 --for E102 peer.yaml --draft
ok --as E104 feedback submit --cycle y26 --for E102 peer.yaml

# E102 comes to report to E101; E103 is made a people partner of payments (M001's unit).
sed 's/^\(E102,"Nguyen, Minh",[^,]*,\)M001,/\1E101,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E102,.*,E101,payments,' org2.csv || fail "the org file did not change E102's manager"
ok org import org2.csv
ok user add --person E101 --role manager
ok user add --person E103 --role people-partner:payments
before=$(sql "SELECT COUNT(*) FROM feedback_responses")

run --as E101 feedback submit --cycle y26 --for E102 peer.yaml
expect_status 1
expect_err "E101 cannot write peer feedback about E102: they read the feedback about E102 as one of their managers"
expect_err "a reader who also wrote in the group could tell the other writers apart"
run --as E101 feedback submit --cycle y26 --for E102 peer.yaml --draft
expect_status 1
run --as E103 feedback submit --cycle y26 --for E102 peer.yaml
expect_status 1
expect_err "E103 cannot write peer feedback about E102: they read the feedback about E102 as a people partner of their unit"
run --as E103 feedback submit --cycle y26 --for M001 up.yaml
expect_status 1
expect_err "E103 cannot write upward feedback about M001: they read the feedback about M001 as a people partner of their unit"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = "$before" ] || fail "a refused response was stored"

# The others write, and amend, as before; E101 still reads their own draft.
ok --as E104 feedback submit --cycle y26 --for E102 peer.yaml
expect_out "peer feedback on E102 amended (version 2)"
ok --as E102 feedback submit --cycle y26 --for M001 up.yaml
expect_out "upward feedback on M001 submitted (version 1)"
ok --as E101 feedback show --cycle y26 --for E102 --mine --json
expect_json '.responses | map("\(.relation) \(.version) \(.status)") | join(",")' "peer 1 draft"
