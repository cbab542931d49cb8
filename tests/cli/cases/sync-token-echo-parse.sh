# An API that echoes the token into a field of a page (a proxy reflecting headers, a broken
# test double) makes the parser refuse that field, quoting the value: the source's token
# then reached the terminal, the run's row and the signed audit log, which is never
# rewritten (found in the sync hunt; http.c redacted bodies and URLs, not the parsers'
# messages). The quote is redacted, whole or cut ('%.80s' of a 93-byte fine-grained token
# left 80 bytes of it), as is a Jira USER:TOKEN's API token.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/echo"
export GH_PAT="github_pat_11ABCDEFG0$(printf 'k%.0s' {1..70})Z9" # 93 bytes, as GitHub's
export JIRA_TOKEN="mia@example.com:ATATT3xFfGF0EchoedSecretJira77"
[ ${#GH_PAT} = 93 ] || fail "the token is ${#GH_PAT} bytes"
pulls=$(jq -n -c --arg t "$GH_PAT" '[{number: 1, id: 1, state: "open", title: "x", user: {login: "a", id: 1, type: "User"},
	created_at: $t, updated_at: "2024-02-01T00:00:00Z", html_url: "https://x/1",
	head: {sha: "abcdef1", ref: "b"}, base: {ref: "main", repo: {full_name: "acme/w"}}}]')
search=$(jq -n -c '{isLast: true, issues: [{id: "1", key: "PAY-1", fields: {summary: "s",
	created: "ATATT3xFfGF0EchoedSecretJira77", updated: "2024-02-01T00:00:00.000+0000",
	status: {name: "To Do"}, project: {key: "PAY"}}}]}')
jq -n -c --arg p "$pulls" --arg s "$search" '[{path: "/repos/acme/w/pulls", responses: [{body: $p}]},
	{path: "/rest/api/3/search/jql", responses: [{body: $s}]}]' >"$T/echo/routes.json"
api_start "$T/echo"
ok source add github --name gh --repo acme/w --token-env GH_PAT --api-url "$API_URL"
ok source add jira --name jira --url "$API_URL" --project PAY --token-env JIRA_TOKEN
run sync --since 2024-01-01
expect_status 1
expect_out "gh: failed:"
expect_out "[0].created_at: expected an RFC 3339 time, got '<redacted>'"
expect_out "jira: failed:"
expect_out "issues[0].fields.created: expected an RFC 3339 time, got '<redacted>'"
cp "$T/out" "$T/sync.out"
cp "$T/err" "$T/sync.err"
ok sync --status --json
cp "$T/out" "$T/status.json"
sql "SELECT error FROM ingest_runs" >"$T/runs.txt"
sql "SELECT detail FROM audit_log WHERE action = 'ingest.fail'" >"$T/audit.txt"
[ "$(wc -l <"$T/audit.txt")" = 2 ] || fail "ingest.fail entries: $(cat "$T/audit.txt")"
for f in sync.out sync.err status.json runs.txt audit.txt; do
	# Not the tokens, nor 16 bytes of their secret parts.
	for secret in "${GH_PAT:11:16}" "${GH_PAT:60:16}" ATATT3xFfGF0Echo; do
		! grep -qF -- "$secret" "$T/$f" || fail "$f holds a token: $(grep -F -- "$secret" "$T/$f")"
	done
	grep -qF '<redacted>' "$T/$f" || fail "$f says nothing was redacted: $(cat "$T/$f")"
done
ok audit verify
