# ingest is all or nothing: a bad time in one of several files (or one that names no
# instant), an end before its start (Jira, PagerDuty), invalid JSON, an unknown format, a
# format of another source kind, an unknown source, a missing file or an unsupported webhook
# event exits non-zero naming the file (and the JSON path or line:column and what was
# expected), and writes nothing: no events, raw payloads, runs, services or audit entries;
# the files staged before the bad one are gone too.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jira --url https://acme.atlassian.net --project PAY
ok source add pagerduty --name pd
ok source add deploy --name dep
ok source add jenkins --name jk --url https://ci.example.com --job deploy-web
ok source add prometheus --name prom --api-url https://prom.example:9090
ok audit log --json
only_writes
entries=$(json length)
before=$(ingest_written)

# A bad time in the last of several files: the files staged before it are not kept.
mkdir in
cp "$FIXTURES/github/commits.json" "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json" in/
jq '.[1].submitted_at = "2024-02-30T14:30:00Z"' "$FIXTURES/github/reviews.json" >in/reviews.json
ingest_refused 1 "plumb: error: in/reviews.json: [1].submitted_at: expected an RFC 3339 time, got '2024-02-30T14:30:00Z'" --source gh in
# A directory given with its trailing '/' (as a shell completes it) names its files with one
# '/' (found in acceptance: 'in//reviews.json', in messages and in raw payloads' origins).
ingest_refused 1 "plumb: error: in/reviews.json: [1].submitted_at: expected an RFC 3339 time" --source gh in/
# A file in a directory whose name is not UTF-8 is refused as such a name given as an argument
# is: it would be kept as its raw payload's origin, which PostgreSQL keeps as text (found in
# the parsers' hunt: read from a directory, it went in).
mkdir odd
cp "$FIXTURES/github/pulls.json" "odd/pulls-$(printf '\xff').json"
ingest_refused 1 "plumb: error: odd: a file's name is not UTF-8 text: 'pulls-?.json'" --source gh odd
rm -r odd
jq '.[0].created_at = "yesterday"' "$FIXTURES/github/pulls.json" >in/pulls.json
ingest_refused 1 "in/pulls.json: [0].created_at: expected an RFC 3339 time, got 'yesterday'" --source gh in
# A number is not a time either.
jq '.[0].created_at = 1709283600' "$FIXTURES/github/pulls.json" >in/pulls.json
ingest_refused 1 "in/pulls.json: [0].created_at: expected an RFC 3339 time, got a number" --source gh in/commits.json in/pulls.json
cp "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json" in/
# A time that says no one instant is refused, not read as UTC: no zone, no seconds, a date
# alone; so are seconds 60 where no leap second falls.  The detail says what is missing.
for t in "2024-03-01 09:00:00|no zone" "2024-03-01T09:00|no seconds" "2024-03-01|a date without a time of day" \
	"2024-03-01T12:00:60Z|second 60 is a leap second only at 23:59:60 UTC"; do
	jq --arg t "${t%|*}" '.[0].created_at = $t' "$FIXTURES/github/pulls.json" >in/pulls.json
	ingest_refused 1 "in/pulls.json: [0].created_at: expected an RFC 3339 time, got '${t%|*}'" --source gh in
	expect_err "detail: ${t#*|}"
