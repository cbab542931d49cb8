# plumb cycle create|list|status|advance: who may create (admins; people partners only over
# every member), what is generated (self and manager for everyone, upward from reports in
# annual reviews, nothing else until peers are nominated), the phases a kind runs, bad input
# refused with nothing written, and status: completion by phase and team and who is late.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E202 --role people-partner:search
ok user add --person E201 --role employee
state() { echo "$(sql "SELECT COUNT(*) FROM cycles")/$(sql "SELECT COUNT(*) FROM review_assignments")/$(sql "SELECT COUNT(*) FROM audit_log")"; }
before=$(state)
# A people partner of search may not run a cycle that covers payments; an employee none.
run --as E202 cycle create a26 --kind annual --scope payments
expect_status 3
expect_err "covers people outside their org units"
run --as E201 cycle create a26 --kind annual --scope search
expect_status 3
expect_err "people partners and admins run review cycles"
run cycle create a26 --kind yearly --scope search
expect_status 2
expect_err "--kind 'yearly': expected checkin, annual or project"
run cycle create a26 --kind annual --scope nosuchteam
expect_status 4
run cycle create ck --kind checkin --scope search --due calibration=2027-01-01
expect_status 2
expect_err "--due calibration: a checkin cycle has no calibration phase"
run cycle create a26 --kind annual --scope search --due feedback=2026-12-01 --due self_review=2026-12-10
expect_status 2
expect_err "plumb: error: --due: the feedback phase is due before the phase ahead of it"
# A date that is no date is a usage error naming --due; a phase is due once.
run cycle create a26 --kind annual --scope search --due self_review=2026-02-30
expect_status 2
expect_err "plumb: error: --due 'self_review=2026-02-30': invalid time '2026-02-30'"
run cycle create a26 --kind annual --scope search --due self_review=2026-12-05 --due self_review=2026-12-06
expect_status 2
expect_err "--due: phase self_review given more than once"
# H001 is an M5: a framework without M5 cannot review the whole of engineering.
sed '/M5/d' "$FIXTURES/review/framework.yaml" >"$T/no-m5.yaml"
ok framework import "$T/no-m5.yaml"
run cycle create a26 --kind annual --scope engineering
expect_status 1
expect_err "1 of the cycle's 11 people do not fit framework version 2: H001 (level 'M5'"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" = 2 ] || fail "refusals not audited"
[ "$(state | cut -d/ -f1,2)" = "$(echo "$before" | cut -d/ -f1,2)" ] || fail "refused creates wrote something"

# The people partner creates search's annual review on version 1.
PLUMB_NOW=2026-11-01T09:00:00Z ok --as E202 cycle create a26 --kind annual --scope search --framework-version 1 \
	--from 2026-01-01 --to 2026-12-31 --due self_review=2026-11-10 --due feedback=2026-11-20
expect_out "cycle a26 created (id $(sql "SELECT id FROM cycles WHERE name = 'a26'")): 5 people, 13 assignments"
! file_has "$T/err" "before the cycle opened" || fail "a26's dues to come were warned about"
# 5 self, 5 manager (4 to M002, M002's to H001 outside the cycle), 3 upward to M002: not from
# E202, the people partner of search, who reads M002's feedback and so may not write in it.
[ "$(sql "SELECT relation || ':' || COUNT(*) FROM review_assignments GROUP BY relation ORDER BY relation" | tr '\n' ' ')" = \
	"manager:5 self:5 upward:3 " ] || fail "assignments: $(sql "SELECT relation, COUNT(*) FROM review_assignments GROUP BY relation")"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewer_id WHERE relation = 'manager' AND p.employee_id = 'H001'")" = 1 ] ||
	fail "M002's manager review should go to H001"
[ "$(sql "SELECT COUNT(*) FROM cycle_members m JOIN cycles c ON c.id = m.cycle_id WHERE c.name = 'a26'")" = 5 ] || fail "members"
run cycle create a26 --kind checkin --scope payments
expect_status 5
expect_err "a review cycle named 'a26' exists already"
# A name counts characters, not bytes, and is one line; a team named twice is a usage error
# (found in review: 61 accented letters refused, a line break taken, a database error).
run cycle create "$(printf 'a\nb')" --kind checkin --scope payments
expect_status 2
expect_err "a cycle needs a name of 1 to 120 characters, without control characters"
run cycle create "$(printf 'é%.0s' $(seq 121))" --kind checkin --scope payments
expect_status 2
run cycle create q4 --kind checkin --scope payments --scope payments
expect_status 2
expect_err "--scope names team 'payments' twice"
# A name of digits alone is refused: --cycle 4 would later mean it or the cycle of id 4.
run cycle create 4 --kind checkin --scope payments
expect_status 2
expect_err "cycle name '4': not only digits (a number names a cycle by its id)"
# Nor a blank name, or one with a space at either end, which looks like the name without it in
# every listing while --cycle must give it exactly (found hunting: ' ', a no-break space and
# 'a26 ' were made cycles).
# Nor an invisible character there (found in review: a zero-width space, U+FEFF).
for bad in " " "$(printf '\u00a0')" "a26 " " q4" "$(printf 'q4\u3000')" "$(printf 'a26\u200b')" \
	"$(printf '\ufeffq4')" "$(printf 'q4\u2060')"; do
	run cycle create "$bad" --kind checkin --scope payments
	expect_status 2
	expect_err "a space at either end"
