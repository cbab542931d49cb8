# A deployment and its statuses (REST pages or webhooks) fold into one deployment event, in one
# run or in two, in either order: the sha, ref and creator from the deployment, the status and
# ended_at from the latest status (by the source's own time, not the order read).
init_db
ok source add github --name gh --repo acme/widgets
G=$FIXTURES/github
dep9002() { # the deployment event 9002 as one line
	ok events list --kind deployment --json
	json '.[] | select(.external_id == "9002") | "\(.status) \(.sha) \(.ref) \(.environment) \(.account) \(.occurred_at) \(.ended_at)"'
}
SUCCESS="success 9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9 main production alice 2024-03-02T11:00:00.000Z 2024-03-02T11:04:30.000Z"
FAILURE="failure 9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9 main production alice 2024-03-02T11:00:00.000Z 2024-03-02T11:06:00.000Z"
one_event() { [ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND external_id = '9002'")" = 1 ] || fail "not one event for 9002"; }

# One run: the deployments page and the statuses page (queued, in_progress, success).
ok ingest --source gh "$G/deployments.json" "$G/deployment-statuses.json"
expect_out "ingested 5 records from 2 documents into gh (run 1): 2 new, 0 updated, 0 unchanged, 3 merged within the run"
[ "$(dep9002)" = "$SUCCESS" ] || fail "one run: $(dep9002)"
one_event
ok events list --kind deployment --json
expect_json '.[] | select(.external_id == "9002") | "\(.version) \(.bot)"' "1 false"
expect_json '.[] | select(.external_id == "9001") | "\(.status) \(.ended_at) \(.sha)"' "null null aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1"
ok audit log --json --object source:gh
expect_json '.[-1].detail.merged' 3

# Two runs: the deployment first, then its statuses.
reset_db
init_db
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$G/deployments.json"
[ "$(dep9002)" = "null 9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9 main production alice 2024-03-02T11:00:00.000Z null" ] ||
	fail "the deployment alone: $(dep9002)"
ok ingest --source gh "$G/deployment-statuses.json"
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(dep9002)" = "$SUCCESS" ] || fail "two runs: $(dep9002)"
one_event
[ "$(sql "SELECT v.status FROM event_versions v JOIN events e ON e.id = v.event_id WHERE e.external_id = '9002'")" = "" ] ||
	fail "the version before the statuses had a status"

# Two runs the other way round: the statuses first (a bot made them), then the deployment.
reset_db
init_db
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$G/deployment-statuses.json"
ok ingest --source gh "$G/deployments.json"
[ "$(dep9002)" = "$SUCCESS" ] || fail "statuses first: $(dep9002)"
one_event
ok identity unmatched --json
expect_json 'map(.login) | join(",")' alice

# Webhooks: deployment_status (failure, 11:06) after the REST pages; then the older pages
# again do not undo it.
ok ingest --source gh --event deployment_status "$G/webhook-deployment_status.failure.json"
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(dep9002)" = "$FAILURE" ] || fail "webhook after pages: $(dep9002)"
ok ingest --source gh "$G/deployment-statuses.json"
[ "$(dep9002)" = "$FAILURE" ] || fail "an older status page undid the webhook: $(dep9002)"
one_event

# The webhook and the pages in one run, the webhook read first: the latest status still wins.
reset_db
init_db
ok source add github --name gh --repo acme/widgets
mkdir hooks
cp "$G/webhook-deployment_status.failure.json" hooks/a-status.json
cp "$G/deployments.json" hooks/b-deployments.json
cp "$G/deployment-statuses.json" hooks/c-statuses.json
ok ingest --source gh hooks
expect_out "2 new, 0 updated, 0 unchanged"
[ "$(dep9002)" = "$FAILURE" ] || fail "one run, webhook first: $(dep9002)"
one_event