done
cp "$FIXTURES/github/pulls.json" in/
printf '{"id":"t1","service":"svc","environment":"prod","started":"2024-05-01 15:00:00","status":"failure"}' >dep.json
ingest_refused 1 "dep.json: started: expected an RFC 3339 time (2024-05-01T09:30:00Z), got '2024-05-01 15:00:00'" --source dep dep.json
expect_err "detail: no zone"
# One id given to two services (or environments) in a file: refused naming both places, not
# folded into one event where the later row silently replaced the earlier (found in review).
# The same id twice for one deployment (in progress, then its success) is one deployment.
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,in_progress\nd1,api,prod,2024-05-01T10:00:00Z,success\nd1,web,prod,2024-05-01T11:00:00Z,success\n' >dep-ids.csv
ingest_refused 1 "dep-ids.csv:4: id: 'd1' names a deployment of api to prod at line 2; one id names one deployment" --source dep dep-ids.csv
printf '[{"id":"d2","service":"api","environment":"prod","started":"2024-05-01T10:00:00Z","status":"success"},{"id":"d2","service":"api","environment":"staging","started":"2024-05-01T10:00:00Z","status":"success"}]' >dep-ids.json
ingest_refused 1 "dep-ids.json: [1].id: 'd2' names a deployment of api to prod at [0]; one id names one deployment" --source dep dep-ids.json
# An id over 512 bytes, read or made of a long part, is refused naming the record and the
# field: PostgreSQL indexes no entry past about 2.7 KB, where a longer id failed with a
# database error (and a SQLite database holding one could not be copied there).
long=$(printf 'x%.0s' $(seq 513))
printf '{"id":"%s","service":"api","environment":"prod","started":"2024-05-01T10:00:00Z","status":"success"}' "$long" >dep-long.json
ingest_refused 1 "plumb: error: dep-long.json: id: expected an id of at most 512 bytes, got 513: 'xxxx" --source dep dep-long.json
printf 'id,service,environment,started,status\n%s,api,prod,2024-05-01T10:00:00Z,success\n' "$long" >dep-long.csv
ingest_refused 1 "plumb: error: dep-long.csv:2: id: expected an id of at most 512 bytes, got 513" --source dep dep-long.csv
printf '{"service":"api","environment":"%s","started":"2024-05-01T10:00:00Z","status":"success"}' "$long" >dep-env.json
ingest_refused 1 "plumb: error: dep-env.json: (document): the deployment's id is 542 bytes: expected at most 512" --source dep dep-env.json
jq --arg id "$long" '.incidents[0].id = $id' "$FIXTURES/pagerduty/incidents-page.json" >pd-long.json
ingest_refused 1 "plumb: error: pd-long.json: incidents[0].id: expected an id of at most 512 bytes, got 513" --source pd pd-long.json
jq --arg id "$long" '.incidents[0].service.id = $id' "$FIXTURES/pagerduty/incidents-page.json" >pd-long.json
ingest_refused 1 "plumb: error: pd-long.json: incidents[0].service.id: expected an id of at most 512 bytes" --source pd pd-long.json
jq --arg key "PLAT-$long" '.issues[0].key = $key' "$FIXTURES/jira/search-changelog.json" >jira-long.json
ingest_refused 1 "plumb: error: jira-long.json: issues[0].key: expected an id of at most 512 bytes, got 518" --source jira jira-long.json
jq --arg id "$long" '.[1].id = $id' "$FIXTURES/github/reviews.json" >gh-long.json
ingest_refused 1 "plumb: error: gh-long.json: [1].id: expected an id of at most 512 bytes, got 513" --source gh gh-long.json
# An end before its start, as a deploy event's finished before started: refused naming the
# file, the record and the field.  Compared as instants: 01:35:15+0100 is before
# 08:35:15.489+0800 (00:35:15.489 UTC).
jq '.issues[0].fields.resolutiondate = "2020-06-12T01:35:15.000+0100"' "$FIXTURES/jira/search-changelog.json" >jira-ends.json
ingest_refused 1 "jira-ends.json: issues[0].fields.resolutiondate: '2020-06-12T01:35:15.000+0100' is before created ('2020-06-12T08:35:15.489+0800') of issue PLAT-101" \
	--source jira jira-ends.json
# A time the search did not request gets the hint to request it; one there as a number does
# not (it was given that hint too, found in review).
jq 'del(.issues[0].fields.created)' "$FIXTURES/jira/search-changelog.json" >jira-nocreated.json
ingest_refused 1 "jira-nocreated.json: issues[0].fields.created: missing" --source jira jira-nocreated.json
expect_err "hint: the search must request the fields created, updated"
jq '.issues[0].fields.created = 1591950915489' "$FIXTURES/jira/search-changelog.json" >jira-numbered.json
ingest_refused 1 "jira-numbered.json: issues[0].fields.created: expected an RFC 3339 time, got a number" --source jira jira-numbered.json
file_has "$T/err" "must request the fields" && fail "a field there as a number was called not requested"
# A page's total is a count: reconcile compares it with what was read (found in review: -5).
jq '.total = -5' "$FIXTURES/pagerduty/incidents-page.json" >pd-total.json
ingest_refused 1 "plumb: error: pd-total.json: total: -5: expected a count, 0 or more" --source pd pd-total.json
jq '.total = -5' "$FIXTURES/jira/search-changelog.json" >jira-total.json
ingest_refused 1 "plumb: error: jira-total.json: total: -5: expected a count, 0 or more" --source jira jira-total.json
jq '.incidents[0].resolved_at = "2024-02-10T08:14:59Z"' "$FIXTURES/pagerduty/incidents-page.json" >pd-ends.json
ingest_refused 1 "pd-ends.json: incidents[0].resolved_at: '2024-02-10T08:14:59Z' is before created_at ('2024-02-10T08:15:00Z') of incident Q1RESOLV3D" \
	--source pd pd-ends.json
