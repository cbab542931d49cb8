# 360 feedback anonymity: peer feedback shows as a group at exactly the framework's threshold
# (3) of submitted responses once the feedback phase has closed, and is withheld whole (texts,
# ratings and comments) one below it or while the phase is open, saying why; while it is open
# not even the count is shown (reads before and after a submission are the same), nor below
# the threshold for upward feedback; drafts do not count and an amended response counts once,
# with its newest text; grouped texts come in a new random order on every read; upward
# feedback to a manager names none of its writers in any output (text, --json, the API, cycle
# status, plumb me).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role leader:engineering
ok user add --person E201 --role people-partner:payments
# E102 nominates three peers; their manager approves them.
for r in E101 E103 E104; do
	ok --as E102 cycle nominate --cycle y26 --for E102 --reviewer "$r"
	expect_out "nominated as a peer reviewer of E102"
	ok --as M001 cycle decide --cycle y26 --for E102 --reviewer "$r" --decision approve
done
# peer_file NAME STRENGTH COLLABORATION COMMENT
peer_file() {
	printf 'answers:\n  strengths: %s\nratings:\n  collaboration: %s\ncomments: %s\n' "$2" "$3" "$4" >"$1"
}

# Two submitted and one draft, the phase open: withheld whole, saying why, without a count.
peer_file a1.yaml "Alpha strength" 4 "Alpha note"
peer_file b.yaml "Bravo strength" 2 "Bravo note"
peer_file c-draft.yaml "Charlie draft" 5 "Charlie draft note"
ok --as E101 feedback submit --cycle y26 --for E102 a1.yaml
expect_out "peer feedback on E102 submitted (version 1)"
ok --as E103 feedback submit --cycle y26 --for E102 b.yaml
ok --as E104 feedback submit --cycle y26 --for E102 c-draft.yaml --draft
expect_out "peer feedback on E102 saved as a draft (version 1)"
withheld_twice() {
	ok --as M001 feedback show --cycle y26 --for E102 --json
	expect_json '.groups | length' 1
	expect_json '.groups[0] | "\(.relation) \(.responses) \(.threshold) \(.shown)"' "peer null 3 false"
	expect_json '.groups[0].withheld | startswith("peer feedback is shown once the feedback phase closes")' true
	expect_json '.groups[0] | keys | join(",")' "relation,responses,shown,threshold,withheld"
	ok --as M001 feedback show --cycle y26 --for E102
	expect_out "peer feedback: withheld: peer feedback is shown once the feedback phase closes"
	expect_out "if it then has at least 3 responses; until then not even their number is shown"
	for t in Alpha Bravo Charlie mean rating "2 peer"; do expect_no_out "$t"; done
}
withheld_twice
# An amendment is a new version of the same response: still two.
peer_file a2.yaml "Alpha amended" 5 "Alpha note 2"
ok --as E101 feedback submit --cycle y26 --for E102 a2.yaml
expect_out "peer feedback on E102 amended (version 2)"
withheld_twice
# The reviewee is told the same.
ok --as E102 feedback show --cycle y26 --for E102 --json
expect_json '.groups[0] | "\(.responses) \(.withheld | startswith("peer feedback is shown once"))"' "null true"

# The third submission reaches the threshold: the group shows, with the amended text only and
# the mean of 5, 2 and 3.
peer_file c.yaml "Charlie strength" 3 "Charlie note"
ok --as E104 feedback submit --cycle y26 --for E102 c.yaml
expect_out "peer feedback on E102 submitted (version 2)"
# While the feedback phase is open a group stays withheld even at the threshold: read before
# and after one writer amends, it would show what that writer changed.
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '.groups[0] | "\(.responses) \(.shown)"' "null false"
expect_json '.groups[0].withheld | startswith("peer feedback is shown once the feedback phase closes")' true
# Nor may an evaluation cite it yet: only a group that is shown.
file ev-peer.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: "seen in reviews"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, evidence: [{kind: feedback, ref: peer}]}
EOF2
run --as M001 evaluation submit --cycle y26 --person E102 ev-peer.yaml
expect_status 1
expect_err "ev-peer.yaml:4: ratings.collaboration.evidence[0].ref: cycle 'y26' has no peer feedback about E102 that may be cited"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "an evaluation citing a withheld group was stored"
# Upward feedback to M001 from three of their four reports (the fourth only a draft).
for r in E101 E102 E103; do
	printf 'answers:\n  growth: Upward growth %s\n  strengths: Upward strength\n' "${r/E/x}" >"up-$r.yaml"
	ok --as "$r" feedback submit --cycle y26 --for M001 "up-$r.yaml"
	expect_out "upward feedback on M001 submitted (version 1)"
