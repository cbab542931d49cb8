# Webhooks over HTTP: a deployment delivered to /webhooks/deploy shows in the dashboard's
# values within seconds, recomputing the teams that own the service (and those above) and
# no other; wrong credentials are 401 and a bad body 400 with nothing stored; GitHub's
# signature is checked before parsing and a repeated X-GitHub-Delivery is acknowledged once.
# What senders send besides what plumb reads (GitHub's other events, PagerDuty's test event)
# is acknowledged with 200 and stores nothing; GitHub's form-encoded deliveries are read;
# the errors a sender sees name no command-line option.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok service set search-api --team search --effective 2020-01-01
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
ok source add github --name gh --repo acme/widgets --webhook-secret-env GH_SECRET
ok source add pagerduty --name pd --webhook-secret-env PD_SECRET
export HOOK_TOKEN=deploy-token-123 GH_SECRET="It's a Secret to Everybody" PD_SECRET=pd-secret
day() { date -u -d "$1 days ago 1 hour ago" +%Y-%m-%dT%H:%M:%SZ; }
deploy() { # deploy SERVICE ID DAYS_AGO
	printf '{"deployments":[{"id":"%s","service":"%s","environment":"production","sha":"%040d","started":"%s","finished":"%s","status":"success"}]}' \
		"$2" "$1" "$RANDOM" "$(day "$3")" "$(day "$3")"
}
for i in 3 5 8 13; do deploy checkout "c$i" "$i" >"$T/c$i.json"; deploy search-api "s$i" "$i" >"$T/s$i.json"; done
ok ingest --source hooks "$T"/c*.json "$T"/s*.json
ok dashboard refresh
tok=$(token admin read)
serve

dash() { http GET /api/v1/dashboard -H "Authorization: Bearer $tok"; expect_http 200; }
key() { jq -r --arg t "$1" --arg f "$2" '.teams[] | select(.team == $t) | .keys.deployment_frequency[$f]' "$T/out"; }
dash
n0=$(key payments n)
search_id=$(key search value_id)
payments_id=$(key payments value_id)
[ "$n0" = 4 ] || fail "payments had $n0 deployments, expected 4"

# Wrong or missing token: 401, nothing stored.
events=$(sql "SELECT COUNT(*) FROM events")
deploy checkout c-new 0 >"$T/new.json"
http POST /webhooks/deploy -H "Authorization: Bearer wrong" --data-binary "@$T/new.json"
expect_http 401
expect_json .error.code unauthenticated
http POST /webhooks/deploy --data-binary "@$T/new.json"
expect_http 401
# Unsigned deliveries, which anyone can send, add at most one "refused" line a second to the
# log, saying how many were left out (found in review: 390 bytes a 2-byte request).
first=$(date +%s)
for i in $(seq 30); do curl -s -o /dev/null -X POST --data-binary '{}' "$URL/webhooks/deploy"; done
last=$(date +%s)
lines=$(grep -c "^webhook deploy refused: " "$T/access.log")
[ "$lines" -le $((last - first + 2)) ] || fail "$lines refusal lines in $((last - first + 1)) s"
[ "$lines" -ge 1 ] || fail "no refusal logged"
# A sender's wrong URL is a JSON 404 naming the webhooks, under /webhooks alone too (found in
# review: the pages' HTML 404).
for path in /webhooks /webhooks/ /webhooks/jira /webhooks/deploy/x; do
	http POST "$path" -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/new.json"
	expect_http 404
	expect_json .error.code not_found
	grep -q "the webhooks are /webhooks/github, /webhooks/pagerduty and /webhooks/deploy" "$T/out" ||
		fail "$path: the 404 does not name the webhooks: $(cat "$T/out")"
done
# The right token, a body that is not a deploy event: 400 with the reason, nothing stored.
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary '{"deployments":[{"service":"checkout"}]}'
expect_http 400
[ "$(sql "SELECT COUNT(*) FROM events")" = "$events" ] || fail "a refused delivery stored events"

# Accepted: 202, and the dashboard follows without anyone recomputing by hand.
start=$(date +%s%N)
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/new.json"
expect_http 202
expect_json .source hooks
for _ in $(seq 1 150); do
	dash
	[ "$(key payments n)" = 5 ] && break
	sleep 0.2
