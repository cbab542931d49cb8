# source check shows what the API answered (a repository's default branch, an organization's
# login, an error's body): an API that echoes the token into a field (a proxy reflecting
# headers, a broken test double) had the check print it, whole, on the terminal and in
# --json, as a sync's errors did before they were redacted (sync-token-echo-parse.sh). Found
# in review. The source's token is shown as <redacted>, whole or cut.
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/echo"
export GH_PAT="github_pat_11ABCDEFG0$(printf 'k%.0s' {1..70})Z9"
jq -n -c --arg t "$GH_PAT" '[{path: "/repos/acme/w", responses: [{body: ({full_name: "acme/w", private: false,
	default_branch: $t} | tostring)}]}, {path: "/repos/acme/x", responses: [{status: 404, body: ({message: $t} | tostring)}]}]' \
	>"$T/echo/routes.json"
api_start "$T/echo"
ok source add github --name gh --repo acme/w --repo acme/x --token-env GH_PAT --api-url "$API_URL"
run source check gh
expect_out "repository acme/w: readable (public, default branch <redacted>)"
cp "$T/out" "$T/check.out"
run source check gh --json
cp "$T/out" "$T/check.json"
for f in check.out check.json; do
	for secret in "${GH_PAT:11:16}" "${GH_PAT:60:16}"; do
		! grep -qF -- "$secret" "$T/$f" || fail "$f holds the token: $(grep -F -- "$secret" "$T/$f")"
	done
done
