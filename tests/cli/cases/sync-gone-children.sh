# A deployment deleted (GitHub deletes inactive ones on request, and clean-up jobs do so in
# bulk) or a pull request removed between the listing and the read of its statuses or
# reviews answers those 404: it is gone, with nothing more to read, as a compare or an
# issue's changelog gone is. The run goes on and publishes what the listing gave (found in
# the sync hunt: the whole run failed, and again while clean-up went on).
source "$ROOT/tests/http/apiserver.sh"
init_db
mkdir "$T/gh"
cp "$ROOT"/tests/http/scenarios/github-sync/*.json "$T/gh/"
gone='{status: 404, body: "{\"message\": \"Not Found\", \"documentation_url\": \"https://docs.github.com/rest\"}"}'
jq "map(if .path == \"/repos/acme/widgets/deployments/9001/statuses\" or .path == \"/repos/acme/widgets/pulls/104/reviews\"
	then .responses = [$gone] else . end)" "$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/gh/routes.json"
api_start "$T/gh"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
ok sync gh --since 2024-01-01 --json
expect_json '.[0].status' ok
[ "$(jq -s '[.[] | select(.path | test("9001/statuses|104/reviews"))] | length' "$API_LOG")" = 2 ] ||
	fail "the gone children were not asked for: $(jq -c .path "$API_LOG")"
ok events list --kind deployment --json
expect_json 'map(.external_id) | sort | join(",")' "9001,9002"
ok events list --kind pull_request --json
expect_json '[.[] | select(.external_id == "acme/widgets#104")] | length' 1
ok events list --kind review --json
expect_json 'length' 3
ok audit verify
