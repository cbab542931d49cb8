# Who is in the room holds a room role now, not only when the session was created: a
# participant or facilitator whose manager, leader and people-partner roles are revoked
# mid-session no longer reads the session nor marks, changes, opens or closes anything,
# from the CLI and the API alike; granting a role back lets them in again.
# Found by a sequence: session created with E102 (manager) as a participant and M001 (manager)
# as facilitator; `user revoke E102 --role manager`; E102 still read every proposed rating
# (`session status`, the views) and changed one, which the close wrote back.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
ok user add --person E102 --role manager
ok user add --person E103 --role leader
for e in E201 E202 E203 E204; do
	file "$e.yaml" <<YAML
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
	ok --as M002 evaluation submit --cycle a26 --person "$e" "$T/$e.yaml"
done
ok --as E101 calibrate session create --cycle a26 --population search --facilitator M001 \
	--participants E102,E103 --name room --guidance 1=0-100

# ---- a participant's role revoked before the session opens: no marks, no reading ----
ok --as E102 calibrate mark --session room --person E201 --mark question
ok user revoke E102 --role manager
marks() { sql "SELECT COUNT(*) FROM calibration_marks"; }
run --as E102 calibrate mark --session room --person E202 --mark question
expect_status 3
expect_err "E102 may not mark ratings in calibration session 'room'"
expect_err "E102 is named in the session but no longer holds a manager, leader or people partner role"
[ "$(marks)" = 1 ] || fail "a refused mark was written: $(marks) marks"
for view in "session status" raters distribution ninebox agreement; do
	# shellcheck disable=SC2086 # the view's words
	run --as E102 calibrate $view --session room
	expect_status 3
	expect_err "E102 may not read calibration session 'room'"
done
run --as E102 calibrate session list
expect_status 0
expect_no_out "room"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'E102' AND action = 'access.denied'")" -ge 6 ] ||
	fail "the refusals are not audited"

# ---- the facilitator's role revoked: they neither open nor close; a people partner does ----
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok user revoke M001 --role manager
run --as M001 calibrate session open --session room
expect_status 3
expect_err "M001 may not open calibration session 'room'"
expect_err "M001 is named in the session but no longer holds a manager, leader or people partner role"
[ "$(sql "SELECT status FROM calibration_sessions WHERE name = 'room'")" = draft ] || fail "a refused open was written"
ok --as E101 calibrate session open --session room

# ---- mid-session: a change by a participant who lost the role is refused, nothing written ----
ok --as E103 calibrate change --session room --person E201 --dimension delivery --rating 4 \
	--reason "shipped the ranker" --evidence link:https://x.example/ranker
changes() { sql "SELECT COUNT(*) FROM calibration_changes"; }
run --as E102 calibrate change --session room --person E202 --dimension delivery --rating 4 \
	--reason "shipped the indexer" --evidence link:https://x.example/indexer
expect_status 3
expect_err "E102 may not change ratings in calibration session 'room'"
[ "$(changes)" = 1 ] || fail "a refused change was written: $(changes) changes"
ok user revoke E103 --role leader
E103_TOKEN=$(token E103 write)
serve
http GET /api/v1/calibration/sessions/room -H "Authorization: Bearer $E103_TOKEN"
expect_http 403
http POST /api/v1/calibration/sessions/room/changes -H "Authorization: Bearer $E103_TOKEN" \
	-H 'Content-Type: application/json' \
	-d '{"person":"E203","dimension":"delivery","rating":4,"reason":"x","evidence":"link:https://x.example/x"}'
expect_http 403
stop_server
[ "$(changes)" = 1 ] || fail "a refused change was written over the API: $(changes) changes"
run --as M001 calibrate session close --session room
expect_status 3
expect_err "M001 may not close calibration session 'room'"

# ---- a role granted back lets them in again ----
ok user add --person E102 --role leader
ok --as E102 calibrate session status --session room
ok --as E102 calibrate change --session room --person E202 --dimension delivery --rating 4 \
	--reason "shipped the indexer" --evidence link:https://x.example/indexer
ok --as E101 calibrate session close --session room
expect_out "closed calibration session room: 2 changes, 2 evaluation versions written"
[ "$(latest_evaluation E101 a26 E201)" = "2 calibration technical_skill=3 delivery=4 collaboration=3" ] || fail "E201: $(latest_evaluation E101 a26 E201)"
[ "$(latest_evaluation E101 a26 E203)" = "1 manager technical_skill=3 delivery=3 collaboration=3" ] || fail "E203: $(latest_evaluation E101 a26 E203)"
ok audit verify
