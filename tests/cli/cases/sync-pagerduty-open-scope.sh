# A PagerDuty sync reaches back to the oldest incident still open here, so that its
# resolution comes in; only to one of the services the source reads now. An open incident of
# a service taken off its list is never listed again, and reaching back to it pinned every
# later sync to its creation (found in session 39's hunt). The loopback API lists incidents of
# PSVC001 and PSVC002 whatever is asked, as a source that read both once stored them.
source "$ROOT/tests/http/apiserver.sh"
init_db
api_start "$ROOT/tests/http/scenarios/jira-pd-sync"
ok source add pagerduty --name pd --service PSVC001 --api-url "$API_URL" --token-env PD_TOKEN
export PD_TOKEN=pd-secret
PLUMB_NOW=2024-03-01T00:00:00Z ok sync pd --since 2024-01-01
open="SELECT external_id || ' ' || owner_key FROM events WHERE kind = 'incident' AND status <> 'resolved' ORDER BY occurred_at"
[ "$(sql "$open" | tr '\n' ,)" = "Q2TRIGG3R PSVC002,Q3ACKN0W PSVC001," ] || fail "open incidents: $(sql "$open" | tr '\n' ,)"
: >"$API_LOG"
PLUMB_NOW=2024-03-02T00:00:00Z ok sync pd
jq -s -e '[.[] | select(.path == "/incidents")][0].query.since == "2024-02-12T10:00:00.000Z"' "$API_LOG" >/dev/null ||
	fail "the sync did not reach back to PSVC001's oldest open incident alone: $(jq -c 'select(.path == "/incidents") | .query' "$API_LOG")"
# Every service read again (a scope change: the next sync starts over), the one after reaches
# back to the oldest open incident of any.
ok source set pd --unset service
PLUMB_NOW=2024-03-03T00:00:00Z ok sync pd
: >"$API_LOG"
PLUMB_NOW=2024-03-04T00:00:00Z ok sync pd
jq -s -e '[.[] | select(.path == "/incidents")][0].query.since == "2024-02-11T23:59:59.500Z"' "$API_LOG" >/dev/null ||
	fail "the sync of every service did not reach back to the oldest open: $(jq -c 'select(.path == "/incidents") | .query' "$API_LOG")"