done
printf 'answers:\n  growth: Upward draft\n' >up-draft.yaml
ok --as E104 feedback submit --cycle y26 --for M001 up-draft.yaml --draft
ok cycle advance --cycle y26
ok cycle advance --cycle y26
for reader in M001 E102 H001 E201; do
	ok --as "$reader" feedback show --cycle y26 --for E102 --json
	expect_json '.groups[0] | "\(.relation) \(.responses) \(.shown)"' "peer 3 true"
	expect_json '.groups[0].answers[0].question' strengths
	expect_json '.groups[0].answers[0].answers | sort | join("|")' "Alpha amended|Bravo strength|Charlie strength"
	expect_json '.groups[0].ratings | map("\(.competency) \(.mean) \(.count)") | join(",")' "collaboration 3.33 3"
	expect_json '.groups[0].comments | sort | join("|")' "Alpha note 2|Bravo note|Charlie note"
	# Nothing that could tell writers apart: no authors, versions or times in a group.
	json '.groups | tostring' | grep -qE 'author|version|saved_at|E10[1-4]' && fail "a group read by $reader identifies a writer"
done
ok --as M001 evaluation submit --cycle y26 --person E102 ev-peer.yaml
ok --as M001 feedback show --cycle y26 --for E102
expect_out "peer feedback, 3 responses as a group (in a random order):"
expect_out "rating collaboration: mean 3.33 of 3"
expect_no_out "Alpha strength"
expect_no_out "Charlie draft"

# A new random order on every read: over 20 reads more than one order, and some read not in
# the order of submission (1 chance in 6^20 of failing by luck with 3 texts).
orders=()
for i in $(seq 1 20); do
	ok --as M001 feedback show --cycle y26 --for E102 --json
	orders+=("$(json '.groups[0].comments | join("|")')/$(json '.groups[0].answers[0].answers | join("|")')")
done
distinct=$(printf '%s\n' "${orders[@]}" | sort -u | wc -l)
[ "$distinct" -gt 1 ] || fail "20 reads gave one order: ${orders[0]}"
printf '%s\n' "${orders[@]}" | grep -qv '^Alpha note 2|Bravo note|Charlie note/' ||
	fail "every read gave the comments in the order of submission"

# names: anything that could name a report of M001.
names='E10[1-5]|Lukas|Schmidt|Minh|Nguyen|Sofia|Rossi|Tom Baker|Ana Lima|lschmidt|mnguyen|srossi|tbaker'
for reader in M001 H001 E201; do
	ok --as "$reader" feedback show --cycle y26 --for M001
	expect_out "upward feedback, 3 responses as a group (in a random order):"
	expect_out "Upward growth x101"
	grep -qE "$names" "$T/out" && fail "text read by $reader names a writer of upward feedback"
	ok --as "$reader" feedback show --cycle y26 --for M001 --json
	expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "upward 3 true"
	expect_json '.groups[0].answers | map(.question) | join(",")' "strengths,growth"
	expect_json '.groups[0].answers[1].answers | sort | join("|")' "Upward growth x101|Upward growth x102|Upward growth x103"
	grep -qE "$names" "$T/out" && fail "--json read by $reader names a writer of upward feedback"
	json '.groups | tostring' | grep -qE 'author|version|saved_at' && fail "--json read by $reader has writer details"
done
# The people partner's author lookup leaves upward out, naming no one.
ok --as E201 feedback authors --cycle y26 --for M001 --json
expect_json '.not_shown | index("upward feedback is never attributed to anyone") != null' true
grep -qE "$names" "$T/out" && fail "authors names a writer of upward feedback"
ok --as E201 feedback authors --cycle y26 --for M001
expect_out "not shown: upward feedback is never attributed to anyone"
grep -qE "$names" "$T/out" && fail "authors text names a writer of upward feedback"
# Cycle status and assignments do not tell M001 which reports reviewed them.
ok --as M001 cycle status --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "upward" and .reviewee == "M001")] | length' 0
ok --as M001 cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "upward" and .reviewee == "M001")] | length' 0
# The API gives what the CLI gives.
serve
tok=$(token M001 read)
http GET /api/v1/cycles/y26/feedback/M001 -H "Authorization: Bearer $tok"
expect_http 200
expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "upward 3 true"
grep -qE "$names" "$T/out" && fail "the API names a writer of upward feedback"
stop_server
ok audit verify
# Nor does anyone up M001's chain, nor their people partner: who owes upward feedback is the
# writer's alone.  Peers' done times are theirs too: others see done or not.
for reader in H001 E201; do
	ok --as "$reader" cycle assignments --cycle y26 --json
	expect_json '[.assignments[] | select(.relation == "upward")] | length' 0
