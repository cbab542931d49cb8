# A stored cursor later than now (this machine's clock ahead when it was set, a bad value) is
# read as now, with a warning naming the resource: taken as it was, Jira's next sync asked for
# issues updated since 2098 and PagerDuty's for none at all, and both read nothing (found in
# the sync hunt).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/api"
jq -n -c '[
	{path: "/rest/api/3/search/jql", responses: [{body: ({issues: [], isLast: true} | tostring)}]},
	{path: "/incidents", responses: [{body: ({incidents: [], limit: 100, offset: 0, total: 0, more: false} | tostring)}]}]' >"$T/api/routes.json"
api_start "$T/api"
ok source add jira --name jira --url "$API_URL" --project PAY
ok source add pagerduty --name pd --service PSVC1 --api-url "$API_URL" --token-env PD_TOKEN
export PD_TOKEN=pd-secret PLUMB_NOW=2024-03-01T00:00:00Z
ok sync --since 2024-01-01
sql "UPDATE sync_cursors SET cursor = '2099-01-01T00:00:00.000Z'"
[ "$(sql "SELECT COUNT(*) FROM sync_cursors WHERE cursor LIKE '2099%'")" = 2 ] || fail "no cursors to set"
: >"$API_LOG"
ok sync
expect_err "plumb: warning: jira: the cursor of issues (2099-01-01T00:00:00.000Z) is in the future"
expect_err "plumb: warning: pd: the cursor of incidents (2099-01-01T00:00:00.000Z) is in the future"
expect_err "('plumb source rewind pd', then 'plumb sync pd --since TIME', reads them again)"
# Jira from a day before now (its margin for minute precision), PagerDuty from ten minutes
# before now (where a run ending now sets its cursor), to now.
jq -s -e '[.[] | select(.path == "/rest/api/3/search/jql")][0].query.jql | test("updated >= \"2024-02-29\"")' "$API_LOG" >/dev/null ||
	fail "jira's window: $(jq -c 'select(.path == "/rest/api/3/search/jql") | .query.jql' "$API_LOG")"
[ "$(jq -s -r '[.[] | select(.path == "/incidents")] | map("\(.query.since) \(.query.until)") | join(",")' "$API_LOG")" = \
	"2024-02-29T23:50:00.000Z 2024-03-01T00:00:00.000Z" ] ||
	fail "pagerduty's windows: $(jq -c 'select(.path == "/incidents") | .query' "$API_LOG")"
# The cursors the run set are now's, not 2099's: the next sync warns no more.
[ "$(sql "SELECT COUNT(*) FROM sync_cursors WHERE cursor LIKE '2099%'")" = 0 ] || fail "a cursor stayed in the future"
ok sync
grep -q "in the future" "$T/err" && fail "warned again: $(cat "$T/err")"
# serve --sync-every logs what plumb sync warns of (found in the sync hunt: of its warnings
# only the skipped repositories were logged).
sql "UPDATE sync_cursors SET cursor = '2099-01-01T00:00:00.000Z'"
serve --sync-every 1h
both() { grep -q "^sync: jira: run" "$T/access.log" && grep -q "^sync: pd: run" "$T/access.log"; }
wait_until 60 both || fail "no sync lines: $(cat "$T/access.log")"
for s in "jira: the cursor of issues" "pd: the cursor of incidents"; do
	grep -q "^sync: warning: $s (2099-01-01T00:00:00.000Z) is in the future" "$T/access.log" ||
		fail "not logged: $s: $(cat "$T/access.log")"
done
stop_server
ok audit verify
