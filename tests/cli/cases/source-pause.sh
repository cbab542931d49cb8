# source pause stops a source bringing data until source resume: a file ingest, a sync
# naming it and a webhook delivery are refused (exit status 5, HTTP 409) with nothing
# written, a sync of every source leaves it out and syncs the others, and what it brought
# stays readable. Who paused it and why is kept, shown by source list and sync --status,
# and audited both ways; pausing twice, or resuming a source not paused, changes nothing.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
api_start "$ROOT/tests/http/scenarios/jira-pd-sync"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok source add jira --name jira --url https://acme.atlassian.net --project PAY --api-url "$API_URL" --token-env JIRA_TOKEN
ok source add deploy --name hooks --webhook-secret-env HOOK_TOKEN
export JIRA_TOKEN=me@acme.example:jira-secret HOOK_TOKEN=deploy-token-123
ok ingest --source gh "$FIXTURES/github"
held=$(sql "SELECT COUNT(*) FROM events")
[ "$held" -gt 0 ] || fail "the fixtures brought no events"
written() {
	sql "SELECT (SELECT COUNT(*) FROM events)||' events '||(SELECT COUNT(*) FROM raw_payloads)||' raw '||
	  (SELECT COUNT(*) FROM ingest_runs)||' runs '||(SELECT COUNT(*) FROM webhook_deliveries)||' deliveries '||
	  (SELECT COUNT(*) FROM audit_log)||' audit'"
}

# Only an admin pauses; a reason is one line of text.
run --as E201 source pause gh
expect_status 3
# The role before the reason: a refusal is one whatever the reason, and audited.
run --as E201 source pause gh --reason "   "
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'source.pause'")" = 2 ] ||
	fail "a refused pause with a bad reason was not audited"
run source pause gh --reason "   "
expect_status 2
expect_err "--reason: expected one line of text of at most 200 bytes saying why"
expect_err "detail: it is blank"
run source pause gh --reason "$(printf '%0201d' 0)"
expect_status 2
expect_err "at most 200 bytes"
expect_err "detail: it has 201 bytes"
run source pause gh --reason "$(printf 'two\nlines')"
expect_status 2
expect_err "detail: it holds a line break"
run source pause nope
expect_status 4
expect_err "no source 'nope'"
before=$(written)
ok source pause gh --reason "token revoked upstream"
expect_out "source gh paused since "
expect_out "by admin: token revoked upstream"
ok source pause hooks
ok source pause hooks
expect_out "source hooks was already paused since"
ok audit log --json
expect_json '[.[] | select(.action == "source.pause") | "\(.object_id) \(.detail.reason)"] | join(",")' \
	"gh token revoked upstream,hooks null"
ok source list --json
expect_json 'map("\(.name) \(.paused.by) \(.paused.reason)") | join(",")' \
	"gh admin token revoked upstream,hooks admin null,jira null null"

# A file ingest of it is refused, naming who paused it and why; nothing is written.
before=$(written)
run ingest --source gh "$FIXTURES/github"
expect_status 5
expect_err "plumb: error: source 'gh' is paused"
expect_err "by admin: token revoked upstream"
expect_err "'plumb source resume gh'"
# As docs/cli.md's example shows it.
grep -qF "$(grep -oE '^detail: paused [a-z]* ?' "$T/err")" "$ROOT/docs/cli.md" || fail "the docs show another detail: $(grep detail "$T/err")"
[ "$(written)" = "$before" ] || fail "a paused source's ingest wrote: was '$before', now '$(written)'"

# A sync of every source leaves it out (no request reaches its API) and syncs the others.
ok sync --since 2020-01-01 --json
expect_json 'map("\(.source) \(.status) \(.run != null) \(.inserted)") | join(",")' \
	"gh paused false 0,hooks paused false 0,jira ok true 5"
ok sync --since 2020-01-01
expect_out "gh: paused since "
[ -z "$(jq -r 'select(.path | startswith("/repos/")) | .path' "$API_LOG")" ] || fail "a paused source's API was read"
# Named, it fails as paused: exit status 5.
before=$(written)
run sync gh
expect_status 5
expect_out "gh: failed: source 'gh' is paused"
[ "$(written)" = "$before" ] || fail "a paused source's sync wrote"
ok sync --status --json
expect_json '.[] | select(.source == "gh") | "\(.paused.reason) \(.events)"' "token revoked upstream $held"
ok sync --status
expect_out "gh: paused since "
# What it brought stays readable.
commits=$(sql "SELECT COUNT(*) FROM events WHERE kind = 'commit'")
ok events list --kind commit --source gh --json
expect_json length "$commits"