done
ok --as M001 cycle assignments --cycle y26 --json
expect_json '[.assignments[] | select(.relation == "peer" and .reviewee == "E102") | "\(.done) \(.done_at)"] | unique | join(",")' "true null"

# Upward feedback says no count while the phase is open, so a manager reading again and again
# cannot tell when a report wrote, nor below the threshold once it closed: with one report of
# four writing, M001 reads the same before and after, then "fewer than the threshold".
ok cycle create y27 --kind annual --scope payments
upward_read() {
	ok --as M001 feedback show --cycle y27 --for M001 --json
	json '.groups' >"$1"
}
upward_read before.json
expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "upward null false"
ok --as E101 feedback submit --cycle y27 --for M001 up-E101.yaml
upward_read after.json
cmp -s before.json after.json || fail "M001's reads before and after a report wrote differ: $(diff before.json after.json)"
ok --as M001 feedback show --cycle y27 --for M001
expect_no_out "1 upward"
ok --as M001 me export
expect_json '[.feedback_received[] | select(.cycle == "y27") | "\(.relation) \(.responses)"] | join(",")' "upward null"
ok cycle advance --cycle y27
ok cycle advance --cycle y27
for reader in M001 H001 E201; do
	ok --as "$reader" feedback show --cycle y27 --for M001 --json
	expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "upward null false"
	expect_json '.groups[0].withheld' "fewer upward responses than the threshold of 3; how many is not said, as it could tell which reports wrote"
	ok --as "$reader" feedback show --cycle y27 --for M001
	expect_out "upward feedback: withheld: fewer upward responses than the threshold of 3"
	expect_no_out "1 upward"
done
ok --as M001 me export
expect_json '[.feedback_received[] | select(.cycle == "y27") | "\(.relation) \(.responses) \(.withheld)"] | join(",")' "upward null true"
# plumb me counts y26's upward group (shown) and not y27's lone response.
ok --as M001 me --json
expect_json '[.holdings[] | select(.what | startswith("feedback others wrote about you"))][0].count' 3

# A writer who becomes a reader of the group later (a role granted after the nomination) is
# not shown it: with their own response taken out, the rest would tell the other writers
# apart (found in review).  E103 wrote in E102's peer group of three; made a people partner of
# payments, E103 is told why, while M001 still reads it.
ok user add --person E103 --role people-partner:payments
ok --as E103 feedback show --cycle y26 --for E102 --json
expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "peer null false"
expect_json '.groups[0].withheld' "peer feedback is not shown to you: you wrote in it, and with your own response taken out the rest would tell the other writers apart"
ok --as M001 feedback show --cycle y26 --for E102 --json
expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "peer 3 true"
# Nor does a cycle hand a report who is a people partner of their manager's unit an upward
# assignment, as a nomination of them would be refused (found in review: cycle create did).
ok cycle create y28 --kind annual --scope payments
upward_by() {
	sql "SELECT COUNT(*) FROM review_assignments a JOIN cycles c ON c.id = a.cycle_id JOIN people p ON p.id = a.reviewer_id WHERE c.name = 'y28' AND a.relation = 'upward' AND p.employee_id = '$1'"
}
[ "$(upward_by E103)" = 0 ] || fail "the people partner E103 was given upward feedback to write"
[ "$(upward_by E101)" = 1 ] || fail "E101 was not given upward feedback to write"
# The reviewee is told their manager's feedback comes at delivery whether or not it is written
# yet: the note came with the submission, and told when (found in review).
ok --as E102 feedback show --cycle y28 --for E102 --json
expect_json '.notes | join("|")' "your manager's feedback is shared with you once cycle 'y28' reaches its delivery phase (now: self_review)"