done
[ "$(key payments n)" = 5 ] || { cat "$T/access.log"; fail "the dashboard did not show the delivered deployment within 30 s"; }
echo "webhook to dashboard: $((($(date +%s%N) - start) / 1000000)) ms" >&2
[ "$(key payments value_id)" != "$payments_id" ] || fail "payments' value was not recomputed"
[ "$(key search value_id)" = "$search_id" ] || fail "search's value was recomputed though no search service deployed"
# The refresher writes its line after it committed the values the dashboard just showed.
wait_until 30 grep -q '^refresher: ' "$T/access.log" || fail "the refresh is not in the log"

# After an owner change inside the window, a late delivery counts for the owner at its
# time: checkout moved to search two days ago (its newest deployment, c-new, is search's
# now), and two deployments of five and six days ago are payments': 4 - 1 + 2.
payments_id=$(key payments value_id)
ok service set checkout --team search --effective "$(date -u -d '2 days ago' +%F)"
for d in 5 6; do
	deploy checkout "c-late-$d" "$d" >"$T/late.json"
	http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/late.json"
	expect_http 202
done
for _ in $(seq 1 150); do
	dash
	[ "$(key payments n)" = 6 ] && [ "$(key search n)" = 5 ] && break
	sleep 0.2
done
[ "$(key payments n)" = 6 ] || fail "the former owner's value did not follow late deliveries within 30 s: n=$(key payments n)"
[ "$(key search n)" = 5 ] || fail "the new owner's value: n=$(key search n)"
[ "$(key payments value_id)" != "$payments_id" ] || fail "payments was not recomputed"

# GitHub: HMAC-SHA256 of the raw body with the source's secret, checked before parsing.
body=$FIXTURES/github/webhook-push.json
sig="sha256=$(openssl dgst -sha256 -hmac "$GH_SECRET" <"$body" | sed 's/^.*= //')"
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: d-1" -H "X-Hub-Signature-256: sha256=00$sig" --data-binary "@$body"
expect_http 401
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: a	b" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 400
expect_json .error.message "the delivery id is malformed: expected 1 to 200 printable characters without spaces"
# Each webhook header once: a second copy was dropped unseen, the first one's id and event
# kept, where a proxy may read the last (found in review).
runs=$(sql "SELECT COUNT(*) FROM ingest_runs")
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: d-1" -H "X-GitHub-Delivery: d-0" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 400
expect_json .error.message "the delivery has more than one X-GitHub-Delivery header"
http POST /webhooks/github -H "X-GitHub-Event: push" -H "x-github-event: ping" -H "X-GitHub-Delivery: d-1" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 400
expect_json .error.message "the delivery has more than one X-GitHub-Event header"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs")" = "$runs" ] || fail "a delivery with a repeated header was stored"
# A header the kind does not read may come twice (GitHub reads no Authorization; no webhook
# reads X-CSRF-Token, which was refused, 400).
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: d-1" -H "X-Hub-Signature-256: $sig" -H "Authorization: a" -H "Authorization: b" \
	-H "X-CSRF-Token: a" -H "X-CSRF-Token: b" --data-binary "@$body"
expect_http 202
expect_json .duplicate false
runs=$(sql "SELECT COUNT(*) FROM ingest_runs")
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-GitHub-Delivery: d-1" -H "X-Hub-Signature-256: $sig" --data-binary "@$body"
expect_http 200
expect_json .duplicate true
[ "$(sql "SELECT COUNT(*) FROM ingest_runs")" = "$runs" ] || fail "a repeated delivery was stored again"
http GET /webhooks/github
expect_http 405

