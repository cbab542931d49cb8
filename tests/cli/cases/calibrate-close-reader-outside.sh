# A closer in their own session's population is not told what is about them by a close that
# ends outside guidance or meets a re-rated rating: the guidance lines, in the refusal, the
# close's output and the session's overrides as status and the page list them to such a
# reader, say which rating is outside which range, not how many of how many (counted with
# their row, against their view's counts without it, those gave their own rating by
# difference), and a conflict on a rating of theirs is counted, not named.  Found hunting:
# "rating 3: 5 of 5 (100%)" and "M002 delivery is 5 in evaluation version 2; the session
# changed it from 3 to 4" were told to M002, who is not shown their own row.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search # M002 and E201..E204
ok user add --person H001 --role manager         # rates M002
ok user add --person M002 --role manager         # facilitates, in the population
ok user add --person M001 --role manager         # a participant from payments
rate() {
	file "$1.yaml" <<YAML
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
	ok --as "$2" evaluation submit --cycle a26 --person "$1" "$T/$1.yaml"
}
rate M002 H001
for e in E201 E202 E203 E204; do rate "$e" M002; done
session() { ok calibrate session create --cycle a26 --population search --facilitator "$1" --participants M001 --name "$2" --guidance "$3"; }
session M002 g 3=0-10
session M002 room 1=0-100
session H001 other 1=0-100
for _ in 1 2 3; do ok cycle advance --cycle a26; done # to calibration
for s in g room; do ok --as M002 calibrate session open --session "$s"; done
ok --as H001 calibrate session open --session other

# ---- guidance: all five are rated 3, outside 0-10% ----
run --as M002 calibrate session close --session g
expect_status 3
expect_err "calibration session 'g' ends outside its distribution guidance: rating 3 outside guidance 0-10%"
ok --as M002 calibrate session close --session g --override-reason "a team of steady performers"
expect_out "outside guidance (override recorded): rating 3 outside guidance 0-10%"
expect_no_out "5 of 5"
ok --as M002 calibrate session status --session g
expect_out "override of guidance: rating 3 outside guidance 0-10%"
expect_no_out "5 of 5"
ok --as M002 calibrate session status --session g --json
expect_json '.overrides[0].detail' "rating 3 outside guidance 0-10%"
# Readers not in the population see the counts, and the override keeps them.
ok --as M001 calibrate session status --session g --json
expect_json '.overrides[0].detail' "rating 3: 5 of 5 (100%), guidance 0-10%"

# ---- conflicts: another session re-rates what the room changed ----
for p in M002 E201; do
	ok --as M001 calibrate change --session room --person "$p" --dimension delivery --rating 4 \
		--reason "$p carried the search rewrite" --evidence link:https://x.example/rewrite
	ok --as M001 calibrate change --session other --person "$p" --dimension delivery --rating 5 \
		--reason "$p led the search rewrite" --evidence link:https://x.example/lead
done
ok --as H001 calibrate session close --session other
run --as M002 calibrate session close --session room
expect_status 5
expect_err "calibration session 'room' cannot write its changes back: E201 delivery is 5.00 in evaluation version 2; the session changed it from 3.00 to 4.00; and 1 rating you may not read"
! file_has "$T/err" "M002 delivery" || fail "the refusal named M002's rating: $(cat "$T/err")"
# Other readers see both conflicts in the session's status.
ok --as M001 calibrate session status --session room
expect_out "M002 delivery is 5.00 in evaluation version 2"

# The session's page says the same to each.
printf 'a long enough password\n' >"$T/pw"
for u in M002 M001; do ok user passwd "$u" --password-file "$T/pw"; done
serve
page() { # USER: the page of session g, as USER sees it
	local jar="$T/jar-$1" c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
	http GET /calibration/g -b "$jar"
	expect_http 200
}
page M002
grep -q "rating 3 outside guidance 0-10%" "$T/out" || fail "M002's page lacks the guidance line"
! grep -q "5 of 5" "$T/out" || fail "M002's page counts the guidance line"
page M001
grep -q "rating 3: 5 of 5 (100%), guidance 0-10%" "$T/out" || fail "M001's page lacks the guidance counts"
stop_server
ok audit verify
