# plumb sync of a Jenkins job reads again, by number, each build it stored still running that
# its walk did not list: the walk stops at the first page reaching back past the cursor, so a
# build running when synced and 100 or more builds deep was never read again and stayed
# in progress for good (found in review).  A build gone upstream (404) is left as it was; a
# build the walk lists, or one finished, is not read again.  A build Jenkins will not give
# (500 on every try) is left as it was too, with a warning, and the sync goes on: it failed
# every sync for as long as the build was stored open (found in review).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/jenkins"
# 150 builds, one a minute from ten days ago (the re-read looks back a year); newest first.
# #150 and #20 are running throughout, #10 is running at the first sync and has finished
# since; #20 is gone by the second (no route: 404); #30's own url answers 500.
jq -nc '((now - 10 * 86400) * 1000 | floor) as $t0 | "https://ci.acme.example/job/platform/job/build/" as $u |
	def b(n; building): {number: n, url: "\($u)\(n)/", result: (if building then null else "SUCCESS" end),
		building: building, timestamp: ($t0 + n * 60000), duration: (if building then 0 else 30000 end)};
	[range(150; 0; -1) | b(.; . == 150 or . == 30 or . == 20 or . == 10)] as $b |
	{url: $u, builds: $b[0:100]}, {url: $u, allBuilds: $b[100:150]}, b(10; false),
	[{path: "/job/platform/job/build/api/json", query_re: {tree: "^url,allBuilds\\[.*\\{100,200\\}$"},
	  responses: [{body_file: "page-2.json"}]},
	 {path: "/job/platform/job/build/api/json", query_re: {tree: "^url,builds\\[.*\\{0,100\\}$"},
	  responses: [{body_file: "page-1.json"}]},
	 {path: "/job/platform/job/build/10/api/json", query_re: {tree: "^number,url,result,building,timestamp,"},
	  responses: [{body_file: "build-10.json"}]},
	 {path: "/job/platform/job/build/30/api/json", responses: [{status: 500, body: "java.lang.NullPointerException"}]},
	 {path: "/job/platform/job/other/api/json", responses: [{body: "{\"url\": \"https://ci.acme.example/job/platform/job/other/\", \"builds\": []}"}]}]' >"$T/jenkins/all"
for f in page-1 page-2 build-10 routes; do
	read -r line && printf '%s\n' "$line" >"$T/jenkins/$f.json"
done <"$T/jenkins/all"
api_start "$T/jenkins"
ok source add jenkins --name ci --url "$API_URL" --job platform/build --token-env JENKINS_TOKEN
export JENKINS_TOKEN=robot:jenkins-secret PLUMB_SYNC_BACKOFF_MS=1
open_builds() {
	ok events list --kind ci_run --source ci --limit 0 --json
	expect_json '[.[] | select(.status != "success") | "\(.external_id) \(.status)"] | sort | join(",")' "$1"
}
ok sync ci --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 2 150"
open_builds "platform/build#10 in_progress,platform/build#150 in_progress,platform/build#20 in_progress,platform/build#30 in_progress"
# Nothing new: the first page reaches back past the cursor; #10, #20 and #30 are read by
# number (#30 five times, then given up on), #150 (listed) is not.
: >"$API_LOG"
ok sync ci --json
expect_json '.[0] | "\(.status) \(.requests) \(.updated)"' "ok 8 1"
expect_err "plumb: warning: ci: 1 CI run stored as still running could not be read again, left as it was (the next sync tries again): "
expect_err "/job/platform/job/build/30/api/json?tree=number"
open_builds "platform/build#150 in_progress,platform/build#20 in_progress,platform/build#30 in_progress"
ok events list --kind ci_run --source ci --limit 0 --json
expect_json '.[] | select(.external_id == "platform/build#10") | "\(.status) \(.ended_at != null)"' "success true"
jq -r .path "$API_LOG" | sort -u | paste -sd' ' | grep -qx '/job/platform/job/build/10/api/json /job/platform/job/build/20/api/json /job/platform/job/build/30/api/json /job/platform/job/build/api/json' ||
	fail "requests: $(jq -c '[.path, .query.tree]' "$API_LOG")"
jq -s -e 'all(.[]; .authorization)' "$API_LOG" >/dev/null || fail "a request without the token"
# #10 finished is not read again; #20, gone, and #30 still are.
: >"$API_LOG"
ok sync ci --json
expect_json '.[0] | "\(.status) \(.requests) \(.updated)"' "ok 7 0"
jq -r .path "$API_LOG" | sort -u | paste -sd' ' | grep -qx '/job/platform/job/build/20/api/json /job/platform/job/build/30/api/json /job/platform/job/build/api/json' ||
	fail "requests: $(jq -c '[.path, .query.tree]' "$API_LOG")"
ok reconcile --json
expect_json '.mismatches' 0
# The source set to read another job: the builds of the job it read before are not its to
# read again, however they were stored (found in review: #20, gone, and #30 were read again
# by number on every sync for a year, #30 five times each, after the source had moved on).
ok source set ci --job platform/other
: >"$API_LOG"
ok sync ci --json
expect_json '.[0] | "\(.status) \(.requests)"' "ok 1"
jq -r .path "$API_LOG" | sort -u | paste -sd' ' | grep -qx '/job/platform/job/other/api/json' ||
	fail "requests after --job changed: $(jq -c '[.path, .query.tree]' "$API_LOG")"
open_builds "platform/build#150 in_progress,platform/build#20 in_progress,platform/build#30 in_progress"
ok audit verify