jq '.event.data.created_at = "2021-06-04T13:20:00Z"' "$FIXTURES/shared/pagerduty/zulip.webhook-v3.incident.resolved.json" >pd-hook-ends.json
ingest_refused 1 "pd-hook-ends.json: event.occurred_at: '2021-06-04T13:16:53.816Z' (incident.resolved) is before event.data.created_at ('2021-06-04T13:20:00Z') of incident PCPZE64" \
	--source pd pd-hook-ends.json

# GitHub: a deployment status before its deployment, a completed run ending before it started
# (found in review: accepted, counting the deployment before it existed).
jq '.deployment_status.created_at = "2000-01-01T00:00:00Z"' "$FIXTURES/github/webhook-deployment_status.failure.json" >gh-status-early.json
ingest_refused 1 "gh-status-early.json: deployment_status.created_at: 2000-01-01T00:00:00.000Z is before the deployment's created_at" \
	--source gh --event deployment_status gh-status-early.json
jq '.workflow_runs[1].updated_at = "2000-01-01T00:00:00Z"' "$FIXTURES/github/workflow-runs.json" >gh-run-early.json
ingest_refused 1 "updated_at: 2000-01-01T00:00:00.000Z is before the run's start" --source gh gh-run-early.json

# Two bad files among many: the first in file order is the one named, whichever
# read-ahead worker parses it, and nothing is kept (three times, for timing's sake).
mkdir many
for i in 01 02 03 04 05 06 07 08 09 10 11 12; do cp "$FIXTURES/github/pulls.json" "many/p$i.json"; done
jq '.[0].created_at = "yesterday"' "$FIXTURES/github/pulls.json" >many/p05.json
jq '.[0].created_at = "tomorrow"' "$FIXTURES/github/pulls.json" >many/p09.json
for _ in 1 2 3; do
	ingest_refused 1 "many/p05.json: [0].created_at: expected an RFC 3339 time, got 'yesterday'" --source gh many
done

# Invalid JSON: line and column.
printf '[{"id": 1,\n  "state": }]\n' >in/zz-broken.json
ingest_refused 1 "in/zz-broken.json:2:12: not valid JSON" --source gh in
rm in/zz-broken.json
# A file that is not JSON at all, given to a kind whose formats are all JSON, is named so,
# with line and column, not "cannot tell which format: give --format", which sent a
# newcomer to --format only to be told then that the file is not JSON (found by an
# acceptance pass); bytes that are not UTF-8 likewise.  A deploy source reads CSV too, so
# there detection still says it cannot tell.
printf 'hello world\n' >notes.txt
ingest_refused 1 "plumb: error: notes.txt:1:1: not valid JSON" --source gh notes.txt
ingest_refused 1 "plumb: error: notes.txt:1:1: not valid JSON" --source pd notes.txt
ingest_refused 1 "plumb: error: notes.txt:1:1: not valid JSON" --source jira notes.txt
printf 'a,b\n1,2\n' >table.csv
ingest_refused 1 "plumb: error: table.csv:1:1: not valid JSON" --source gh table.csv
printf '\377\376[]' >utf16.json
ingest_refused 1 "plumb: error: utf16.json:1:1: not UTF-8" --source gh utf16.json
ingest_refused 1 "plumb: error: notes.txt: cannot tell which deploy format this is" --source dep notes.txt
: >empty.json
ingest_refused 1 "empty.json: empty file: expected a JSON document" --source gh in/pulls.json empty.json

# Formats: an unknown one, or another kind's, is a bad option value (a usage error, exit 2)
# listing every format of the source's kind, github-webhook too; checked before any file is
# read, so a broken file is not what is named (found by an acceptance test: exit 1, naming
# the file, and the list cut short before github-webhook).
ingest_refused 2 "plumb: error: unknown format 'nope' for a github source: expected one of github-pulls, github-reviews, github-commits, github-deployments, github-deployment-statuses, github-workflow-runs, github-webhook" \
	--source gh --format nope in/pulls.json
