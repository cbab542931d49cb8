# feedback submit: a draft, a submission and an amendment are versions of one response (history
# with --mine), stored as canonical JSON and audited with ids, version and status, never the
# text; every validation error names file, line and path and writes nothing; only an active
# assignment may write, --relation picks among several; once the relation's phase closes
# (plumb cycle advance) the response can no longer change.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments
ok cycle create c26 --kind checkin --scope payments
for p in E101 E102 E103 E104 E201; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
# (A failed attempt under --as is recorded, {"ok":false}: no write.)
n_rows() { sql "SELECT (SELECT COUNT(*) FROM feedback_responses) || ' ' || (SELECT COUNT(*) FROM audit_log WHERE detail <> '{\"ok\":false}')"; }

# A draft, then a submission, then an amendment of E102's self review.
file draft.yaml <<'EOF'
answers:
  strengths: Drafting
EOF
file self.yaml <<'EOF'
# keys in no particular order: the stored body sorts them
ratings:
  delivery: 4
  collaboration: 3
answers:
  strengths: Shipped the "ledger".
  growth: |
    More docs.
    Fewer pages.
comments: A good year
EOF
file self2.yaml <<'EOF'
answers:
  strengths: Shipped the ledger and the refunds.
EOF
ok --as E102 feedback submit --cycle y26 --for E102 draft.yaml --draft
expect_out "self feedback on E102 saved as a draft (version 1)"
ok --as E102 feedback submit --cycle y26 --for E102 self.yaml
expect_out "self feedback on E102 submitted (version 2)"
ok --as E102 feedback submit --cycle y26 --for E102 self2.yaml --json
expect_json '"\(.relation) \(.version) \(.status) \(.amended)"' "self 3 submitted true"
self_id=$(sql "SELECT a.id FROM review_assignments a JOIN people p ON p.id = a.reviewee_id WHERE p.employee_id = 'E102' AND a.relation = 'self' AND a.cycle_id = 1")
[ "$(sql "SELECT version || ':' || status || ':' || created_by FROM feedback_responses WHERE assignment_id = $self_id ORDER BY version")" = \
	"1:draft:E102
2:submitted:E102
3:submitted:E102" ] || fail "versions: $(sql "SELECT version, status FROM feedback_responses")"
[ "$(sql "SELECT body FROM feedback_responses WHERE assignment_id = $self_id AND version = 2")" = \
	'{"answers":{"growth":"More docs.\nFewer pages.\n","strengths":"Shipped the \"ledger\"."},"comments":"A good year","ratings":{"collaboration":3,"delivery":4}}' ] ||
	fail "body not canonical: $(sql "SELECT body FROM feedback_responses WHERE version = 2")"
# --mine: every version, the draft included, oldest first.
ok --as E102 feedback show --cycle y26 --for E102 --mine --json
expect_json '.reader' mine
expect_json '.responses | map("\(.version) \(.status)") | join(",")' "1 draft,2 submitted,3 submitted"
expect_json '.responses[0].answers[0].answer' Drafting
expect_json '.responses[1].answers | map(.question) | join(",")' "strengths,growth"
expect_json '.responses[1].ratings | map("\(.competency) \(.rating) \(.label)") | join(",")' \
	"delivery 4 Exceeds expectations,collaboration 3 Meets expectations"
expect_json '.responses[2].answers[0].answer' "Shipped the ledger and the refunds."
ok --as E102 feedback show --cycle y26 --for E102 --mine
expect_out "your feedback on E102 in cycle y26 (3 versions)"
expect_out "self review, version 1, draft "
expect_out "self review, version 3, submitted "
# The reviewee's own view shows the newest submitted version only.
ok --as E102 feedback show --cycle y26 --for E102 --json
expect_json '.responses | map("\(.relation) \(.version)") | join(",")' "self 3"
# Audit: one entry per save, ids, version and status only.
[ "$(sql "SELECT actor || ' ' || object_type || ' ' || detail FROM audit_log WHERE action = 'feedback.submit' ORDER BY seq")" = \
	"E102 feedback {\"cycle\":1,\"assignment\":$self_id,\"version\":1,\"status\":\"draft\"}
E102 feedback {\"cycle\":1,\"assignment\":$self_id,\"version\":2,\"status\":\"submitted\"}
E102 feedback {\"cycle\":1,\"assignment\":$self_id,\"version\":3,\"status\":\"submitted\"}" ] ||
	fail "audit entries: $(sql "SELECT detail FROM audit_log WHERE action = 'feedback.submit'")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%ledger%' OR detail LIKE '%Drafting%' OR detail LIKE '%good year%'")" = 0 ] ||
	fail "feedback text reached the audit log"

# Validation errors: file, line, path, reason; nothing written.
before=$(n_rows)
bad() { # bad CYCLE FILE EXPECTED: E102's self review from FILE is refused with EXPECTED
	run --as E102 feedback submit --cycle "$1" --for E102 "$2"
	expect_status 1
	expect_err "$3"
	[ "$(n_rows)" = "$before" ] || fail "a refused file ($2) wrote something"
}
printf 'answers:\n  strengths: ok\n  nope: x\n' >b1.yaml
bad y26 b1.yaml "plumb: error: b1.yaml:3: answers.nope: unknown question for self feedback in an annual cycle; the questions are: strengths, growth"
printf 'answers:\n  blockers: x\n' >b2.yaml
bad y26 b2.yaml "b2.yaml:2: answers.blockers: not a question for self feedback in an annual cycle; the questions are: strengths, growth"
printf 'answers:\n  growth: x\n' >b3.yaml
bad c26 b3.yaml "b3.yaml:2: answers.growth: not a question for self feedback in a checkin cycle; the questions are: strengths, blockers"
printf 'answers:\n  strengths: ok\nratings:\n  teamwork: 3\n' >b4.yaml
bad y26 b4.yaml "b4.yaml:4: ratings.teamwork: unknown competency in framework version 1; the competencies are: technical_skill, delivery, collaboration"
printf 'ratings:\n  delivery: 4\n  technical_skill: 6\n' >b5.yaml
bad y26 b5.yaml "b5.yaml:3: ratings.technical_skill: '6' is not on the scale five_point: expected one of 1 (Well below expectations), 2 (Below expectations), 3 (Meets expectations), 4 (Exceeds expectations), 5 (Far exceeds expectations)"
printf 'ratings:\n  delivery: high\n' >b6.yaml
bad y26 b6.yaml "b6.yaml:2: ratings.delivery: 'high' is not on the scale five_point"
# Digits only, as calibrate change --rating takes (strtol took these as 4).
printf 'ratings:\n  delivery: " 4"\n' >b6s.yaml
bad y26 b6s.yaml "b6s.yaml:2: ratings.delivery: ' 4' is not on the scale five_point"
printf 'ratings:\n  delivery: +4\n' >b6p.yaml
bad y26 b6p.yaml "b6p.yaml:2: ratings.delivery: '+4' is not on the scale five_point"
printf 'answers:\n  strengths: ok\nratings:\n  delivery: 4\n' >b7.yaml
bad c26 b7.yaml "b7.yaml:3: ratings: cycle 'c26' collects no ratings; leave them out"
printf 'answers:\n  strengths: ""\ncomments: ~\n' >b8.yaml
bad y26 b8.yaml "b8.yaml:1: feedback: the submission is empty: expected at least one answer, rating or comment"
# Spaces only are no answer and no comment (found in review: they were submitted).
printf 'answers:\n  strengths: "   "\ncomments: "\\t \\n"\n' >b8s.yaml
bad y26 b8s.yaml "b8s.yaml:1: feedback: the submission is empty: expected at least one answer, rating or comment"
printf '# nothing yet\n' >b9.yaml
bad y26 b9.yaml "b9.yaml:1: feedback: the file is empty; expected answers:, ratings: or comments:"
printf 'answers:\n  strengths: ok\ncomments: %s\n' "$(head -c 8001 /dev/zero | tr '\0' x)" >b10.yaml
bad y26 b10.yaml "b10.yaml:3: comments: longer than 8000 bytes"
printf 'answers:\n  growth: %s\n' "$(head -c 8001 /dev/zero | tr '\0' x)" >b11.yaml
bad y26 b11.yaml "b11.yaml:2: answers.growth: longer than 8000 bytes"
# The limit is in bytes, and says so: 4,001 characters of two bytes each (found in review:
# the message said characters).
printf 'answers:\n  growth: %s\n' "$(printf '%.0s\303\251' $(seq 4001))" >b11u.yaml
bad y26 b11u.yaml "b11u.yaml:2: answers.growth: longer than 8000 bytes"
printf 'answers:\n  strengths: ok\nrating:\n  delivery: 4\n' >b12.yaml
bad y26 b12.yaml "b12.yaml:3: rating: unknown field in a feedback file; the fields are: answers, ratings, comments"
printf 'answers: [ok]\n' >b13.yaml
bad y26 b13.yaml "b13.yaml:1: answers: expected a mapping (key: value lines)"
printf 'answers:\n  strengths: [a, b]\n' >b14.yaml
bad y26 b14.yaml "b14.yaml:2: field answers.strengths: expected a single value"
printf 'answers:\n  strengths: ok\n  strengths: again\n' >b15.yaml
bad y26 b15.yaml "b15.yaml:3: answers.strengths: given twice"
# A tag plumb would read past (found: !!binary's base64 kept as the answer's words; in
# review: !!str null read as no answer, !!null hello as "hello").
printf 'answers:\n  strengths: !!binary aGVsbG8=\n' >b17.yaml
bad y26 b17.yaml "plumb: error: b17.yaml:2: the tag !!binary: plumb reads values untagged"
expect_err "hint: leave the tag out; quote a value to make it text"
printf 'answers: !!omap\n  - strengths: ok\n' >b18.yaml
bad y26 b18.yaml "b18.yaml:1: the tag !!omap: plumb reads values untagged"
printf 'answers:\n  strengths: !secret ok\n' >b19.yaml
bad y26 b19.yaml "b19.yaml:2: the tag !secret: plumb reads values untagged"
printf 'answers:\n  strengths: !!str null\n  growth: ok\n' >b20.yaml
bad y26 b20.yaml "b20.yaml:2: the tag !!str: plumb reads values untagged"
printf 'answers:\n  growth: ok\ncomments: !!null hello\n' >b21.yaml
bad y26 b21.yaml "b21.yaml:3: the tag !!null: plumb reads values untagged"
printf 'answers:\n  strengths: !<tag:example.com,2026:x> ok\n' >b22.yaml
bad y26 b22.yaml "b22.yaml:2: the tag !<tag:example.com,2026:x>: plumb reads values untagged"
# A tag that says what plumb reads anyway: text quoted, a mapping's own.
printf 'answers: !<tag:yaml.org,2002:map>\n  strengths: !!str "12"\ncomments: ! '"'"'plain'"'"'\n' >tagged-str.yaml
ok --as E103 feedback submit --cycle y26 --for E103 tagged-str.yaml --draft
[ "$(sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1")" = '{"answers":{"strengths":"12"},"comments":"plain"}' ] ||
	fail "!!str 12: $(sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1")"
before=$(n_rows)
printf 'answers:\n  strengths: "open\n' >b16.yaml
bad y26 b16.yaml "b16.yaml:"
expect_err "invalid YAML"
run --as E102 feedback submit --cycle y26 --for E102 missing.yaml
expect_status 4
expect_err "cannot open missing.yaml"
[ "$(n_rows)" = "$before" ] || fail "a missing file wrote something"

# Only an active assignment writes: others are refused (exit 3, audited), nothing stored.
ok --as E102 cycle nominate --cycle y26 --for E102 --reviewer E103
run --as E103 feedback submit --cycle y26 --for E102 self2.yaml
expect_status 3
expect_err "E103 holds no active review assignment for E102 in cycle 'y26'"
expect_err "the nomination awaits the reviewee's manager's approval"
# Without any assignment, someone E201 may not see is refused as an unknown id (found in
# review: the answers told E102, who exists, from E999, who does not).
run --as E201 feedback submit --cycle y26 --for E102 self2.yaml
expect_status 3
expect_err "permission denied: E102 is outside your scope"
run --as E201 feedback submit --cycle y26 --for E999 self2.yaml
expect_status 3
expect_err "permission denied: E999 is outside your scope"
run feedback submit --cycle y26 --for E102 self2.yaml
expect_status 3
expect_err "admin is not a person and holds no review assignments"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'feedback.submit'")" = 4 ] ||
	fail "refusals not audited"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 4 ] || fail "a refused submission wrote" # E102's three, E103's tagged draft