# Webhooks only: a deployment webhook (the status webhook without its status), then the
# status, in two runs and in one.
jq 'del(.deployment_status)' "$G/webhook-deployment_status.failure.json" >hook-deployment.json
for runs in two one; do
	reset_db
	ok init
	ok source add github --name gh --repo acme/widgets
	if [ $runs = two ]; then
		ok ingest --source gh --event deployment hook-deployment.json
		[ "$(dep9002 | cut -d' ' -f1)" = null ] || fail "the deployment webhook alone has a status"
		ok ingest --source gh --event deployment_status "$G/webhook-deployment_status.failure.json"
	else
		ok ingest --source gh hook-deployment.json "$G/webhook-deployment_status.failure.json"
	fi
	[ "$(dep9002)" = "$FAILURE" ] || fail "webhooks, $runs runs: $(dep9002)"
	one_event
done

# A deployment's first success outlives a later status that carries none (inactive, when a
# later deployment replaced it): kept in attrs.success_at, in one run or in two, and from an
# older statuses page read after the inactive status, which changes nothing else.
jq '[.[0] | .id = 77009 | .state = "inactive" | .created_at = "2024-03-03T12:00:00Z" |
	.updated_at = "2024-03-03T12:00:00Z"]' "$G/deployment-statuses.json" >inactive.json
success_at() { sql "SELECT attrs FROM events WHERE kind = 'deployment' AND external_id = '9002'" | jq -r .success_at; }
for runs in one two; do
	reset_db
	ok init
	ok source add github --name gh --repo acme/widgets
	if [ $runs = one ]; then
		last=("$G/deployments.json" "$G/deployment-statuses.json" inactive.json)
		ok ingest --source gh "${last[@]}"
		ended=2024-03-02T11:04:30.000Z
	else
		ok ingest --source gh "$G/deployments.json" inactive.json
		last=("$G/deployment-statuses.json")
		ok ingest --source gh "${last[@]}"
		expect_out "0 new, 1 updated, 0 unchanged"
		# The older page's end fills the one the inactive status lacked, as in one run.
		ended=2024-03-02T11:04:30.000Z
	fi
	[ "$(dep9002 | cut -d' ' -f1,7)" = "inactive $ended" ] || fail "inactive, $runs runs: $(dep9002)"
	[ "$(success_at)" = 2024-03-02T11:04:30.000Z ] || fail "inactive, $runs runs: success_at $(success_at)"
	ok ingest --source gh "${last[@]}"
	expect_out "0 updated, "
done

# PagerDuty webhooks out of order: a V3 capture (zulip/zulip's resolved_v3.json, Apache-2.0)
# has no data.created_at, so a webhook's incident starts at its event; the trigger delivered
# after the resolution moves the start back (the earliest start, whatever the order) and
# changes nothing else.
ok source add pagerduty --name pd
R=$FIXTURES/shared/pagerduty/zulip.webhook-v3.incident.resolved.json
jq '.event.event_type = "incident.triggered" | .event.occurred_at = "2021-06-04T12:46:53.816Z" |
	.event.data.status = "triggered"' "$R" >triggered.json
incident() { ok events list --kind incident --json; json '.[0] | "\(.status) \(.occurred_at) \(.ended_at) \(.version)"'; }
ok ingest --source pd "$R"
ok ingest --source pd triggered.json
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(incident)" = "resolved 2021-06-04T12:46:53.816Z 2021-06-04T13:16:53.816Z 2" ] || fail "trigger after resolution: $(incident)"
ok ingest --source pd triggered.json
expect_out "0 new, 0 updated, 1 unchanged"
# Reopened later (incident.reopened: triggered again, no resolution): the end is gone.
jq '.event.event_type = "incident.reopened" | .event.occurred_at = "2021-06-04T13:40:00.000Z"' triggered.json >reopened.json
ok ingest --source pd reopened.json
[ "$(incident)" = "triggered 2021-06-04T12:46:53.816Z null 3" ] || fail "reopened: $(incident)"
# The same in one run: the resolution and the reopening fold into an open incident.
ok source add pagerduty --name pd-once
ok ingest --source pd-once "$R" reopened.json
[ "$(sql "SELECT e.status || ' ' || COALESCE(e.ended_at, 0) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'pd-once'")" = "triggered 0" ] ||
	fail "reopened in one run: $(sql "SELECT status, ended_at FROM events WHERE kind = 'incident'")"
