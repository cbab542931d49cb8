# A human reads the review content about a record of theirs person merge folded into their
# record, as they read their own (docs/review.md: about such a record a reader is the person,
# whatever roles they hold). Found in review: a plain employee, rehired as E301, was told their
# earlier record E101 is outside their scope, while me export gave the same feedback; only a
# grant on the old record (a partner's unit) made them its person. Another employee still may
# not read it.
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M002,search,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create q26 --kind checkin --scope payments --from 2026-10-01 --to 2026-12-31
ok cycle advance --cycle q26
printf 'answers:\n  strengths: "Owns the refunds service"\n' >mgr.yaml
ok --as M001 feedback submit --cycle q26 --for E101 "$T/mgr.yaml"
ok cycle advance --cycle q26
ok --as E101 feedback show --cycle q26 --for E101
expect_out "Owns the refunds service"
ok person merge E101 --into E301 --reason "rehired"
ok user add --person E301 --role employee
ok --as E301 feedback show --cycle q26 --for E101
expect_out "manager feedback by M001"
expect_out "Owns the refunds service"
ok --as E301 feedback show --cycle q26 --for E101 --json
expect_json '[.. | strings | select(test("refunds"))] | length > 0' true
# Someone else is still outside the scope, and told so.
run --as E102 feedback show --cycle q26 --for E101
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'E102'")" -ge 1 ] ||
	fail "E102's refusal was not audited"