# A webhook delivery to a paused source: 409 with a JSON error, nothing stored.
printf '{"deployments":[{"id":"d1","service":"checkout","environment":"production","sha":"%040d","started":"2024-05-01T10:00:00Z","finished":"2024-05-01T10:05:00Z","status":"success"}]}' 1 >"$T/d1.json"
serve
before=$(written)
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/d1.json"
expect_http 409
expect_json .error.code conflict
expect_json .error.message "source 'hooks' is paused"
[ "$(written)" = "$before" ] || fail "a delivery to a paused source wrote"

# Resumed, it brings data again; the entry says which pause ended.
ok source resume hooks
expect_out "source hooks resumed (it was paused since "
ok source resume hooks
expect_out "source hooks was not paused"
http POST /webhooks/deploy -H "Authorization: Bearer $HOOK_TOKEN" --data-binary "@$T/d1.json"
expect_http 202
expect_json .inserted 1
ok source resume gh
ok ingest --source gh "$FIXTURES/github"
ok audit log --json
expect_json '[.[] | select(.action == "source.resume") | "\(.object_id) \(.detail.paused_by) \(.detail.reason)"] | join(",")' \
	"hooks admin null,gh admin token revoked upstream"
ok source list --json
expect_json '[.[] | select(.paused != null)] | length' 0
ok audit verify

# Sources sharing an organization hook's secret: a delivery goes to the first that reads
# its repository and is not paused; with every such source paused, to the first, refused.
export ORG_HOOK_SECRET=org-s3cret
ok source add github --name org-a --repo acme/widgets --webhook-secret-env ORG_HOOK_SECRET
ok source add github --name org-b --org acme --webhook-secret-env ORG_HOOK_SECRET
push="$FIXTURES/github/webhook-push.json"
sig="sha256=$(openssl dgst -sha256 -hmac "$ORG_HOOK_SECRET" <"$push" | sed 's/^.*= //')"
ok source pause org-a
ok webhook deliver github "$push" --event push --delivery org-1 --signature "$sig" --json
expect_json '"\(.source) \(.inserted > 0)"' "org-b true"
ok source pause org-b
before=$(written)
run webhook deliver github "$push" --event push --delivery org-2 --signature "$sig"
expect_status 5
expect_err "source 'org-a' is paused"
[ "$(written)" = "$before" ] || fail "a delivery for paused sources wrote"
# A redelivery of one stored before the pause is acknowledged as the duplicate it is, not
# refused (documented in api.md): it is held already.
ok webhook deliver github "$push" --event push --delivery org-1 --signature "$sig" --json
expect_json '"\(.source) \(.duplicate)"' "org-b true"
[ "$(written)" = "$before" ] || fail "a redelivery to a paused source wrote"
ok source resume org-a
ok source resume org-b
# GitHub redelivers org-1 once org-a reads again: a redelivery of what org-b stored, not a
# new delivery for org-a (whose copy would duplicate the events under a second source).
before=$(written)
ok webhook deliver github "$push" --event push --delivery org-1 --signature "$sig" --json
expect_json '"\(.source) \(.duplicate)"' "org-b true"
[ "$(written)" = "$before" ] || fail "a redelivery was stored again under another source"

# A database from before sources could be paused (schema 13) upgrades at its next command,
# every source running.
undo_schema_14
ok source list --json
expect_json 'map("\(.name) \(.paused)") | join(",")' "gh null,hooks null,jira null,org-a null,org-b null"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
# Over the API, as the CLI.
http POST /api/v1/sources/jira/pause -H "Authorization: Bearer $(token admin write)" -H 'Content-Type: application/json' -d '{"reason":"after the upgrade"}'
expect_http 200
json .output | grep -q "^source jira paused since .* by admin: after the upgrade" || fail "the API's answer: $(cat "$T/out")"
[ "$(sql "SELECT paused_by || ': ' || paused_reason FROM sources WHERE name = 'jira'")" = "admin: after the upgrade" ] ||
	fail "the API did not pause jira"
