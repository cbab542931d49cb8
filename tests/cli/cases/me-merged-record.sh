# A subject access request covers the human, not one record: after `person merge`, the
# review data and audit entries still held under the record merged away (a merge moves
# accounts, events, consents and demographics, not reviews) are counted by `plumb me` and
# given by `me export` of the record it went into, within the same anonymity rules, and the
# report names the merged records.  (Found in session 40's hunt: the human's export left out
# everything of their review under the old record.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104 E201; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer E101
printf 'answers:\n  strengths: "I rebuilt refunds"\n' >"$T/self.yaml"
ok --as E101 feedback submit --cycle a26 --for E101 "$T/self.yaml"
ok cycle advance --cycle a26
for r in E102 E103 E104; do
	printf 'answers:\n  strengths: "Pairs generously (%s)"\n' "$r" >"$T/fb-$r.yaml"
	ok --as "$r" feedback submit --cycle a26 --for E101 "$T/fb-$r.yaml"
done
printf 'answers:\n  growth: "Nguyen could write more tests"\n' >"$T/peer.yaml"
ok --as E101 feedback submit --cycle a26 --for E102 "$T/peer.yaml"
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
for _ in 1 2 3; do ok cycle advance --cycle a26; done

# What E101 sees of themselves, before the merge.
ok --as E101 me --json
json '[.holdings[] | select(.category != "events" and .category != "raw_payloads" and .category != "audit_log") | "\(.what)=\(.count)"] | sort' >"$T/before.json"
ok --as E101 me export
json '{evaluations, ratings, manager_feedback, feedback_written, feedback_received: (.feedback_received | map(.answers |= sort_by(tostring)))}' >"$T/export-before.json"
json '[.audit_entries[] | .seq]' >"$T/audit-before.json"
[ "$(jq length "$T/audit-before.json")" -gt 3 ] || fail "too few audit entries to compare: $(cat "$T/audit-before.json")"

# The human is rehired as E201; E101 is merged into E201.
ok person merge E101 --into E201 --reason "rehired under a new id"
run --as E101 me
expect_status 3
ok --as E201 me --json
json '[.holdings[] | select(.category != "events" and .category != "raw_payloads" and .category != "audit_log") | "\(.what)=\(.count)"] | sort' >"$T/after.json"
cmp -s "$T/before.json" "$T/after.json" ||
	fail "E201's me does not count E101's review data: $(diff "$T/before.json" "$T/after.json")"
expect_json '.merged_records | join(",")' "E101"
holding() { echo "[.holdings[] | select(.what == \"$1\")][0]$2"; }
expect_json "$(holding "rubric ratings about you" .count)" 3
expect_json "$(holding "evaluation versions about you" .count)" 1
expect_json "$(holding "self reviews you wrote" .count)" 1
ok --as E201 me
expect_out "records merged into yours, counted here: E101"
ok --as E201 me export
json '{evaluations, ratings, manager_feedback, feedback_written, feedback_received: (.feedback_received | map(.answers |= sort_by(tostring)))}' >"$T/export-after.json"
cmp -s "$T/export-before.json" "$T/export-after.json" ||
	fail "E201's export lacks E101's review data: $(diff "$T/export-before.json" "$T/export-after.json")"
expect_json '[.feedback_received[] | select(.relation == "peer") | .responses] | join(",")' "3"
# (A group's answers come in no set order: they would tell who wrote which.)
# Every audit entry E101 saw, and the merge itself, each once.
json '[.audit_entries[] | .seq]' >"$T/audit-after.json"
[ "$(jq --slurpfile b "$T/audit-before.json" '($b[0] - .) | length' "$T/audit-after.json")" = 0 ] ||
	fail "entries about E101 missing from E201's export"
[ "$(json '[.audit_entries[].seq] | (length == (unique | length))')" = true ] || fail "an audit entry given twice"
[ "$(json '[.audit_entries[] | select(.action == "person.merge")] | length')" = 1 ] || fail "the merge entry: $(json '[.audit_entries[] | .action]')"
ok audit verify
