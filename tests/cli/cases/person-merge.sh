# person merge: two records of one human become one.  The merged record's accounts move to
# the one that stays and their events follow; the merge is audited with its reason; the
# merged record keeps its history and says where it went; a second merge of it, a merge into
# oneself, into a merged record or without a reason is refused with nothing written.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E102
ok identity link email dana@contractor.example --person E102
ids_of() { sql "SELECT COUNT(*) FROM identities i JOIN people p ON p.id = i.person_id WHERE p.employee_id = '$1'"; }
events_of() { sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = '$1'"; }
from_ids=$(ids_of E102) into_ids=$(ids_of E101) from_events=$(events_of E102)
[ "$from_events" = 7 ] || fail "E102 should have alice's 6 events and dana's commit, has $from_events"
# A legal hold on E102 keeps its events with the human: unlinking one of E102's accounts would
# take them out of it (a merge does not: person-merge-held.sh).
ok hold add --person E102 --reason "case 2026-7"
run identity unlink github alice
expect_status 5
expect_err "E102 is under a legal hold"
[ "$(events_of E102)" = 7 ] || fail "a refused unlink moved events"
ok hold release "$(sql "SELECT id FROM legal_holds WHERE released_at IS NULL")" --reason "case closed"
ok hold add --person E101 --reason "case 2026-8"
# Before the merge E102 is one of payments' six people, five of them FTE over 120 days to come.
# The org was imported today and the merge is stamped on the clock, so the period is a month
# on from today, looked at a month after it (PLUMB_NOW), whatever the day the suite runs.
p_from=$(date -u -d '+30 days' +%F) p_to=$(date -u -d '+150 days' +%F) p_now=$(date -u -d '+181 days' +%F)
ok org show --json
active=$(json .people_active) members=$(json '.team_list[] | select(.name == "payments") | .members')
expect_json .people_merged 0
ok person show M001 --json
reports=$(json .direct_reports)
ok user add --person M001 --role manager
ok user add --person E102 --role employee
ok --as M001 person show E102
ok --as E102 person show E102
PLUMB_NOW=$p_now ok metrics show deployment_frequency --team payments --from "$p_from" \
	--to "$p_to" --normalize per-engineer --json
expect_json .value.detail.fte 5
ok person merge E102 --into E101 --reason "rehired under a new id"
expect_out "E102 merged into E101: $from_ids accounts and 7 events moved"
# A merged record counts as having left at its merge: its human is counted once, under the
# record it went into (found in review: the org, team, manager's reports and per-engineer
# figures counted them twice, and a new review cycle would have enrolled both records).
ok org show --json
expect_json .people_active $((active - 1))
expect_json .people_merged 1
expect_json '.team_list[] | select(.name == "payments") | .members' $((members - 1))
ok org show
expect_out "1 merged into another record"
ok person show M001 --json
expect_json .direct_reports $((reports - 1))
run --as M001 person show E102
expect_status 3
expect_err "E102 is outside your scope"
# E102's user acts no more: the human signs in as E101's (found in review: it kept acting,
# with E102's old scope), and E102 takes no new roles.
run --as E102 person show E102
expect_status 3
expect_err "user 'E102' is disabled"
expect_err "their person was merged into E101"
before=$(counts)
run user add --person E102 --role analyst
expect_status 5
expect_err "person E102 was merged into E101"
expect_counts "$before"
# Nor does it get an API token it could never use (found in review: one was made for a user
# whose person had left), and neither does a leaver's user.
run token create --user E102 --scope read --expires 2099-01-01
expect_status 5
expect_err "user 'E102' is disabled: no token for them"
expect_err "their person was merged into E101"
expect_counts "$before"
ok user add --person E105 --role employee
before=$(counts)
run token create --user E105 --scope read --expires 2099-01-01
expect_status 5
expect_err "their person has left the organization"
expect_counts "$before"
ok person show E102 --json
expect_json .active false
ok person show E102
expect_out "(merged)"
ok person list --json
expect_json '.[] | select(.employee_id == "E102") | .active' false
PLUMB_NOW=$p_now run metrics show deployment_frequency --team payments --from "$p_from" \
	--to "$p_to" --normalize per-engineer --json
expect_status 1
expect_err "team 'payments' has 4 people at the period's end, fewer than 5"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create q4 --kind checkin --scope payments
members_of_q4=$(sql "SELECT p.employee_id FROM cycle_members m JOIN people p ON p.id = m.person_id ORDER BY 1" | paste -sd,)
case ",$members_of_q4," in
*,E101,*) ;;
*) fail "E101 is not in the cycle: $members_of_q4" ;;
esac
case ",$members_of_q4," in *,E102,*) fail "the merged record E102 was enrolled: $members_of_q4" ;; esac
[ "$(ids_of E101)" = $((from_ids + into_ids)) ] || fail "accounts did not move"
[ "$(ids_of E102)" = 0 ] || fail "E102 kept accounts"
[ "$(events_of E101)" = 7 ] || fail "events did not follow"
ok identity resolve github alice --json
expect_json '.employee_id' E101
ok person show E102 --json
expect_json '.merged_into' E101
ok person show E102
expect_out "merged into E101"
ok audit log --json
expect_json '[.[] | select(.action == "person.merge")][0] | "\(.object_id) \(.detail.into) \(.detail.reason) \(.detail.events)"' \
	"E102 E101 rehired under a new id 7"
# E102's primary email now means E101 for events that name it.
email=$(sql "SELECT email FROM people WHERE employee_id = 'E102'")
jq --arg e "$email" '.[0].commit.author.email = $e | .[0].author = null | .[0].sha = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"' \
	"$FIXTURES/github/commits.json" >"$T/c.json"
ok ingest --source gh "$T/c.json"
ok events list --kind commit --json
expect_json '[.[] | select(.external_id == "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2")][0].person' E101
# identity resolve answers as ingestion attributes (found in acceptance: it named E102).
ok identity resolve email "$(echo "$email" | tr a-z A-Z)" --json
expect_json '"\(.employee_id) \(.merged_into)"' "E101 null"
# A commit by E101's primary email under a GitHub login nobody has is E101's, whom a hold
# covers (case 2026-8): linking that login to someone else would take it out of the hold,
# and is refused as unlink and merge are, nothing written.
email=$(sql "SELECT email FROM people WHERE employee_id = 'E101'")
jq --arg e "$email" '.[0].commit.author.email = $e | .[0].author.login = "zed" | .[0].sha = "ccccccccccccccccccccccccccccccccccccccc3"' \
	"$FIXTURES/github/commits.json" >"$T/z.json"
ok ingest --source gh "$T/z.json"
zed_person() { sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.external_id = 'ccccccccccccccccccccccccccccccccccccccc3'"; }
[ "$(zed_person)" = E101 ] || fail "the commit by E101's email is not E101's: $(zed_person)"
before=$(counts)
run identity link github zed --person E103
expect_status 5
expect_err "E101 is under a legal hold"
expect_err "linking github account 'zed' would take their events out of the hold"
expect_err "link once the hold is released"
expect_counts "$before"
[ "$(zed_person)" = E101 ] || fail "a refused link moved the commit"
# A record merged away takes no accounts: the message names the one it went into.
run identity link github zed --person E102
expect_status 5
expect_err "E102 was merged into E101"
expect_err "link the account to E101"
expect_counts "$before"
# The HRIS file may still list the merged record with the accounts the merge moved: they
# stay with E101 (found in review: the unchanged file was refused, 'already belongs').
ok org import "$FIXTURES/org-small.csv"
expect_out "0 identities added"
ok identity resolve github MNguyen --json
expect_json .employee_id E101
[ "$(ids_of E102)" = 0 ] || fail "the import gave E102 accounts again"
before=$(counts)
# But an account it newly gives E102 was added to the record left behind, and ingestion
# credited it there (found in review).  Refused naming the line and the survivor; on E101's
# row it is taken.
sed 's/^\(E102,.*\),mnguyen,jira-5f1a0102,,$/\1,,,,minh@contractor.example/' "$FIXTURES/org-small.csv" >"$T/org.csv"
grep -q '^E102,.*,,,,minh@contractor.example$' "$T/org.csv" || fail "the test's file lost E102's row"
line=$(grep -n '^E102,' "$T/org.csv" | cut -d: -f1)
run org import "$T/org.csv"
expect_status 1
expect_err "org.csv:$line: emails: E102 was merged into E101 (person merge), so takes no new accounts: give email 'minh@contractor.example' on E101's row"
expect_counts "$before"
sed -i 's/^\(E102,.*\),minh@contractor.example$/\1,/; s/^\(E101,.*\),$/\1,minh@contractor.example/' "$T/org.csv"
ok org import "$T/org.csv"
ok identity resolve email minh@contractor.example --json
expect_json .employee_id E101
# E102's primary email is attributed to E101 since the merge: linking it there is linked
# already, not a conflict with E102 (found in review); to a third person it is refused,
# saying where it went.
ok identity link email minh.nguyen@acme.example --person E101
expect_out "email account minh.nguyen@acme.example was already linked to E101"
before=$(counts)
run identity link email Minh.Nguyen@acme.example --person E103
expect_status 5
expect_err "'Minh.Nguyen@acme.example' is the primary email of E102, merged into E101"
expect_counts "$before"
before=$(counts)
ok hold release "$(sql "SELECT id FROM legal_holds WHERE released_at IS NULL")" --reason "case closed"
ok identity link github zed --person E103
expect_out "github account zed linked to E103; 1 event attributed to them afresh"
[ "$(zed_person)" = E103 ] || fail "the commit did not follow the link"
ok audit log --json --object identity:github:zed
expect_json '.[0].detail | "\(.person) \(.events)"' "E103 1"
# Refusals write nothing.
before=$(sql "SELECT COUNT(*) FROM audit_log")/$(sql "SELECT COUNT(*) FROM person_merges")
run person merge E102 --into E103 --reason again
expect_status 5
expect_err "E102 was merged into another person already"
run person merge E103 --into E102 --reason x
expect_status 5
expect_err "E102 was itself merged into another person"
run person merge E103 --into E103 --reason x
expect_status 2
run person merge E103 --into E999 --reason x
expect_status 4
expect_err "no person with employee id E999"
run person merge E103 --into E101
expect_status 2
expect_err "--reason"
# A reason of spaces says no more than none (found in acceptance; hold add refuses it too).
run person merge E103 --into E101 --reason "   "
expect_status 2
expect_err "--reason: expected one line of text of at most 200 bytes saying why"
# One too long says the limit and its length (it said only "one line of text").
run person merge E103 --into E101 --reason "$(printf 'x%.0s' $(seq 201))"
expect_status 2
expect_err "--reason: expected one line of text of at most 200 bytes saying why"
expect_err "detail: it has 201 bytes"
[ "$(sql "SELECT COUNT(*) FROM audit_log")/$(sql "SELECT COUNT(*) FROM person_merges")" = "$before" ] ||
	fail "a refused merge wrote"
ok reconcile
ok audit verify
# An empty employee id is a usage error, not a person missing (found in acceptance: "no
# person with employee id " with nothing after it).
run person merge '' --into E101 --reason x
expect_status 2
expect_err "an employee id is needed, and this one is empty"
run person show ''
expect_status 2
expect_err "an employee id is needed, and this one is empty"
# A merge, a withdrawal and me export find the versions naming a person by index, not by
# reading every version kept (schema 20; at 1,000,000 versions a merge took 0.32 s).
if [ "$(engine)" = sqlite ]; then
	for q in "UPDATE event_versions SET person_id = 2 WHERE person_id = 1" \
		"SELECT COUNT(*) FROM event_versions WHERE person_id = 1"; do
		sql "EXPLAIN QUERY PLAN $q" | grep -q "USING .*INDEX event_versions_person" ||
			fail "'$q' reads every version: $(sql "EXPLAIN QUERY PLAN $q")"
	done
fi
