# --team over a past period (docs/metrics.md, "Scope"): an event counts for the team that
# owned its service when it happened, and for the teams that team sat under at that time.
# A service moved to another team later keeps its past events with the old owner, and a team
# moved under another parent by org import --effective (team_parents, schema 21) leaves its
# past events with the parent it had then: the new parent gets nothing from before the move.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service set ledger --team payments --effective 2026-01-01
ok source add deploy --name deploys
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
cat >ledger.csv <<'CSV'
id,service,environment,sha,ref,started,finished,status
L1,ledger,production,a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1,main,2026-03-10T09:50:00Z,2026-03-10T10:00:00Z,success
L2,ledger,production,a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2,main,2026-07-10T09:50:00Z,2026-07-10T10:00:00Z,success
CSV
ok ingest --source deploys ledger.csv
n() { ok dora --team "$1" --from "$2" --to "$3" --json; json '.keys.deployment_frequency.value.n'; }
# The deployments of each team in March's first week, in March and in July.
counts() {
	local t out=
	for t in "$@"; do
		out="$out$t=$(n "$t" 2026-03-01 2026-03-08)/$(n "$t" 2026-03-01 2026-04-01)/$(n "$t" 2026-07-01 2026-08-01) "
	done
	echo "$out"
}
# A first import's parents hold since always: the past counts under today's tree.
[ "$(sql "SELECT COUNT(*) FROM team_parents WHERE valid_from IS NULL AND valid_to IS NULL")" = 2 ] ||
	fail "first import's parents: $(sql "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents")"
[ "$(counts engineering payments search)" = "engineering=4/5/1 payments=4/5/1 search=0/0/0 " ] ||
	fail "before any move: $(counts engineering payments search)"

# The service api moves to search in April: March stays payments'.
ok service set api --team search --effective 2026-04-01
[ "$(counts engineering payments search)" = "engineering=4/5/1 payments=4/5/1 search=0/0/0 " ] ||
	fail "a later owner took the past: $(counts engineering payments search)"

# payments moves under a new team, platform, in June: March stays with engineering, and
# platform, which did not exist then, gets nothing before June; July is platform's, not
# engineering's (platform is a root).
# org-small.csv with a parent_team column: TEAM=PARENT for each team given, empty elsewhere.
with_parents() {
	python3 - "$FIXTURES/org-small.csv" "$@" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
parents = dict(a.split("=") for a in sys.argv[2:])
at = rows[0].index("github_login")
out = csv.writer(sys.stdout, lineterminator="\n")
for i, row in enumerate(rows):
    row.insert(at, "parent_team" if i == 0 else parents.get(row[4], ""))
    out.writerow(row)
PY
}
with_parents payments=platform >reparent.csv
ok org import reparent.csv --effective 2026-06-01
expect_out "1 teams created, 1 updated"
[ "$(counts engineering payments platform)" = "engineering=4/5/0 payments=4/5/1 platform=0/0/1 " ] ||
	fail "not the tree of the events' time: $(counts engineering payments platform)"
ok org tree
expect_out "platform"
# The history: payments under engineering until June, under platform since.
june=$(sql "SELECT valid_to FROM team_parents p JOIN teams t ON t.id = p.team_id WHERE t.name = 'payments' AND p.valid_from IS NULL")
[ -n "$june" ] || fail "payments' first row was not closed"
[ "$(sql "SELECT COUNT(*) FROM team_parents p JOIN teams t ON t.id = p.team_id JOIN teams q ON q.id = p.parent_id WHERE t.name = 'payments' AND q.name = 'platform' AND p.valid_from = $june AND p.valid_to IS NULL")" = 1 ] ||
	fail "payments' row under platform: $(sql "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents")"
[ "$(sql "SELECT parent_id FROM teams WHERE name = 'payments'")" = "$(sql "SELECT id FROM teams WHERE name = 'platform'")" ] ||
	fail "teams.parent_id is not the parent now"
# The move's audit entry says when it took effect.
ok audit log --json
expect_json '[.[] | select(.action == "team.update" and .object_id == "payments")][0].detail | "\(.parent) \(.effective)"' \
	"platform 2026-06-01T00:00:00.000Z"

# A move dated before the current parent's start would rewrite history: refused, nothing
# written.
rows=$(sql "SELECT COUNT(*) FROM team_parents")
with_parents payments=engineering >back-in-may.csv
run org import back-in-may.csv --effective 2026-05-01
expect_status 1
expect_err "parent_team: team payments: change effective 2026-05-01 precedes the current record from 2026-06-01"
[ "$(sql "SELECT COUNT(*) FROM team_parents")" = "$rows" ] || fail "a refused import wrote parent rows"

# Taken back on the day it took effect: one row again, since always, and the counts as before.
ok org import back-in-may.csv --effective 2026-06-01
[ "$(sql "SELECT COUNT(*) FROM team_parents p JOIN teams t ON t.id = p.team_id WHERE t.name = 'payments'")" = 1 ] ||
	fail "not joined again: $(sql "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents")"
[ "$(counts engineering payments platform)" = "engineering=4/5/1 payments=4/5/1 platform=0/0/0 " ] ||
	fail "taken back: $(counts engineering payments platform)"

# A loop that holds only for a while is refused: search goes under payments from mid-June and
# back under engineering from August; a file dated July that puts payments under search
# ends as a tree (payments under search under engineering), but from July to August search
# was under payments.
with_parents search=payments >search-jun.csv
ok org import search-jun.csv --effective 2026-06-15
with_parents search=engineering >search-aug.csv
ok org import search-aug.csv --effective 2026-08-01
with_parents payments=search >payments-jul.csv
rows=$(sql "SELECT COUNT(*) FROM team_parents")
run org import payments-jul.csv --effective 2026-07-01
expect_status 1
expect_err "parent_team: team payments would be its own ancestor from 2026-07-01 to 2026-08-01"
[ "$(sql "SELECT COUNT(*) FROM team_parents")" = "$rows" ] || fail "a refused import wrote parent rows"
# From August on the same file is a tree.
ok org import payments-jul.csv --effective 2026-08-01