expect_err "hint: 'plumb ingest --help' lists every format"
echo '{"broken":' >broken.json
ingest_refused 2 "plumb: error: unknown format 'nope' for a github source" --source gh --format nope broken.json
ingest_refused 2 "unknown format 'jira-search' for a github source" --source gh --format jira-search in/pulls.json
ingest_refused 2 "unknown format 'github-pulls' for a jira source: expected one of jira-search" --source jira --format github-pulls in/pulls.json
ingest_refused 2 "unknown format 'nope' for a deploy source: expected one of deploy-json, deploy-csv" --source dep --format nope dep.json
ingest_refused 1 "in/pulls.json: cannot tell which jira format this is: give --format, one of jira-search" --source jira in/pulls.json
ingest_refused 1 "cannot tell which github format this is: give --format" --source gh "$FIXTURES/jira/search-changelog.json"
# The format given must fit the file.
ingest_refused 1 "in/pulls.json: [0].state: unknown value 'closed': expected one of APPROVED" --source gh --format github-reviews in/pulls.json

# Unknown source: not found, with a hint; nothing read.
run ingest --source nosuch in/pulls.json
expect_err "hint: configure it with 'plumb source add KIND --name nosuch ...'"
ingest_refused 4 "plumb: error: no source 'nosuch'" --source nosuch in/pulls.json
# A missing file, alone or after good ones: not found (exit 4), as for every command that
# reads a file (found in review: exit 1).
ingest_refused 4 "missing.json: cannot read: No such file or directory" --source gh missing.json
ingest_refused 4 "in/missing.json: cannot read" --source gh in/pulls.json in/missing.json
# A webhook event plumb does not read, given or told by the body.
ingest_refused 1 "GitHub webhook event 'star' is not one plumb reads: expected one of push, pull_request, pull_request_review, deployment, deployment_status, workflow_run" \
	--source gh --event star "$FIXTURES/github/webhook-push.json"
echo '{"zen": "Keep it logically awesome.", "hook_id": 1, "repository": {"full_name": "acme/widgets"}}' >ping.json
ingest_refused 1 "ping.json: GitHub webhook event 'ping' is not one plumb reads" --source gh ping.json
# --event says the file is that webhook's body: another event's body, or an API page, is
# refused rather than read as nothing, naming both events where the body's members tell
# (found in review: a review's body read as its pull request stored no review, silently).
ingest_refused 1 "webhook-pull_request.closed-merged.json: the event named is 'push', but the body is a 'pull_request' event's, by its members" \
	--source gh --event push "$FIXTURES/github/webhook-pull_request.closed-merged.json"
ingest_refused 1 "webhook-pull_request_review.approved.json: the event named is 'pull_request', but the body is a 'pull_request_review' event's" \
	--source gh --event pull_request "$FIXTURES/github/webhook-pull_request_review.approved.json"
jq 'del(.pull_request)' "$FIXTURES/github/webhook-pull_request.closed-merged.json" >bare-hook.json
ingest_refused 1 "bare-hook.json: ref: missing: expected a string" --source gh --event push bare-hook.json
# PagerDuty's body names its event: an --event that is not it (it would be recorded with
# the payload) is refused, naming both.
ingest_refused 1 "webhook-acknowledged.json: the event given is 'incident.resolved' (--event), but the body's event.event_type is 'incident.acknowledged'" \
	--source pd --event incident.resolved "$FIXTURES/pagerduty/webhook-acknowledged.json"
ingest_refused 1 "pulls.json: not a github webhook body (--event push)" \
	--source gh --event push "$FIXTURES/github/pulls.json"
# --event is a webhook's: with a --format that is no webhook's, or for a kind that reads no
# webhook bodies through ingest (Jira, Jenkins, deploy), it is a usage error before any file
# is read, as an unknown --format is (found in acceptance: each file was refused, exit 1,
# as "not a jenkins webhook body", though a jenkins source reads none).
ingest_refused 2 "plumb: error: --event names a webhook's event, but --format github-pulls is not a webhook format: expected --format github-webhook or no --format" \
	--source gh --format github-pulls --event push "$FIXTURES/github/pulls.json"