# Events plumb does not read, PagerDuty's test event: 200, ignored with the reason, nothing
# stored (GitHub would otherwise show each as a failed delivery, and retry it).
ghsig() { echo "sha256=$(openssl dgst -sha256 -hmac "$GH_SECRET" <"$1" | sed 's/^.*= //')"; }
stored() { sql "SELECT (SELECT COUNT(*) FROM events)||' '||(SELECT COUNT(*) FROM ingest_runs)||' '||(SELECT COUNT(*) FROM raw_payloads)||' '||(SELECT COUNT(*) FROM webhook_deliveries)||' '||(SELECT COUNT(*) FROM services)"; }
before=$(stored)
for ev in issues check_run workflow_job; do
	printf '{"action": "completed", "%s": {"id": 1}, "repository": {"full_name": "acme/widgets"}}' "$ev" >"$T/ev.json"
	http POST /webhooks/github -H "X-GitHub-Event: $ev" -H "X-GitHub-Delivery: e-$ev" -H "X-Hub-Signature-256: $(ghsig "$T/ev.json")" --data-binary "@$T/ev.json"
	expect_http 200
	expect_json '"\(.source) \(.ignored) \(.duplicate) \(.reason)"' "gh true false GitHub event '$ev' is not one plumb reads"
	# No run stored it: null, as webhook deliver --json says, not a run id 0 that does not
	# exist (found in acceptance).
	expect_json .run_id null
done
printf '{"event": {"id": "01DEN6IWSU5SCY3BF85Z8XJSKY", "event_type": "pagey.ping", "resource_type": "pagey", "occurred_at": "2024-05-01T10:00:00.000Z", "agent": null, "client": null, "data": {"message": "Hello from your friend Pagey!", "type": "ping"}}}' >"$T/pagey.json"
http POST /webhooks/pagerduty -H "X-PagerDuty-Signature: v1=$(openssl dgst -sha256 -hmac "$PD_SECRET" <"$T/pagey.json" | sed 's/^.*= //')" --data-binary "@$T/pagey.json"
expect_http 200
expect_json '"\(.source) \(.ignored) \(.reason)"' "pd true PagerDuty event 'pagey.ping' is not an incident event"
[ "$(stored)" = "$before" ] || fail "an ignored delivery was stored: was '$before', now '$(stored)'"

# An X-GitHub-Event the body contradicts: 400 naming both events, and no command-line option.
rv=$FIXTURES/github/webhook-pull_request_review.approved.json
http POST /webhooks/github -H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: c-1" -H "X-Hub-Signature-256: $(ghsig "$rv")" --data-binary "@$rv"
expect_http 400
json .error.message | grep -qF "the event named is 'pull_request', but the body is a 'pull_request_review' event's" || fail "the contradiction is not told: $(cat "$T/out")"
grep -q -- '--' "$T/out" && fail "a webhook's error names a command-line option: $(cat "$T/out")"

# Content type application/x-www-form-urlencoded (GitHub's default for a new hook): the
# signature is over the form as sent, the JSON is its payload field.
pr=$FIXTURES/github/webhook-pull_request.closed-merged.json
python3 -c 'import sys, urllib.parse; sys.stdout.write("payload=" + urllib.parse.quote_plus(open(sys.argv[1]).read()))' "$pr" >"$T/form.txt"
http POST /webhooks/github -H "Content-Type: application/x-www-form-urlencoded" -H "X-GitHub-Event: pull_request" -H "X-GitHub-Delivery: f-1" -H "X-Hub-Signature-256: $(ghsig "$T/form.txt")" --data-binary "@$T/form.txt"
expect_http 202
expect_json '"\(.ignored) \(.inserted)"' "false 1"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'pull_request' AND external_id = 'acme/widgets#101'")" = 1 ] || fail "the form-encoded pull request was not stored: $(sql "SELECT kind, external_id FROM events")"
printf 'payload=%%7B%%zz' >"$T/badform.txt"
http POST /webhooks/github -H "X-GitHub-Event: push" -H "X-Hub-Signature-256: $(ghsig "$T/badform.txt")" --data-binary "@$T/badform.txt"
expect_http 400
expect_json .error.message "a form-encoded github delivery: byte 12: expected '%' and two hex digits"

# What a sender is told names headers and fields, never a command-line option.
printf '{"hello": "world"}' >"$T/odd.json"
http POST /webhooks/github -H "X-Hub-Signature-256: $(ghsig "$T/odd.json")" --data-binary "@$T/odd.json"
expect_http 400
expect_json .error.code invalid_input
grep -q -- '--' "$T/out" && fail "a webhook error names an option: $(cat "$T/out")"
json .error.message | grep -q 'X-GitHub-Event' || fail "the error does not say what is missing: $(cat "$T/out")"
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/odd.json"
expect_http 400
grep -q -- '--' "$T/out" && fail "a webhook error names an option: $(cat "$T/out")"
stop_server
ok audit verify
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact
