# plumb sync of a Jenkins job with 250 builds: Jenkins lists only the newest 100 as builds,
# so the sync reads on through allBuilds{100,200}, {200,300}, newest first, until a page
# reaches back past the cursor or is short (found in acceptance: only the newest 100 were
# ever read, so a job with more builds since the last sync lost the rest for good, and a
# first sync ignored --since).  A second sync with no new build reads one page.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/jenkins"
# Build N started at 2023-11-14T22:13:20Z plus N hours; newest first, as Jenkins lists them.
jq -nc '[range(250; 0; -1) | {number: ., url: "https://ci.acme.example/job/platform/job/build/\(.)/",
	result: "SUCCESS", building: false, timestamp: (1700000000000 + . * 3600000), duration: 60000}] as $b |
	"https://ci.acme.example/job/platform/job/build/" as $u |
	{url: $u, builds: $b[0:100]}, {url: $u, allBuilds: $b[100:200]}, {url: $u, allBuilds: $b[200:250]},
	[{path: "/job/platform/job/build/api/json", query_re: {tree: "^url,allBuilds\\[.*\\{100,200\\}$"},
	  responses: [{body_file: "page-2.json"}]},
	 {path: "/job/platform/job/build/api/json", query_re: {tree: "^url,allBuilds\\[.*\\{200,300\\}$"},
	  responses: [{body_file: "page-3.json"}]},
	 {path: "/job/platform/job/build/api/json", query_re: {tree: "^url,builds\\[.*\\{0,100\\}$"},
	  responses: [{body_file: "page-1.json"}]}]' >"$T/jenkins/all"
for f in page-1 page-2 page-3 routes; do
	read -r line && printf '%s\n' "$line" >"$T/jenkins/$f.json"
done <"$T/jenkins/all"
api_start "$T/jenkins"
ok source add jenkins --name ci --url "$API_URL" --job platform/build --token-env JENKINS_TOKEN
export JENKINS_TOKEN=robot:jenkins-secret
ok sync ci --since 2023-01-01 --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 3 250"
ok events list --kind ci_run --source ci --limit 0 --json
expect_json 'map(.external_id | ltrimstr("platform/build#") | tonumber) | sort | "\(length) \(.[0]) \(.[-1])"' "250 1 250"
jq -s -e 'length == 3 and all(.[]; .authorization)' "$API_LOG" >/dev/null || fail "requests: $(jq -c '.query.tree' "$API_LOG")"
# Nothing new: the first page reaches back past the cursor, and is the only one read.
: >"$API_LOG"
ok sync ci --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted) \(.unchanged)"' "ok 1 0 100"
# A first sync from build 120's start reads the pages down to it, and no further.
ok source add jenkins --name ci2 --url "$API_URL" --job platform/build --token-env JENKINS_TOKEN
: >"$API_LOG"
ok sync ci2 --since 2023-11-19T22:13:20Z --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 2 200"
ok reconcile --json
expect_json '.mismatches' 0
ok audit verify
