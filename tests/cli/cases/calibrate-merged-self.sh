# In a calibration session a reader is not shown their own row, nor marks or changes their
# own rating, also when the row is a record person merge folded into theirs (found hunting
# scores and packets: a rehired human, people partner of their old record's unit and the
# session's facilitator, saw the old record's row before delivery and raised its rating).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
ok cycle advance --cycle a26 # feedback
ok cycle advance --cycle a26 # manager_review
file ev.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: "the refunds rewrite"}
  delivery: {rating: 3, no_evidence_reason: "steady"}
  collaboration: {rating: 4, no_evidence_reason: "pairs a lot"}
EOF2
for p in E101 E102 E103; do ok --as M001 evaluation submit --cycle a26 --person "$p" ev.yaml; done
ok cycle advance --cycle a26 # calibration
ok person merge E101 --into E201 --reason "rehired under a new id"
ok user add --person E201 --role people-partner:payments
ok --as E201 calibrate session create --cycle a26 --population payments --facilitator E201 \
	--participants M001 --name cal
ok --as E201 calibrate session status --session cal --json
expect_json '"\(.reader_excluded) \(.people_shown) \(.people_in_session)"' "true 4 5"
expect_json '[.agenda[].person] | join(",")' "E102,E103,E104,M001"
run --as E201 calibrate mark --session cal --person E101 --mark agree
expect_status 5
expect_err "nobody marks their own rating"
ok --as E201 calibrate session open --session cal
run --as E201 calibrate change --session cal --person E101 --dimension delivery --rating 5 \
	--reason "mine" --evidence "link:https://docs.acme.example/e101"
expect_status 5
expect_err "nobody changes their own rating"
[ "$(sql "SELECT COUNT(*) FROM calibration_changes")" = 0 ] || fail "a change was stored"
# The others' rows are theirs to change, and the participant M001 (in the population too)
# sees E101's row, not their own.
ok --as E201 calibrate change --session cal --person E102 --dimension delivery --rating 4 \
	--reason "calibrated" --evidence "link:https://docs.acme.example/e102"
ok --as M001 calibrate session status --session cal --json
expect_json '[.agenda[].person] | join(",")' "E101,E102,E103,E104"
ok audit verify
