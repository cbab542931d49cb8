# plumb cycle check-calendar, and cycle create's warnings: a phase runs from the previous
# phase's due date (the first from the cycle's creation) to its own; a window applies to a
# cycle when it is company-wide or its team is one of the cycle's teams, above one or below
# one.  Overlaps are warnings: exit 1 from check-calendar (as policy check), never a refused
# create.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person E201 --role employee
ok calendar add --name "Search v2 launch" --kind launch --from 2026-11-02 --to 2026-11-04 --team search
ok calendar add --name "Payments reorg" --kind reorg --from 2026-11-12 --to 2026-11-12 --team payments
ok calendar add --name "Engineering offsite" --kind other --from 2026-11-25 --to 2026-11-26 --team engineering
# Starts the day after the last due date of every cycle below.
ok calendar add --name "Winter holidays" --kind holiday --from 2026-12-24 --to 2027-01-01
export PLUMB_NOW=2026-11-01T09:00:00Z

# search's annual review: the launch in search and the offsite of engineering (above search)
# fall in its phases; payments' reorg (a sibling) and the holidays (after delivery) do not.
ok cycle create a26 --kind annual --scope search --due self_review=2026-11-10 --due feedback=2026-11-20 \
	--due manager_review=2026-11-30 --due calibration=2026-12-10 --due signoff=2026-12-15 --due delivery=2026-12-23
expect_out "cycle a26 created"
expect_err "plumb: warning: phase self_review (2026-11-01..2026-11-10) overlaps launch window 1 'Search v2 launch' (2026-11-02..2026-11-04, team search)"
expect_err "plumb: warning: phase manager_review (2026-11-20..2026-11-30) overlaps other window 3 'Engineering offsite' (2026-11-25..2026-11-26, team engineering)"
[ "$(grep -c warning "$T/err")" = 2 ] || fail "two warnings expected"
run cycle check-calendar --cycle a26
expect_status 1
expect_out "warning: phase self_review (2026-11-01..2026-11-10) overlaps launch window 1 'Search v2 launch' (2026-11-02..2026-11-04, team search)"
expect_out "cycle a26: 2 overlaps with blackout windows"
expect_out_lines 3
run cycle check-calendar --cycle a26 --json
expect_status 1
expect_json '.cycle + " " + (.ok | tostring)' "a26 false"
expect_json '[.overlaps[] | "\(.phase) \(.phase_start)..\(.phase_end) \(.window.id) \(.window.kind) \(.window.from)..\(.window.to) \(.window.team)"] | join(", ")' \
	"self_review 2026-11-01..2026-11-10 1 launch 2026-11-02..2026-11-04 search, manager_review 2026-11-20..2026-11-30 3 other 2026-11-25..2026-11-26 engineering"
expect_json '.overlaps[0].window | keys | join(",")' "from,id,kind,name,team,to"

# payments' check-in ends before its reorg starts (due the 11th, by its end): no overlap, no
# warning, exit 0.  Any reader of the cycle's status may check it.
ok cycle create q4 --kind checkin --scope payments --due self_review=2026-11-05 --due manager_review=2026-11-10 \
	--due delivery=2026-11-11 --json
expect_json '.calendar_overlaps | length' 0
grep -q warning "$T/err" && fail "a create without overlaps warned"
ok --as E201 cycle check-calendar --cycle q4 --json
expect_json '"\(.cycle) \(.ok) \(.overlaps | length)"' "q4 true 0"
ok cycle check-calendar --cycle q4
expect_out "cycle q4: no phase overlaps a blackout window"

# engineering's check-in: windows of its subteams apply (the launch in search, the reorg in
# payments, a day that ends at the self review's due date), and create's JSON has them.
ok cycle create eng --kind checkin --scope engineering --due self_review=2026-11-12 --due manager_review=2026-11-20 \
	--due delivery=2026-11-21 --json
expect_json '[.calendar_overlaps[] | "\(.phase) \(.window.name)"] | join(", ")' "self_review Search v2 launch, self_review Payments reorg"
expect_err "plumb: warning: phase self_review (2026-11-01..2026-11-12) overlaps reorg window 2 'Payments reorg' (2026-11-12..2026-11-12, team payments)"

# A removed window no longer counts; an unknown cycle is 404.
ok calendar remove 1 --reason "launch moved to January"
run cycle check-calendar --cycle a26 --json
expect_status 1
expect_json '[.overlaps[] | .window.id] | join(",")' "3"
run cycle check-calendar --cycle nosuch
expect_status 4
expect_err "no review cycle is named 'nosuch'"
# A plain read: only the one run with --as (as every read with --as) left an entry.
[ "$(sql "SELECT actor FROM audit_log WHERE action = 'cycle.check-calendar'")" = E201 ] ||
	fail "check-calendar entries: $(sql "SELECT actor, detail FROM audit_log WHERE action = 'cycle.check-calendar'")"
# A phase due before the cycle was created runs no time: the next runs from the creation, so
# a window that ended before then overlaps nothing (found hunting packets: the manager review
# was said to run from 2026-10-15 and overlap the October freeze); the reorg it does overlap.
ok calendar add --name "October freeze" --kind freeze --from 2026-10-20 --to 2026-10-25 --team payments
ok cycle create late --kind checkin --scope payments --due self_review=2026-10-15 --due manager_review=2026-11-20 \
	--due delivery=2026-11-21 --json
expect_json '[.calendar_overlaps[] | "\(.phase) \(.phase_start)..\(.phase_end) \(.window.name)"] | join(", ")' \
	"manager_review 2026-11-01..2026-11-20 Payments reorg"
ok audit verify
