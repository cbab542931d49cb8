# Every commit id ingest reads is held to the rule a deploy event's sha is: 7 to 64 hex
# digits, stored in lower case, since the DORA keys find a deployment's commits by its sha
# (found in review: a GitHub commit 'not-a-sha', one with a line break and an upper-case one
# were stored as written, and the upper-case one could never join its deployment).  Another
# value is refused naming the file, the JSON path and the field, and nothing is written.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jenkins --name jk --url https://ci.example.com --job deploy-web
ok source add deploy --name dep
before=$(ingest_written)
gh=$FIXTURES/github
upper=ABCDEF0123456789ABCDEF0123456789ABCDEF01

# A REST commit's sha and its parents' shas.
jq '.[0].sha = "not-a-sha"' "$gh/commits.json" >c.json
ingest_refused 1 "plumb: error: c.json: [0].sha: 'not-a-sha': expected a commit id, 7 to 64 hex digits" --source gh c.json
# A line break is named, not echoed into the message.
jq '.[0].sha = "abc\ndef0123"' "$gh/commits.json" >c.json
ingest_refused 1 "plumb: error: c.json: [0].sha: expected one line of text without control characters" --source gh c.json
jq '.[0].sha = "abc12"' "$gh/commits.json" >c.json
ingest_refused 1 "c.json: [0].sha: 'abc12': expected a commit id" --source gh c.json
jq '.[0].parents[1].sha = "main"' "$gh/commits.json" >c.json
ingest_refused 1 "c.json: [0].parents[1].sha: 'main': expected a commit id" --source gh c.json
# A push webhook's commits, a pull request's head and merge commit, a review's commit, a
# deployment's and a workflow run's.
jq '.commits[0].id = "HEAD~1"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "push.json: commits[0].id: 'HEAD~1': expected a commit id" --source gh --event push push.json
jq '.[0].head.sha = "feature-x"' "$gh/pulls.json" >pulls.json
ingest_refused 1 "pulls.json: [0].head.sha: 'feature-x': expected a commit id" --source gh pulls.json
jq '.[0].merge_commit_sha = "g123456"' "$gh/pulls.json" >pulls.json
ingest_refused 1 "pulls.json: [0].merge_commit_sha: 'g123456': expected a commit id" --source gh pulls.json
jq '.[0].commit_id = "v1.2.3"' "$gh/reviews.json" >reviews.json
ingest_refused 1 "reviews.json: [0].commit_id: 'v1.2.3': expected a commit id" --source gh reviews.json
jq '.[0].sha = "v1.4.2"' "$gh/deployments.json" >deps.json
ingest_refused 1 "deps.json: [0].sha: 'v1.4.2': expected a commit id" --source gh deps.json
jq '.workflow_runs[0].head_sha = "abc def0123"' "$gh/workflow-runs.json" >runs.json
ingest_refused 1 "runs.json: workflow_runs[0].head_sha: 'abc def0123': expected a commit id" --source gh runs.json
# A Jenkins git change set's commit ids and the git plugin's built revision.
jq '.changeSets[0].items[0].commitId = "not-a-sha"' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "build.json: changeSets[0].items[0].commitId: 'not-a-sha': expected a commit id" --source jk build.json
jq '.builds[2].actions[1].lastBuiltRevision.SHA1 = "main"' "$FIXTURES/jenkins/job-builds.json" >builds.json
ingest_refused 1 "builds.json: builds[2].actions[1].lastBuiltRevision.SHA1: 'main': expected a commit id" --source jk builds.json
# A deploy event's sha, as before.
printf 'service,environment,sha,started,status\napi,production,not-a-sha,2026-05-05T10:36:00Z,success\n' >d.csv
ingest_refused 1 "plumb: error: d.csv:2: sha: 'not-a-sha': expected a commit id, 7 to 64 hex digits" --source dep d.csv

# Upper case is stored in lower case, as commits carry it, so the deployment of that sha
# finds its commit: the REST commit (its id too), its parents, a push commit, a run's head.
jq --arg s "$upper" '.[0].sha = $s | .[0].parents[0].sha = $s' "$gh/commits.json" >c.json
ok ingest --source gh c.json
[ "$(sql "SELECT external_id||' '||sha FROM events WHERE kind = 'commit' AND sha LIKE 'abcdef%'")" = \
	"abcdef0123456789abcdef0123456789abcdef01 abcdef0123456789abcdef0123456789abcdef01" ] ||
	fail "an upper-case commit sha was not stored in lower case"
file_has <(sql "SELECT attrs FROM events WHERE external_id = 'abcdef0123456789abcdef0123456789abcdef01'") \
	'"parents":["abcdef0123456789abcdef0123456789abcdef01"' || fail "an upper-case parent sha was not stored in lower case"
[ "$(sql "SELECT COUNT(*) FROM events WHERE sha <> lower(sha) OR (kind = 'commit' AND external_id <> lower(external_id))")" = 0 ] ||
	fail "a commit sha was stored in upper case"
printf 'id,service,environment,sha,started,status\nd1,widgets,production,%s,2026-05-05T10:36:00Z,success\n' "$upper" >d.csv
ok ingest --source dep d.csv
[ "$(sql "SELECT COUNT(*) FROM events d JOIN events c ON c.sha = d.sha AND c.kind = 'commit' WHERE d.kind = 'deployment'")" = 1 ] ||
	fail "the deployment of an upper-case sha does not find its commit"
jq --arg s "${upper:0:12}" '.workflow_runs[0].head_sha = $s' "$gh/workflow-runs.json" >runs.json
ok ingest --source gh runs.json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'ci_run' AND sha = 'abcdef012345'")" = 1 ] ||
	fail "an upper-case head_sha was not stored in lower case"

# A Subversion change set's commit ids are revision numbers: kept as written.
jq '.changeSets[0].kind = "svn" | .changeSets[0].items[0].commitId = "1234" | .changeSets[0].items[1].commitId = "1235"' \
	"$FIXTURES/jenkins/build-git-changeset.json" >svn.json
ok ingest --source jk svn.json
file_has <(sql "SELECT attrs FROM events WHERE kind = 'ci_run'") '"commits":["1234","1235"]' ||
	fail "a Subversion change set's revisions were not kept"
