# Fields ingestion once stored as written with exit 0 (found in review): each is refused
# with a line naming the file, the JSON path or record and what was expected, and nothing is
# written.  An email git wrote that is no address ("unknown") is upstream data nobody can
# fix: the record is stored without an email, not refused.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok source add pagerduty --name pd
ok source add jenkins --name jk --url https://ci.example.com --job deploy-web
before=$(ingest_written)
one_line="expected one line of text without control characters"
gh="$FIXTURES/github"

# A push commit's author username is a GitHub login, as every other login.
jq '.commits[0].author.username = "dana contractor"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "plumb: error: push.json: commits[0].author.username: expected a github account" \
	--source gh --event push push.json
# Nor one with a no-break space inside, which looks like another login (found in review).
jq '.commits[0].author.username = "mo\u00a0na"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "plumb: error: push.json: commits[0].author.username: expected a github account" \
	--source gh --event push push.json
# A display name is kept as one line too (a git author name never holds a line break).
jq '.commits[0].author.name = "Bob\nEvil"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "plumb: error: push.json: commits[0]: the commit's account name: $one_line" \
	--source gh --event push push.json
# Emails: a control character is refused wherever one is read.
jq '.commits[0].author.email = "dana@x\ny"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "plumb: error: push.json: commits[0].author.email: $one_line" --source gh --event push push.json
jq '.[0].commit.author.email = "alice@example.com\r"' "$gh/commits.json" >commits.json
ingest_refused 1 "plumb: error: commits.json: [0].commit.author.email: $one_line" --source gh commits.json
jq '.issues[0].fields.assignee.emailAddress = "mia@example.com\u0085"' "$FIXTURES/jira/search-changelog.json" >jira.json
ingest_refused 1 "plumb: error: jira.json: issues[0].fields.assignee.emailAddress: $one_line" --source jira jira.json
jq '.changeSets[0].items[0].authorEmail = "alice@\texample.com"' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: changeSets[0].items[0].authorEmail: $one_line" --source jk build.json
# A Jira project key is held to the issue key's rule.
jq '.issues[0].fields.project.key = "PLAT\nX"' "$FIXTURES/jira/search-changelog.json" >jira.json
ingest_refused 1 "plumb: error: jira.json: issues[0].fields.project.key: $one_line" --source jira jira.json
jq '.issues[0].fields.project.key = "PL AT"' "$FIXTURES/jira/search-changelog.json" >jira.json
ingest_refused 1 "plumb: error: jira.json: issues[0].fields.project.key: 'PL AT': expected an id without spaces" \
	--source jira jira.json
# A Subversion (or kind-less) change set's revision is one line too.
jq '.changeSets[0].kind = "svn" | .changeSets[0].items[0].commitId = "12\n34"' \
	"$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: changeSets[0].items[0].commitId: $one_line" --source jk build.json
# attrs over their cap are refused, not dropped.
head -c 1100000 /dev/zero | tr '\0' x >big.txt
jq --rawfile big big.txt '.[0].base.ref = $big' "$gh/pulls.json" >pulls.json
ingest_refused 1 "plumb: error: pulls.json: [0]: too large (over 1048576 bytes)" --source gh pulls.json
# A declared total below 0, as Jira's and PagerDuty's.
jq '.total_count = -1' "$gh/workflow-runs.json" >runs.json
ingest_refused 1 "plumb: error: runs.json: total_count: -1: expected a count, 0 or more" --source gh runs.json
# A review body whose pull request is on another repository than the webhook's.
jq '.pull_request.base.repo.full_name = "other/repo"' "$gh/webhook-pull_request_review.approved.json" >review.json
ingest_refused 1 "plumb: error: review.json: pull_request.base.repo.full_name: 'other/repo' is not the webhook's repository 'acme/widgets'" \
	--source gh --event pull_request_review review.json