ingest_refused 2 "plumb: error: --event names a webhook's event, but a jenkins source reads no webhook bodies: its formats are jenkins-build, jenkins-builds" \
	--source jk --event push "$FIXTURES/jenkins/job-builds.json"
ingest_refused 2 "plumb: error: --event names a webhook's event, but a deploy source reads no webhook bodies: its formats are deploy-json, deploy-csv" \
	--source dep --event deployment "$FIXTURES/deploy/deployments.json"
ingest_refused 2 "plumb: error: --event names a webhook's event, but a jira source reads no webhook bodies" \
	--source jira --event push "$FIXTURES/jira/search-changelog.json"
# A prometheus source has no formats: sync fetches its samples, so ingest refuses it as a
# usage error before any file is read (found in review: "give --format, one of " and
# "expected one of ", each with an empty list).
for args in "" "--format deploy-json" "--event push"; do
	ingest_refused 2 "plumb: error: a prometheus source is not read from files by 'plumb ingest': 'plumb sync' fetches its data" \
		--source prom $args broken.json
	expect_err "hint: samples of an SLO in a file go in with 'plumb slo ingest --slo NAME FILE'"
done
# A build with one field of the wrong type is still recognised as a build, and the error names
# that field (found in acceptance: detection failed and said only "cannot tell which jenkins
# format this is").
jq '.number = "twelve"' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: number: expected an integer, got a string" --source jk build.json
jq '.number = 0' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: number: 0: expected the build's number, 1 or more" --source jk build.json
jq '.timestamp = "yesterday"' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: timestamp: expected" --source jk build.json
# A directory with no files in it (only a dotfile): nothing to ingest.
mkdir -p none/sub && touch none/.keep
ingest_refused 1 "plumb: error: no files to ingest in none" --source gh none
# Usage: no path, no source.
run ingest --source gh
expect_status 2
expect_err "'plumb ingest' needs PATH..."
run ingest in/pulls.json
expect_status 2
[ "$(ingest_written)" = "$before" ] || fail "a usage error wrote"

# The audit log as plumb shows it: no entry from any refused ingest.
ok audit log --json
only_writes
[ "$(json length)" = "$entries" ] || fail "a refused ingest was audited"

# After all that, the good files go in whole, once; an empty last page (an export's
# usual end) holds nothing and needs no --format.
echo '[]' >in/zz-last-page.json
ok ingest --source gh in/
expect_out "ingested 9 records from 4 documents into gh"
[ "$(sql "SELECT origin FROM raw_payloads ORDER BY origin")" = "$(printf 'in/%s\n' commits.json pulls.json reviews.json zz-last-page.json)" ] ||
	fail "origins: $(sql "SELECT origin FROM raw_payloads ORDER BY origin")"
# ...and reconciles: read again it is empty again (its stored format named no parser, so
# reconcile failed on it for good, the same bytes given --format reusing the payload).
ok ingest --source gh --format github-pulls in/zz-last-page.json
ok reconcile gh
rm in/zz-last-page.json
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = 4 ] || fail "raw payloads of refused runs were left behind"
[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" = 0 ] || fail "staging rows were left behind"
# ...and a bad run after a good one leaves the good one's rows alone.
before=$(ingest_written)
events=$(sql "SELECT * FROM events ORDER BY id")
cp "$FIXTURES/github/deployment-statuses.json" in/
jq '.[1].creator = "alice"' "$FIXTURES/github/deployments.json" >in/deployments.json
run ingest --source gh in
[ "$status" -ne 0 ] || fail "a deployment whose creator is a string was accepted"
expect_err "in/deployments.json: [1].creator: expected an object, got a string"
[ "$(ingest_written)" = "$before" ] || fail "a refused ingest after a good one wrote"
[ "$(sql "SELECT * FROM events ORDER BY id")" = "$events" ] || fail "a refused ingest changed events"
# An id of 512 bytes, the most, goes in (and so into PostgreSQL's indexes).
printf '{"id":"%s","service":"api","environment":"prod","started":"2024-05-01T10:00:00Z","status":"success"}' "${long:1}" >dep-512.json
ok ingest --source dep dep-512.json
[ "$(sql "SELECT LENGTH(external_id) FROM events WHERE kind = 'deployment' AND external_id LIKE 'xxx%'")" = 512 ] ||
	fail "the 512-byte deployment id was not stored"
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
