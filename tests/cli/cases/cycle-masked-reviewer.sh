# A reviewer whose roles mask people (an analyst too) still sees whom they review in their own
# work, as they name them to write it: cycle status and assignments give their own rows with
# real ids, and the review pages link to and open their forms. Found
# hunting: the rows came masked, the /reviews links pointed at pseudonyms, every form answered
# 403, while `feedback submit` on the CLI worked.
# Their own self review row names them, the peers' rows about them a pseudonym: status counts
# a reviewee's peers by the person, not by what a row shows (found hunting: with its two peers
# approved, an analyst was told they were short of peers, "E102 (0 of 2)").
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer E102
ok --as M001 cycle nominate --cycle a26 --for E103 --reviewer E101
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E101
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E103
ok user add --person E102 --role analyst
ok --as E102 cycle assignments --cycle a26 --json
mine='[.assignments[] | select(.reviewer == "E102") | "\(.relation) \(.reviewee)"] | sort | join(",")'
expect_json "$mine" "peer E101,self E102,upward M001"
expect_json '[.assignments[] | select(.relation == "peer" and .reviewer != "E102")] | length' 2
ok --as E102 cycle status --cycle a26 --json
expect_json '.short_of_peers | join(",")' ""
ok --as E102 cycle status --cycle a26
expect_no_out "E102 (0 of 2)"
# And they read the feedback about themselves, as every reviewee does (evaluation history,
# score show and plumb me export gave them theirs; found hunting: feedback show refused
# them "E102 may not read review feedback"). Others' feedback stays refused.
file self.yaml <<'EOF2'
answers:
  strengths: "Self review of E102"
EOF2
ok --as E102 feedback submit --cycle a26 --for E102 "$T/self.yaml"
ok --as E102 feedback show --cycle a26 --for E102 --json
expect_json '"\(.reader) \(.responses[0].relation) \(.responses[0].answers[0].answer)"' "self self Self review of E102"
run --as E102 feedback show --cycle a26 --for E101
expect_status 3
expect_err "E102 may not read review feedback"
tok=$(token E102 write)
serve
http GET /reviews -H "Authorization: Bearer $tok"
expect_http 200
grep -q 'href="/cycles/a26/feedback/E101?relation=peer"' "$T/out" || fail "no link to the peer form: $(grep -o 'href="/cycles/[^"]*"' "$T/out")"
http GET "/cycles/a26/feedback/E101?relation=peer" -H "Authorization: Bearer $tok"
expect_http 200
http GET "/cycles/a26/feedback/E102?relation=self" -H "Authorization: Bearer $tok"
expect_http 200
stop_server