# Negative numeric ids.
jq '.[0].id = -5' "$gh/deployments.json" >deployments.json
ingest_refused 1 "plumb: error: deployments.json: [0].id: -5: expected an id, 0 or more" --source gh deployments.json
jq '.incidents[0].incident_number = -4' "$FIXTURES/pagerduty/incidents-page.json" >pd.json
ingest_refused 1 "plumb: error: pd.json: incidents[0].incident_number: -4: expected an id, 0 or more" --source pd pd.json
# An urgency the API does not give (its two: high, low) would count apart by urgency
# (found in session 52: stored as given).
jq '.incidents[1].urgency = "High"' "$FIXTURES/pagerduty/incidents-page.json" >pd.json
ingest_refused 1 "plumb: error: pd.json: incidents[1].urgency: 'High': expected high or low" --source pd pd.json
jq '.event.data.urgency = "critical"' "$FIXTURES/pagerduty/webhook-acknowledged.json" >pdhook.json
ingest_refused 1 "plumb: error: pdhook.json: event.data.urgency: 'critical': expected high or low" --source pd pdhook.json
# What no parser checks itself, checked before any record is stored.
jq '.[0].environment = " production\n"' "$gh/deployments.json" >deployments.json
ingest_refused 1 "plumb: error: deployments.json: [0]: the deployment's environment: $one_line" --source gh deployments.json
jq '.[0].environment = " production"' "$gh/deployments.json" >deployments.json
ingest_refused 1 "plumb: error: deployments.json: [0]: the deployment's environment: ' production': expected no spaces around it" \
	--source gh deployments.json
# A no-break space too, or a zero-width one: no listing shows them (found in the parsers' hunt).
jq '.[0].environment = "production\u00a0"' "$gh/deployments.json" >deployments.json
ingest_refused 1 "plumb: error: deployments.json: [0]: the deployment's environment: 'production" --source gh deployments.json
expect_err "': expected no spaces around it"
jq '.[0].environment = "\u200bproduction"' "$gh/deployments.json" >deployments.json
ingest_refused 1 "plumb: error: deployments.json: [0]: the deployment's environment: '" --source gh deployments.json
expect_err "production': expected no spaces around it"
jq '.ref = "x\ny"' "$gh/webhook-push.json" >push.json
ingest_refused 1 "plumb: error: push.json: commits[0]: the commit's ref: $one_line" --source gh --event push push.json
jq '.actions += [{"lastBuiltRevision": {"SHA1": "89e6c98d92887913cadf06b2adb97f26cde4849b", "branch": [{"name": "ma\nin"}]}}]' \
	"$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: (document): the ci_run's ref: $one_line" --source jk build.json
jq '.[0].html_url = "https://github.com/acme/widgets/pull/1\n"' "$gh/pulls.json" >pulls.json
ingest_refused 1 "plumb: error: pulls.json: [0]: the pull_request's url: $one_line" --source gh pulls.json

# An email that is no address is no email: the record is kept without one.
jq '.[0].commit.author.email = "unknown"' "$gh/commits.json" >commits.json
ok ingest --source gh commits.json
sha=$(jq -r '.[0].sha' commits.json)
[ "$(sql "SELECT COALESCE(account_email, 'none') FROM events WHERE kind = 'commit' AND external_id = '$sha'")" = none ] ||
	fail "a commit author's email 'unknown' was stored"
jq '.commits[0].author.email = "" | .commits[0].id = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2"' "$gh/webhook-push.json" >push.json
ok ingest --source gh --event push push.json
id=$(jq -r '.commits[0].id' push.json)
[ "$(sql "SELECT COALESCE(account_email, 'none') FROM events WHERE kind = 'commit' AND external_id = '$id'")" = none ] ||
	fail "a push commit's empty email was stored"
jq '.issues[0].fields.assignee.emailAddress = "mia at example.com"' "$FIXTURES/jira/search-changelog.json" >jira.json
ok ingest --source jira jira.json
key=$(jq -r '.issues[0].key' jira.json)
[ "$(sql "SELECT COALESCE(account_email, 'none') || ' ' || account FROM events WHERE kind = 'work_item' AND external_id = '$key'")" = "none 5b10ac8d82e05b22cc7d4ef5" ] ||
	fail "a Jira assignee's email that is no address was stored, or the assignee was lost"
# A Subversion change set's revision is kept in attrs, never as the run's sha.
jq '.changeSets[0].kind = "svn" | .changeSets[0].items[1].commitId = "1234" | .changeSets[0].items[0].authorEmail = "unknown"' \
	"$FIXTURES/jenkins/build-git-changeset.json" >build.json
ok ingest --source jk build.json
[ "$(sql "SELECT COALESCE(sha, 'none') FROM events WHERE kind = 'ci_run'")" = none ] ||
	fail "a Subversion revision became a run's sha"
sql "SELECT attrs FROM events WHERE kind = 'ci_run'" >attrs.json
[ "$(jq -c '[.commits[1], .commit_authors[0]]' attrs.json)" = '["1234",null]' ] ||
	fail "a run's attrs lost its Subversion revision or kept an email that is no address: $(cat attrs.json)"