# A later event about the resolved incident (its priority changed, a note) carries the status
# resolved: it is no resolution, so the end stays the resolution's time, in either order and
# in one run (found in review: the end moved to the later event's time).
jq '.event.event_type = "incident.priority_updated" | .event.occurred_at = "2021-06-04T14:00:00.000Z"' "$R" >priority.json
late_end() { sql "SELECT e.status || ' ' || COALESCE(e.ended_at, 0) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = '$1'"; }
ok source add pagerduty --name pd-late
ok ingest --source pd-late "$R"
ok ingest --source pd-late priority.json
[ "$(late_end pd-late)" = "resolved 1622812613816" ] || fail "a later event moved the resolution: $(late_end pd-late)"
ok source add pagerduty --name pd-late-once
ok ingest --source pd-late-once "$R" priority.json
[ "$(late_end pd-late-once)" = "resolved 1622812613816" ] || fail "a later event in one run moved the resolution: $(late_end pd-late-once)"
# The resolution delivered after the later event, in another run: the older snapshot's end
# fills the resolved incident's missing one (found in review: the end was lost).
ok source add pagerduty --name pd-late-rev
ok ingest --source pd-late-rev priority.json
ok ingest --source pd-late-rev "$R"
[ "$(late_end pd-late-rev)" = "resolved 1622812613816" ] || fail "a resolution after a later event: $(late_end pd-late-rev)"
# Records whose source gives no updated_at (a Jenkins build, a deploy event): a snapshot still
# running read after the finished one, in another run or later in the same one, is the older
# and does not undo the result (found in review: in_progress again with its end, version 2).
ok source add jenkins --name ci --url https://ci.acme.example --job app
echo '{"number":50,"url":"https://ci.acme.example/job/app/50/","result":"SUCCESS","building":false,"duration":60000,"timestamp":1650024049161}' >build-done.json
echo '{"number":50,"url":"https://ci.acme.example/job/app/50/","result":null,"building":true,"duration":0,"timestamp":1650024049161}' >build-running.json
build50() { sql "SELECT e.status || ' ' || COALESCE(e.ended_at, 0) || ' ' || e.version FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = '$1' AND e.external_id = 'app#50'"; }
ok ingest --source ci build-done.json
ok ingest --source ci build-running.json
expect_out "0 new, 0 updated, 1 unchanged"
[ "$(build50 ci)" = "success 1650024109161 1" ] || fail "a running snapshot after the result: $(build50 ci)"
mkdir builds && cp build-done.json builds/a.json && cp build-running.json builds/b.json
ok source add jenkins --name ci-once --url https://ci.acme.example --job app
ok ingest --source ci-once builds
[ "$(build50 ci-once)" = "success 1650024109161 1" ] || fail "a running snapshot read last in one run: $(build50 ci-once)"
# The other way round it is the newer: the result applies.
ok source add jenkins --name ci-later --url https://ci.acme.example --job app
ok ingest --source ci-later build-running.json
ok ingest --source ci-later build-done.json
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(build50 ci-later)" = "success 1650024109161 2" ] || fail "the result after the running snapshot: $(build50 ci-later)"
ok source add deploy --name dep
echo '{"id": "d1", "service": "web", "environment": "prod", "started": "2024-05-01T10:00:00Z", "finished": "2024-05-01T10:05:00Z", "status": "failure"}' >deploy-failed.json
echo '{"id": "d1", "service": "web", "environment": "prod", "started": "2024-05-01T10:00:00Z", "status": "in_progress"}' >deploy-running.json
ok ingest --source dep deploy-failed.json
ok ingest --source dep deploy-running.json
expect_out "0 new, 0 updated, 1 unchanged"
[ "$(sql "SELECT status || ' ' || ended_at || ' ' || version FROM events WHERE kind = 'deployment' AND external_id = 'd1'")" = "failure 1714557900000 1" ] ||
	fail "an in_progress deploy event after its failure: $(sql "SELECT status, ended_at, version FROM events WHERE external_id = 'd1'")"
