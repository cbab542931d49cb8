# Both of a reader's records in one calibration session: duplicates of one human, both
# reviewed in the cycle, merged after it began. The reader sees neither row, and none of the
# room's changes to either: only the last record's changes were hidden, so the reader read the
# new rating, who changed it and why about their other record before delivery (found in
# review).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok cycle create a26 --kind annual --scope payments --scope search --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle a26 # feedback
ok cycle advance --cycle a26 # manager_review
file ev.yaml <<'YAML'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
YAML
for p in E101 E102 E103; do ok --as M001 evaluation submit --cycle a26 --person "$p" ev.yaml; done
for p in E201 E202; do ok --as M002 evaluation submit --cycle a26 --person "$p" ev.yaml; done
ok cycle advance --cycle a26 # calibration
ok person merge E101 --into E201 --reason "duplicate record"
ok user add --person H001 --role people-partner
ok user add --person E201 --role manager
ok --as H001 calibrate session create --cycle a26 --population payments --population search --facilitator H001 \
	--participants M001 --participants E201 --name cal
ok --as H001 calibrate session open --session cal
ok --as M001 calibrate change --session cal --person E101 --dimension delivery --rating 5 \
	--reason "about the first record" --evidence "link:https://docs.acme.example/e101"
ok --as M001 calibrate change --session cal --person E201 --dimension delivery --rating 2 \
	--reason "about the second record" --evidence "link:https://docs.acme.example/e201"
ok --as E201 calibrate session status --session cal --json
in_session=$(jq .people_in_session "$T/out")
expect_json '"\(.reader_excluded) \(.people_shown)"' "true $((in_session - 2))"
expect_json '[.agenda[].person | select(. == "E101" or . == "E201")] | length' 0
expect_json '[.changes[] | select(.person == "E101" or .person == "E201")] | length' 0
ok --as E201 calibrate session status --session cal
grep -q "about the" "$T/out" && fail "the reader read a change about their own record: $(grep "about the" "$T/out")"
# The facilitator sees both changes.
ok --as H001 calibrate session status --session cal --json
expect_json '[.changes[].person] | sort | join(",")' "E101,E201"
ok audit verify
