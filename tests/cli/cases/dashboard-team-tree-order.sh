# The dashboard's teams in tree order (docs/cli.md, "plumb dashboard"): roots and each
# team's children by name, whatever the parent's own name (alpha under zeta), a team whose
# parent has ended a root, the ended team left out; a team moved under another parent later
# is shown under its parent now, and the refresh counts its deployments for the parents it
# had when each happened (team_parents).
init_db
head='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,parent_team,team_kind,github_login,jira_account_id,pagerduty_user_id,emails'
row() { # id team parent
	echo "$1,Person $1,$1@acme.example,,$2,Engineer,L3,ic,backend,US,2020-01-01,,$3,,gh-$1,,,"
}
{
	echo "$head"
	row P1 zeta ""
	row P2 alpha zeta
	row P3 mid zeta
	row P4 beta alpha
	row P5 orphan gone
	row P6 gone zeta
	row P7 lone ""
} >org.csv
ok org import org.csv --effective 2026-01-01
sql "UPDATE teams SET ended_at = 1 WHERE name = 'gone'" >/dev/null
order() { ok dashboard --json; json '[.teams[] | "\(.team):\(.depth):\(.parent)"] | join(" ")'; }
[ "$(order)" = "lone:0:null orphan:0:gone zeta:0:null alpha:1:zeta beta:2:alpha mid:1:zeta" ] ||
	fail "tree order: $(order)"

# beta moves under mid from June: under zeta it now comes after alpha, as mid's child.
{ echo "$head"; row P4 beta mid; } >move.csv
ok org import move.csv --effective 2026-06-01
[ "$(order)" = "lone:0:null orphan:0:gone zeta:0:null alpha:1:zeta mid:1:zeta beta:2:mid" ] ||
	fail "tree order after the move: $(order)"

# beta's service deploys twice in May (beta under alpha) and once in July (under mid).
ok service set svc --team beta --effective 2026-01-01
ok source add deploy --name deploys
cat >deploys.csv <<'CSV'
id,service,environment,sha,ref,started,finished,status
D1,svc,production,a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1,main,2026-05-05T09:50:00Z,2026-05-05T10:00:00Z,success
D2,svc,production,a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2a2,main,2026-05-06T09:50:00Z,2026-05-06T10:00:00Z,success
D3,svc,production,a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3a3,main,2026-07-01T09:50:00Z,2026-07-01T10:00:00Z,success
CSV
ok ingest --source deploys deploys.csv
export PLUMB_NOW=2026-07-15T12:00:00Z
# Two teams named out of order are refreshed, and named, in tree order.
ok dashboard refresh --team beta --team mid
expect_out "dashboard refreshed for 2 teams"
last=$(sql "SELECT object_id FROM audit_log WHERE action = 'dashboard.refresh' ORDER BY seq DESC LIMIT 1")
[ "$last" = "mid,beta" ] || fail "the refresh's teams: $last"
ok dashboard refresh
expect_out "dashboard refreshed for 6 teams"
ok dashboard --json
expect_json '[.teams[] | "\(.team)=\(.keys.deployment_frequency.n)"] | join(" ")' \
	"lone=0 orphan=0 zeta=3 alpha=2 mid=1 beta=3"