# An Actions run re-run keeps its id: the re-run, queued or in progress at a later updated_at,
# has no end until it completes (found by a re-run shown queued with its last attempt's end),
# and the last attempt's page read again after it changes nothing; in one run or in two.
run8002() { sql "SELECT status || ' ' || COALESCE(CAST(ended_at AS TEXT), 'none') FROM events WHERE kind = 'ci_run' AND external_id = '8000000002' AND source_id = (SELECT id FROM sources WHERE name = '$1')"; }
jq '.workflow_run |= (.id = 8000000002 | .run_attempt = 3 | .status = "queued" | .conclusion = null |
	.created_at = "2024-03-03T10:00:00Z" | .run_started_at = "2024-03-04T09:00:00Z" |
	.updated_at = "2024-03-04T09:00:00Z")' "$G/webhook-workflow_run.requested.json" >rerun.json
ok ingest --source gh "$G/workflow-runs.json"
[ "$(run8002 gh)" = "failure 1709461875000" ] || fail "the run's first attempts: $(run8002 gh)"
ok ingest --source gh --event workflow_run rerun.json
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(run8002 gh)" = "queued none" ] || fail "the re-run: $(run8002 gh)"
# Nor the last attempt's conclusion (found in session 39's hunt: attributes merge key by key,
# and a queued run's page says none, so "failure" stayed).
sql "SELECT attrs FROM events WHERE kind = 'ci_run' AND external_id = '8000000002'" | grep -q '"conclusion":null' ||
	fail "the re-run kept a conclusion: $(sql "SELECT attrs FROM events WHERE kind = 'ci_run' AND external_id = '8000000002'")"
ok ingest --source gh "$G/workflow-runs.json"
expect_out "0 new, 0 updated, 3 unchanged"
[ "$(run8002 gh)" = "queued none" ] || fail "the re-run after the last attempt's page again: $(run8002 gh)"
# The re-run's start is its own attempt's run_started_at, not the first attempt's: completed,
# its time is its attempt's ten minutes (found in the parsers' hunt: the run spanned its
# attempts, a day); the last attempt's page read again leaves it.
start8002() { sql "SELECT occurred_at || ' ' || COALESCE(CAST(ended_at AS TEXT), 'none') FROM events WHERE kind = 'ci_run' AND external_id = '8000000002' AND source_id = (SELECT id FROM sources WHERE name = '$1')"; }
[ "$(start8002 gh)" = "1709542800000 none" ] || fail "the re-run's start: $(start8002 gh)"
jq '.action = "completed" | .workflow_run |= (.status = "completed" | .conclusion = "success" |
	.updated_at = "2024-03-04T09:10:00Z")' rerun.json >rerun-done.json
ok ingest --source gh --event workflow_run rerun-done.json
[ "$(start8002 gh)" = "1709542800000 1709543400000" ] || fail "the re-run completed: $(start8002 gh)"
ok ingest --source gh "$G/workflow-runs.json"
expect_out "0 new, 0 updated, 3 unchanged"
[ "$(start8002 gh)" = "1709542800000 1709543400000" ] || fail "the re-run after the last attempt's page: $(start8002 gh)"
ok source add github --name gh-rerun --repo acme/widgets
ok ingest --source gh-rerun rerun.json "$G/workflow-runs.json"
[ "$(run8002 gh-rerun)" = "queued none" ] || fail "the re-run and the page in one run: $(run8002 gh-rerun)"
[ "$(start8002 gh-rerun)" = "1709542800000 none" ] || fail "the re-run's start, in one run: $(start8002 gh-rerun)"
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
