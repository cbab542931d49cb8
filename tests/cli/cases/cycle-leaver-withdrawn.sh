# A person who leaves while a cycle runs owes nothing more, and is owed nothing not yet written
# (found in review: after E103's end date, cycle status still counted their self review, listed
# them late on it and on their upward feedback, kept M001 owing their manager review and E103
# short of peers, and notify chased it all). Decided at read time: before the end date all is
# owed, and a person re-hired (end date removed) is owed again. What was written is kept.
init_db
export PLUMB_NOW=2026-11-01T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person E204 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments --due self_review=2026-11-10 \
	--due feedback=2026-11-20 --due manager_review=2026-11-30
ok --as M001 cycle nominate --cycle a26 --for E103 --reviewer E101
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E103
ok --as E101 feedback submit --cycle a26 --for E101 <(printf 'answers:\n  strengths: "Shipped"\n')
# E103 leaves on 2026-11-05.
sed -E 's/^(E103,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-05,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E103,.*,2026-11-05,' org2.csv || fail "the org file did not end E103"
ok org import org2.csv
# Before the end date everything is owed.
PLUMB_NOW=2026-11-04T00:00:00Z ok --as E204 cycle status --cycle a26 --json
expect_json '.progress[] | select(.phase == "self_review") | "\(.done) of \(.total)"' "1 of 5"
expect_json '.left | length' 0
expect_json '.short_of_peers | map(select(startswith("E103 "))) | join(",")' "E103 (1 of 2)"
# After it, self reviews are late (due 2026-11-10).
export PLUMB_NOW=2026-11-12T00:00:00Z
ok cycle status --cycle a26 --json
expect_json '.progress[] | select(.phase == "self_review") | "\(.done) of \(.total)"' "1 of 4"
expect_json '[.late[] | select(.reviewee == "E103" or .reviewer == "E103")] | length' 0
expect_json '[.late[] | "\(.relation):\(.reviewer):\(.reviewee)"] | join(",")' \
	"self:E102:E102,self:E104:E104,self:M001:M001"
expect_json '.short_of_peers | map(select(startswith("E103 "))) | length' 0
expect_json '.left | map("\(.person) \(.left_on)") | join(",")' "E103 2026-11-05"
expect_json '.left[0].withdrawn | sort | join(",")' \
	"manager review of E103 by M001,peer feedback on E102 by E103,peer feedback on E103 by E101,self review of E103,upward feedback on M001 by E103"
expect_json '[.assignments[] | select(.withdrawn) | .id] | length' 5
ok cycle status --cycle a26
expect_out "E103 (Sofia Rossi) left on 2026-11-05; withdrawn: "
expect_out "self_review     payments             1 of 4 done"
ok cycle assignments --cycle a26
grep -Eq '^E103 +E103 +self +active +self_review +2026-11-10 +withdrawn *$' "$T/out" || fail "E103's self review is not shown withdrawn"
# The cycle's page says so of each row, and why.
tok=$(token admin read)
serve
http GET /cycles/a26 -H "Authorization: Bearer $tok"
expect_http 200
grep -q 'withdrawn: the reviewer has left' "$T/out" || fail "the page does not say E103's work is withdrawn"
grep -q 'withdrawn: the reviewee has left' "$T/out" || fail "the page does not say the work about E103 is withdrawn"
stop_server
# Notify reminds none of it: each is skipped, saying why, and not pending.
ok notify --as-of 2026-11-12T00:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E103") | "\(.relation) \(.outcome) \(.why)"] | unique | join(",")' \
	"self skipped the reviewer has left"
expect_json .pending 3
ok cycle advance --cycle a26 --json
expect_json .left_undone 3
ok notify --as-of 2026-11-19T12:00:00Z --dry-run --smtp-url smtp://127.0.0.1:1 --from plumb@acme.example --json
expect_json '[.reminders[] | select(.reviewer == "E103" or .reviewee == "E103") | "\(.relation) \(.reviewer) \(.outcome) \(.why)"] | unique | join(",")' \
	"peer E101 skipped the reviewee has left,peer E103 skipped the reviewer has left,upward E103 skipped the reviewer has left"
# Nothing more is asked about a leaver: no nomination, no first evaluation (exit 5).
run --as M001 cycle nominate --cycle a26 --for E103 --reviewer E104
expect_status 5
expect_err "E103 left on 2026-11-05 and is no longer reviewed in cycle 'a26'"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE p.employee_id = 'E104' AND a.relation = 'peer'")" = 0 ] ||
	fail "a peer was named for a leaver"
ok cycle advance --cycle a26
file e.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
run --as M001 evaluation submit --cycle a26 --person E103 "$T/e.yaml"
expect_status 5
expect_err "E103 left on 2026-11-05 and is no longer reviewed in cycle 'a26'"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "a leaver was evaluated"
# Re-hired (end date removed): owed again.
ok org import "$FIXTURES/org-small.csv"
ok cycle status --cycle a26 --json
expect_json '.progress[] | select(.phase == "self_review") | "\(.done) of \(.total)"' "1 of 5"
expect_json '.left | length' 0
ok --as M001 evaluation submit --cycle a26 --person E103 "$T/e.yaml"
# An evaluated leaver's review stands on the evaluation: feedback about them is still owed by
# those who have not left, and a new version of the evaluation may follow; their own work
# (their self review, their upward feedback) is withdrawn all the same.
reset_db
ok init
export PLUMB_NOW=2026-11-01T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --due self_review=2026-11-10 \
	--due feedback=2026-11-20 --due manager_review=2026-11-30
ok --as M001 cycle nominate --cycle a26 --for E104 --reviewer E101
file e.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M001 evaluation submit --cycle a26 --person E104 "$T/e.yaml"
sed -E 's/^(E104,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-05,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E104,.*,2026-11-05,' org2.csv || fail "the org file did not end E104"
ok org import org2.csv
ok cycle advance --cycle a26
export PLUMB_NOW=2026-11-21T00:00:00Z
ok cycle status --cycle a26 --json
expect_json '[.late[] | select(.reviewee == "E104" or .reviewer == "E104") | "\(.relation):\(.reviewer)"] | join(",")' "peer:E101"
expect_json '.left | map("\(.person) \(.left_on)") | join(",")' "E104 2026-11-05"
expect_json '.left[0].withdrawn | sort | join(",")' "self review of E104,upward feedback on M001 by E104"
ok --as M001 evaluation submit --cycle a26 --person E104 --base-version 1 --reason "exit interview" "$T/e.yaml"
