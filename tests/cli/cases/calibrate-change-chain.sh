# calibrate change: a rating the room changes twice or more is no conflict. A newer
# evaluation version is a conflict when it holds the rating at neither the rating the room's
# changes started from nor their last to; the check compared it with the last change's from,
# which after a second change is the room's own rating: a third change passed the "already"
# check, and close refused the session (found while measuring calibration at scale, and by
# tests/fuzz/stress_calibration.py). A version at a rating the room passed through on its way
# is a conflict too: nothing says the manager's version came before the room moved on.
# (The setup of calibrate-writeback.sh: search on org-small, M002 rates E201..E204.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M001 --role manager
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
rate() { # PERSON RATING: M002's evaluation, every competency at RATING
	file "$1.yaml" <<EOF
ratings:
  technical_skill: {rating: $2, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $2, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $2, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as M002 evaluation submit --cycle a26 --person "$1" "$T/$1.yaml"
}
rate E201 3
rate E202 3
rate E203 3
rate E204 3
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 \
	--participants M001,M002 --name ch --guidance 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done
ok --as E101 calibrate session open --session ch
change() { # SESSION PERSON DIMENSION RATING
	run --as M001 calibrate change --session "$1" --person "$2" --dimension "$3" --rating "$4" \
		--reason "to $4" --evidence "link:https://x.example/$2-$4"
}
# E201's delivery 3 -> 4 -> 5: the room's own chain.
change ch E201 delivery 4
expect_status 0
change ch E201 delivery 5
expect_status 0
change ch E201 delivery 5
expect_status 1
expect_err "E201's delivery is 5.00 already"
# E202's delivery 3 -> 2 -> 4 -> 5, E203's and E204's 3 -> 4 -> 2.
for r in 2 4 5; do change ch E202 delivery $r; expect_status 0; done
for r in 4 2; do change ch E203 delivery $r; expect_status 0; done
for r in 4 2; do change ch E204 delivery $r; expect_status 0; done
[ "$(sql "SELECT COUNT(*) FROM calibration_changes")" = 9 ] || fail "changes: $(sql "SELECT COUNT(*) FROM calibration_changes")"
# A second session, closed first, re-rates E202's delivery to 5 (the room's last to: settled),
# E203's to 1 (none of 3, 4, 2: a conflict) and E204's to 4 (a rating the room held on its way
# to 2, from 3: a conflict, as the room may have moved on before the manager wrote it).
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 \
	--participants M001 --name rr --guidance 1=0-100
ok --as E101 calibrate session open --session rr
change rr E202 delivery 5
expect_status 0
change rr E203 delivery 1
expect_status 0
change rr E204 delivery 4
expect_status 0
ok --as E101 calibrate session close --session rr
run --as E101 calibrate session close --session ch
expect_status 5
expect_err "calibration session 'ch' cannot write its changes back: E203 delivery is 1.00 in evaluation version 2; the session changed it from 3.00 to 2.00"
expect_err "E204 delivery is 4.00 in evaluation version 2; the session changed it from 3.00 to 2.00"
for settled in E201 E202; do
	! grep -q "$settled" "$T/err" || fail "$settled is no conflict: $(cat "$T/err")"
done
# Recorded again from the new versions' 1 and 4, E203's and E204's 2 stand; then the session
# closes.
change ch E203 delivery 2
expect_status 0
change ch E204 delivery 2
expect_status 0
[ "$(sql "SELECT CAST(from_rating AS INTEGER) FROM calibration_changes c JOIN people p ON p.id = c.person_id
	WHERE p.employee_id = 'E204' ORDER BY c.id DESC LIMIT 1")" = 4 ] || fail "E204's new change does not start from the version's 4"
ok --as E101 calibrate session close --session ch
expect_out "closed calibration session ch: 11 changes, 3 evaluation versions written"
[ "$(latest_evaluation E101 a26 E201)" = "2 calibration technical_skill=3 delivery=5 collaboration=3" ] || fail "E201: $(latest_evaluation E101 a26 E201)"
[ "$(latest_evaluation E101 a26 E202)" = "2 calibration technical_skill=3 delivery=5 collaboration=3" ] || fail "E202: $(latest_evaluation E101 a26 E202)"
[ "$(latest_evaluation E101 a26 E203)" = "3 calibration technical_skill=3 delivery=2 collaboration=3" ] || fail "E203: $(latest_evaluation E101 a26 E203)"
[ "$(latest_evaluation E101 a26 E204)" = "3 calibration technical_skill=3 delivery=2 collaboration=3" ] || fail "E204: $(latest_evaluation E101 a26 E204)"
ok audit verify
