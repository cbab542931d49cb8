# A GitHub repository is one in any case, as GitHub compares names: a source respelt
# (`source set --repo Acme/Widgets` for acme/widgets, or an --org whose listing spells it
# otherwise) goes on from the repository's cursors and ETags, as after any change of a GitHub
# scope, and keeps one set of them (found by a respelling: the next sync read everything
# again from the default window, and sync --status listed each resource twice, both in scope).
source "$ROOT/tests/http/apiserver.sh"
init_db
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/scenario"
cp "$G"/*.json "$T/scenario/"
# The same routes under GitHub's own spelling of the name.
jq '. + [.[] | select(.path | startswith("/repos/acme/widgets/")) | .path |= sub("/repos/acme/widgets/"; "/repos/Acme/Widgets/")]' \
	"$G/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
export GH_TOKEN=ghp_secretvalue123
ok source add github --name gh --repo acme/widgets --api-url "$API_URL" --token-env GH_TOKEN
ok sync --since 2024-01-01 --json
expect_json '.[0].inserted' 14
times=$(sql "SELECT lower(resource) || ' ' || cursor || ' ' || updated_at FROM sync_cursors ORDER BY 1")
ok source set gh --repo Acme/Widgets
: >"$API_LOG"
ok sync gh --json
expect_json '"\(.[0].requests) \(.[0].not_modified) \(.[0].records)"' "4 4 0"
[ "$(jq -s '[.[] | select(.headers["If-None-Match"] != null)] | length' "$API_LOG")" = 4 ] ||
	fail "the respelt repository's sync was not conditional: $(jq -c '[.path, .query]' "$API_LOG")"
ok sync --status --json
expect_json '[.[0].resources[] | .resource | ascii_downcase] | sort | join(",")' \
	"acme/widgets:actions-runs,acme/widgets:commits,acme/widgets:deployments,acme/widgets:head,acme/widgets:pulls"
expect_json '[.[0].resources[] | select(.resource | startswith("Acme/Widgets:"))] | length' 4
expect_json '[.[0].resources[] | select(.in_scope and .etag)] | length' 4
# Cursors that did not move keep the time they last moved.
[ "$(sql "SELECT lower(resource) || ' ' || cursor || ' ' || updated_at FROM sync_cursors ORDER BY 1")" = "$times" ] ||
	fail "the cursors moved: $(sql "SELECT resource, cursor, updated_at FROM sync_cursors")"
ok reconcile gh --json
expect_json '.mismatches' 0
