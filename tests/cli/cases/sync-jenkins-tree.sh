# plumb sync of a Jenkins job asks, in its tree= parameter, for every field the parser reads, so
# a synced build is the run an ingested file of the same build gives (found in review: the sync
# asked for neither the change sets' kind, the causes' class, the revision's branch nor the
# remotes, so a synced run had no ref and no change-set commit, and could not tell the
# project's revision from a shared library's). The test server answers as Jenkins does: only
# the fields the tree names. The build is a pipeline that checked out api-server, then loaded a
# shared library (the `library` step): its commit is api-server's, not the library's.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/jenkins"
app=1111111111111111111111111111111111111111
lib=2222222222222222222222222222222222222222
jq -n --arg app "$app" --arg lib "$lib" '{
	_class: "org.jenkinsci.plugins.workflow.job.WorkflowJob",
	url: "https://ci.acme.example/job/platform/job/api-server/",
	builds: [{
		_class: "org.jenkinsci.plugins.workflow.job.WorkflowRun",
		number: 7, url: "https://ci.acme.example/job/platform/job/api-server/7/",
		result: "SUCCESS", building: false, timestamp: 1700000000000, duration: 90000,
		fullDisplayName: "platform » api-server #7", description: null, queueId: 31,
		actions: [
			{_class: "hudson.model.CauseAction", causes: [{_class: "hudson.model.Cause$UserIdCause",
				shortDescription: "Started by user Alice", userId: "alice", userName: "Alice"}]},
			{_class: "hudson.plugins.git.util.BuildData", buildsByBranchName: {},
				lastBuiltRevision: {SHA1: $app, branch: [{SHA1: $app, name: "refs/remotes/origin/main"}]},
				remoteUrls: ["https://github.com/acme/api-server.git"], scmName: ""},
			{_class: "hudson.plugins.git.util.BuildData", buildsByBranchName: {},
				lastBuiltRevision: {SHA1: $lib, branch: [{SHA1: $lib, name: "refs/remotes/origin/master"}]},
				remoteUrls: ["https://github.com/acme/jenkins-lib.git"], scmName: ""},
			{_class: "org.jenkinsci.plugins.workflow.libs.LibrariesAction"}],
		changeSets: [{_class: "hudson.plugins.git.GitChangeSetList", kind: "git",
			items: [{_class: "hudson.plugins.git.GitChangeSet", commitId: $app,
				authorEmail: "alice@acme.example", timestamp: 1699999000000,
				date: "2023-11-14 21:56:40 +0000", msg: "Fix the cache"}]}]}]}' >"$T/jenkins/job.json"
cat >"$T/jenkins/routes.json" <<'JSON'
[{"path": "/job/platform/job/api-server/api/json", "query_re": {"tree": "^url,builds\\["},
  "responses": [{"body_file": "job.json", "jenkins_tree": true}]}]
JSON
api_start "$T/jenkins"
export JENKINS_TOKEN=robot:jenkins-secret
ok source add jenkins --name ci --url "$API_URL" --job platform/api-server --token-env JENKINS_TOKEN
ok sync ci --since 2023-01-01 --json
expect_json '.[0] | "\(.status) \(.inserted)"' "ok 1"
# The same build from a file, every field there.
ok source add jenkins --name file --url https://ci.acme.example --job platform/api-server
ok ingest --source file "$T/jenkins/job.json"
run_of() {
	"$PLUMB" events list --kind ci_run --source "$1" --json |
		jq -c '.[0] | {external_id, sha, ref, account, status, occurred_at, ended_at, commits: (.attrs | fromjson? // . | .commits)}'
}
synced=$(run_of ci)
[ "$(jq -r .sha <<<"$synced")" = "$app" ] || fail "the synced run's commit is not api-server's: $synced"
[ "$(jq -r .ref <<<"$synced")" = refs/remotes/origin/main ] || fail "the synced run has no branch: $synced"
[ "$(jq -r .account <<<"$synced")" = alice ] || fail "the synced run lost who started it: $synced"
[ "$(jq -c .commits <<<"$synced")" = "[\"$app\"]" ] || fail "the synced run lost its change set: $synced"
[ "$synced" = "$(run_of file)" ] || fail "synced $synced, ingested $(run_of file)"
# The request named the fields, and the server kept only those.
jq -r '.query.tree' "$API_LOG" | grep -qF 'remoteUrls' || fail "the tree asks for no remotes: $(jq -r '.query.tree' "$API_LOG")"
