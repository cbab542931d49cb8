# plumb me and its export cover review data: the feedback about you and what you wrote (counts,
# retention), your ratings and evaluation versions; the export gives your evaluations, your
# ratings (once the cycle delivers them), what you wrote (without whom a peer response was
# about) and the feedback about you as groups at the threshold, never naming a writer.
# What others wrote about you is counted once per writer, without times, and only as far as
# feedback show tells you of it (peer groups once the phase closed, the manager's once
# delivered); ratings and evaluation versions count once delivered.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E101
file self.yaml <<'EOF2'
answers:
  strengths: "I rebuilt refunds"
EOF2
ok --as E101 feedback submit --cycle a26 --for E101 "$T/self.yaml"
ok cycle advance --cycle a26
for r in E102 E103 E104; do
	printf 'answers:\n  strengths: "Pairs generously (%s)"\n' "$r" >"$T/fb-$r.yaml"
	ok --as "$r" feedback submit --cycle a26 --for E101 "$T/fb-$r.yaml"
done
file peer.yaml <<'EOF2'
answers:
  growth: "Nguyen could write more tests"
EOF2
ok --as E101 feedback submit --cycle a26 --for E102 "$T/peer.yaml"
holding() { echo "[.holdings[] | select(.what == \"$1\")][0]$2"; }
others="feedback others wrote about you, counted once the anonymity rules let you know of it"
# While the feedback phase is open, nothing of it: a count that moves tells when someone wrote.
ok --as E101 me --json
json '[.holdings[] | select(.category == "feedback_text")]' >"$T/fb-before.json"
ok --as E102 feedback submit --cycle a26 --for E101 "$T/fb-E102.yaml"
expect_out "amended (version 2)"
ok --as E101 me --json
json '[.holdings[] | select(.category == "feedback_text")]' >"$T/fb-after.json"
cmp -s "$T/fb-before.json" "$T/fb-after.json" ||
	fail "E102's amendment shows in E101's plumb me: $(diff "$T/fb-before.json" "$T/fb-after.json")"
expect_json "$(holding "$others" .count)" 0
ok cycle advance --cycle a26
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
case: Strong year.
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 "$T/ev.yaml"
printf 'answers:\n  strengths: "Owns refunds end to end"\n' >"$T/mgr.yaml"
ok --as M001 feedback submit --cycle a26 --for E101 "$T/mgr.yaml"

# The peer group once the phase closed, the amended response once; no times for it.  The
# manager's feedback, ratings and evaluation wait for delivery, as E101 reads them.
ok --as E101 me --json
expect_json "$(holding "rubric ratings about you" .count)" 0
expect_json "$(holding "evaluation versions about you" .count)" 0
expect_json "$(holding "$others" '| "\(.count) \(.first) \(.last) \(.retention.next)"')" "3 null null null"
expect_json "$(holding "self reviews you wrote" .count)" 1
expect_json "$(holding "self reviews you wrote" '.first != null')" true
wrote="feedback you wrote about others employed in US (kept by that country's rule)"
expect_json "$(holding "$wrote" .count)" 1
# Kept by the reviewee's country's rule, as retention applies it, not the writer's (found in
# review: E101, in DE, was shown DE's rule for feedback about E102, in the US).
sed 's/^      events: {days: 730, action: delete}/&\n      feedback_text: {days: 365, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q "feedback_text: {days: 365" "$T/policy.yaml" || fail "policy edit"
ok policy import "$T/policy.yaml"
ok --as E101 me --json
expect_json "$(holding "self reviews you wrote" .retention.days)" 365
expect_json "$(holding "$wrote" .retention.days)" 730
ok --as E101 me
grep -qxF "  $others: 3" "$T/out" || fail "me: no line '  $others: 3' (without times)"
# The evaluation is exported once the cycle delivers it, as evaluation history gives it.
ok --as E101 me export
expect_json '.evaluations | length' 0
expect_json '.ratings | length' 0
# Audit entries naming E101 on other objects: the nomination to review E102 (E101 knows whom
# they review), not those of E101's own peer reviewers, and not the evaluation before delivery.
expect_json '[.audit_entries[] | select(.action == "evaluation.submit")] | length' 0
expect_json '[.audit_entries[] | select(.action == "cycle.nominate") | "\(.actor) \(.detail.reviewee) \(.detail.reviewer)"] | join(",")' "M001 E102 E101"
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok --as E101 me --json
expect_json "$(holding "$others" .count)" 4
expect_json "$(holding "rubric ratings about you" .count)" 3
expect_json "$(holding "evaluation versions about you" .count)" 1
ok --as E101 me
expect_out "M001 evaluation.submit"
ok --as E101 me export
expect_json '[.audit_entries[] | select(.action == "evaluation.submit") | "\(.actor) \(.detail.person) \(.detail.version)"] | join(",")' "M001 E101 1"
expect_json '[.audit_entries[] | select(.action == "cycle.nominate")] | length' 1
expect_json '[.evaluations[] | "\(.cycle) \(.version) \(.manager_case)"] | join(",")' "a26 1 Strong year."
expect_json '[.manager_feedback[] | .body.answers.strengths] | join(",")' "Owns refunds end to end"
expect_json '.evidence | length' 0
expect_json '[.ratings[] | "\(.dimension)=\(.rating)"] | join(",")' "collaboration=4,delivery=3,technical_skill=4"
# Written as evaluation history writes them: 4, not SQLite's text of a double, 4.0 (jq reads
# both as 4, so the text itself is read).
grep -Eq '"rating": ?4[,}]' "$T/out" || fail "ratings not written as numbers: $(grep -o '"rating":[^,}]*' "$T/out" | head -3)"
expect_json '[.feedback_written[] | "\(.relation) \(.status)"] | join(",")' "self submitted,peer submitted"
expect_json '[.feedback_written[] | keys[]] | unique | join(",")' "body,covered,cycle,relation,saved_at,status,version"
expect_json '[.feedback_received[] | select(.relation == "peer") | "\(.responses) \(.withheld)"] | join(",")' "3 false"
expect_json '[.feedback_received[] | select(.relation == "peer") | .answers[].answer] | sort | join("|")' \
	"Pairs generously (E102)|Pairs generously (E103)|Pairs generously (E104)"
# Nothing in the export says who wrote which peer response: no reviewer ids or names.
for who in '"E103"' '"E104"' "Sofia Rossi" "Tom Baker"; do expect_no_out "$who"; done
# A database from before schema 17, once upgraded, finds the same entries: audit_people is
# filled from the entries kept (nominations, decisions, evaluations).  Each export adds its
# own me.export entry, and peer answers come in a random order, so the entries are compared.
entries() { jq -S '[.audit_entries[] | select(.action != "me.export")]' "$T/out"; }
for who in E101 E102 M001; do
	ok --as "$who" me export
	entries >"$T/before-$who.json" || fail "me export of $who"
done
undo_schema_17
ok audit verify
for who in E101 E102 M001; do
	ok --as "$who" me export
	entries >"$T/after-$who.json" || fail "me export of $who"
	diff "$T/before-$who.json" "$T/after-$who.json" >&2 || fail "me export of $who changed by the upgrade"
done
[ "$(jq length "$T/before-E101.json")" -gt 1 ] || fail "too few entries about E101 to compare"
[ "$(sql "SELECT COUNT(*) FROM audit_people WHERE employee_id = 'E101'")" -gt 0 ] || fail "the upgrade indexed nothing"
