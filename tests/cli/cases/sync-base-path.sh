# A GitHub Enterprise source, its API under /api/v3, with --api-url given with a trailing
# slash as it is often pasted: every request goes to /api/v3/repos/..., not /api/v3//repos/...,
# which GitHub Enterprise and proxies answer 404 (found in acceptance: the sync failed).
source "$ROOT/tests/http/apiserver.sh"
init_db
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/ghe"
jq 'map(.path |= "/api/v3" + . | walk(if type == "string" then gsub("\\{base\\}/repos/"; "{base}/api/v3/repos/") else . end))' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/ghe/routes.json"
api_start "$T/ghe"
export GH_TOKEN=ghp_secretvalue123
ok source add github --name ghe --repo acme/widgets --api-url "$API_URL/api/v3/" --token-env GH_TOKEN
ok sync ghe --since 2024-01-01 --json
expect_json '.[0] | "\(.status) \(.requests) \(.inserted)"' "ok 11 14"
jq -s -e 'all(.[]; .path | startswith("/api/v3/repos/acme/widgets/"))' "$API_LOG" >/dev/null ||
	fail "requests outside /api/v3/repos/: $(jq -r .path "$API_LOG")"