run --as E102 feedback submit --cycle y26 --for E102 self2.yaml --relation buddy
expect_status 2
expect_err "--relation 'buddy': expected self, manager, peer, upward or cross_functional"
run --as E102 feedback submit --cycle y26 --for E102 self2.yaml --relation peer
expect_status 3
expect_err "E102 holds no active peer review assignment for E102"
run --as E102 feedback submit --cycle nosuch --for E102 self2.yaml
expect_status 4
# Two relations to one person: --relation chooses.
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E104
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E104 --relation cross_functional
printf 'answers:\n  strengths: Fast reviews\n  growth: Write more\n' >peer.yaml
run --as E104 feedback submit --cycle y26 --for E102 peer.yaml
expect_status 2
expect_err "E104 reviews E102 in several relations in cycle 'y26' (peer, cross_functional)"
expect_err "choose one with --relation R"
ok --as E104 feedback submit --cycle y26 --for E102 peer.yaml --relation cross_functional
expect_out "cross_functional feedback on E102 submitted (version 1)"
[ "$(sql "SELECT a.relation FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id ORDER BY f.id DESC LIMIT 1")" = cross_functional ] ||
	fail "stored under the wrong relation"

# Closing the self-review phase ends changes to self reviews (exit 5, naming the phase and
# when it closed), drafts too; peer feedback goes on until the feedback phase closes.
ok cycle advance --cycle y26
expect_out "self_review closed, now in feedback"
closed=$(sql "SELECT closed_at FROM cycle_phases WHERE cycle_id = 1 AND name = 'self_review'")
when=$(date -u -d "@$((closed / 1000))" +%Y-%m-%dT%H:%M:%S)
before=$(n_rows)
for draft in "" --draft; do
	run --as E102 feedback submit --cycle y26 --for E102 self2.yaml $draft
	expect_status 5
	expect_err "the self_review phase of cycle 'y26' closed at $when"
	expect_err "self feedback can no longer change"
done
[ "$(n_rows)" = "$before" ] || fail "a refused amendment wrote something"
ok --as E104 feedback submit --cycle y26 --for E102 peer.yaml --relation peer
expect_out "peer feedback on E102 submitted (version 1)"
ok cycle advance --cycle y26
run --as E104 feedback submit --cycle y26 --for E102 peer.yaml --relation peer
expect_status 5
expect_err "the feedback phase of cycle 'y26' closed at"
# The history stays readable.
ok --as E102 feedback show --cycle y26 --for E102 --mine --json
expect_json '.responses | length' 3
ok audit verify
