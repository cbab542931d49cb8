# An id read from a document is one line: a control character in any source's id is
# refused with the message a deploy event's id gets (found in review: a Jira key
# 'PLAT-101\nFAKE-1' was stored, and 'events list --csv' then split its record over two
# lines).  No system plumb reads writes a space in an id (Jira keys, PagerDuty ids, GitHub's
# ids given as strings), so one with a space is refused too; a deploy event's id, which
# people write, may hold spaces inside (not around it), as before.
# Nothing is written on refusal.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok source add pagerduty --name pd
ok source add deploy --name dep
ok source add jenkins --name jk --url https://ci.example.com --job deploy-web
before=$(ingest_written)
one_line="expected one line of text without control characters"

# Jira: the issue key (a line break, a tab, a C1 control) and its numeric id.
for key in 'PLAT-101\nFAKE-1' 'PLAT-101\tX' 'PLAT-101\u0085'; do
	jq ".issues[0].key = \"$key\"" "$FIXTURES/jira/search-changelog.json" >jira.json
	ingest_refused 1 "plumb: error: jira.json: issues[0].key: $one_line" --source jira jira.json
done
jq '.issues[0].key = "PLAT 101"' "$FIXTURES/jira/search-changelog.json" >jira.json
ingest_refused 1 "plumb: error: jira.json: issues[0].key: 'PLAT 101': expected an id without spaces" --source jira jira.json
jq '.issues[0].id = "10001\n"' "$FIXTURES/jira/search-changelog.json" >jira.json
ingest_refused 1 "plumb: error: jira.json: issues[0].id: $one_line" --source jira jira.json
# PagerDuty: an incident's id and its service's id, in a page and in a webhook.
jq '.incidents[0].id = "Q1 RES\nOLV3D"' "$FIXTURES/pagerduty/incidents-page.json" >pd.json
ingest_refused 1 "plumb: error: pd.json: incidents[0].id: $one_line" --source pd pd.json
jq '.incidents[0].id = "Q1 RESOLV3D"' "$FIXTURES/pagerduty/incidents-page.json" >pd.json
ingest_refused 1 "plumb: error: pd.json: incidents[0].id: 'Q1 RESOLV3D': expected an id without spaces" --source pd pd.json
jq '.incidents[0].service.id = "PSVC\r001"' "$FIXTURES/pagerduty/incidents-page.json" >pd.json
ingest_refused 1 "plumb: error: pd.json: incidents[0].service.id: $one_line" --source pd pd.json
jq '.event.data.id = "Q3ACK\nN0W"' "$FIXTURES/pagerduty/webhook-acknowledged.json" >pd-hook.json
ingest_refused 1 "plumb: error: pd-hook.json: event.data.id: $one_line" --source pd pd-hook.json
# GitHub: an id given as a string.
jq '.[0].id = "1\n2"' "$FIXTURES/github/reviews.json" >reviews.json
ingest_refused 1 "plumb: error: reviews.json: [0].id: $one_line" --source gh reviews.json
jq '.[0].id = "80 1"' "$FIXTURES/github/reviews.json" >reviews.json
ingest_refused 1 "plumb: error: reviews.json: [0].id: '80 1': expected an id without spaces" --source gh reviews.json
# Jenkins: the job a build's url names is part of the run's id.
jq '.url = "https://ci.example.com/job/a\nb/12/"' "$FIXTURES/jenkins/build-git-changeset.json" >build.json
ingest_refused 1 "plumb: error: build.json: url: $one_line" --source jk build.json
# Deploy ids, JSON and CSV, as before.
printf '{"id":"d1\\nX","service":"api","environment":"production","started":"2026-05-05T10:36:00Z","status":"success"}' >d.json
ingest_refused 1 "plumb: error: d.json: id: $one_line" --source dep d.json
printf 'id,service,environment,started,status\n"d1\nX",api,production,2026-05-05T10:36:00Z,success\n' >d.csv
ingest_refused 1 "plumb: error: d.csv:2: id: $one_line" --source dep d.csv

# What the real formats write is read, and every record's CSV line is one line.
ok ingest --source jira "$FIXTURES/jira/search-changelog.json"
ok ingest --source pd "$FIXTURES/pagerduty/incidents-page.json"
printf '{"id":"release 42","service":"api","environment":"production","started":"2026-05-05T10:36:00Z","status":"success"}' >d.json
ok ingest --source dep d.json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND external_id = 'release 42'")" = 1 ] ||
	fail "a deploy id with a space inside was not kept"
for kind in work_item incident deployment; do
	n=$(sql "SELECT COUNT(*) FROM events WHERE kind = '$kind'")
	[ "$n" -gt 0 ] || fail "no $kind was ingested"
	ok events list --kind "$kind" --csv
	[ "$(($(wc -l <"$T/out") - 1))" = "$n" ] || fail "events list --kind $kind --csv has a record over more than one line"
done