done
[ "$(sql "SELECT COUNT(*) FROM cycles")" = 1 ] || fail "a refused cycle was created"
# 120 of them pass the name's check (and meet the unknown team).
run cycle create "$(printf 'é%.0s' $(seq 120))" --kind checkin --scope nosuchteam
expect_status 4
# A phase due before the cycle opens is taken (a cycle recorded after the fact) and warned
# about: overdue from the start (found hunting packets: silent). a26's dues to come were not.
PLUMB_NOW=2026-11-01T09:00:00Z ok cycle create q4 --kind checkin --scope payments --due self_review=2026-10-15
expect_out "5 people, 10 assignments"
expect_err "plumb: warning: --due self_review: due 2026-10-15, before the cycle opened (2026-11-01T09:00:00.000Z): its work is overdue from the start"
q4_early=$(sql "SELECT COUNT(*) FROM cycle_phases p JOIN cycles c ON c.id = p.cycle_id WHERE c.name = 'q4' AND p.name = 'self_review' AND p.due_at < c.created_at")
[ "$q4_early" = 1 ] || fail "q4's self review is not due before it opened"
ok cycle list --json
expect_json '[.[] | "\(.name) \(.kind) \(.phase) \(.phases | map(.name) | join(","))"] | join("; ")' \
	"a26 annual self_review self_review,feedback,manager_review,calibration,signoff,delivery; q4 checkin self_review self_review,manager_review,delivery"
expect_json '.[0].period_start + " " + .[0].period_end + " " + .[0].phases[1].due' "2026-01-01 2026-12-31 2026-11-20"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'q4' AND relation = 'upward'")" = 0 ] || fail "a check-in has no upward feedback"

# Status on 15 November: every self review is late (due the 10th), nothing is done.
PLUMB_NOW=2026-11-15T00:00:00Z ok cycle status --cycle a26 --json
expect_json '[.progress[] | "\(.phase) \(.team) \(.done)/\(.total)"] | join(", ")' \
	"self_review search 0/5, feedback search 0/3, manager_review search 0/5"
expect_json '.late | length' 5
expect_json '[.late[] | .reviewer] | sort | join(",")' "E201,E202,E203,E204,M002"
expect_json '.short_of_peers | length' 5
PLUMB_NOW=2026-11-15T00:00:00Z ok cycle status --cycle a26
expect_out "E201 (Arjun Mehta) owes self feedback on E201, due 2026-11-10; 0 reminders sent"
# An employee sees their own assignments only, and not their manager's review of them until
# delivery (whether and when it was done would tell: found in review); the people partner all
# of search's but the upward feedback others owe and their own manager's review of them; the
# admin, who sends reminders, everything.
ok --as E201 cycle status --cycle a26 --json
expect_json '[.assignments[] | "\(.reviewee) \(.relation)"] | join(", ")' "E201 self, M002 upward"
ok --as E202 cycle status --cycle a26 --json
# 13 less the 3 upward ones others owe M002 (who owes upward feedback is the writer's alone)
# and M002's review of E202.
expect_json ".assignments | length" 9
ok cycle status --cycle a26 --json
expect_json ".assignments | length" 13

# Advance: self review closes, feedback opens; the undone self reviews are counted.
ok --as E202 cycle advance --cycle a26
expect_out "cycle a26: self_review closed, now in feedback"
expect_out "5 assignments of the closed phase were not done"
ok cycle advance --cycle "$(sql "SELECT id FROM cycles WHERE name = 'a26'")" --json
expect_json '"\(.from) -> \(.to)"' "feedback -> manager_review"
run --as E201 cycle advance --cycle a26
expect_status 3
for _ in 1 2 3 4; do ok cycle advance --cycle a26; done
expect_out "the cycle is closed"
run cycle advance --cycle a26
expect_status 5
expect_err "review cycle 'a26' is closed already"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.advance'")" = 6 ] || fail "advances not audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.create'")" = 2 ] || fail "creates not audited"
ok audit verify

# A backend profile on the manager track does not fit an L4's ic level: said as such, not as a
# name the framework lacks (found hunting: "profile's track not in the framework").
awk '/^  backend:/ {b = 1} b && /track: ic/ {sub("track: ic", "track: manager"); b = 0} {print}' \
	"$FIXTURES/review/framework.yaml" >"$T/backend-manager.yaml"
ok framework import "$T/backend-manager.yaml"
run cycle create t26 --kind annual --scope search
expect_status 1
expect_err "E201 (level 'L4', role profile 'backend': the profile's track, manager, is not the level's, ic)"
