# Day two of an organization source: between two syncs a repository is renamed upstream
# (acme/widgets becomes acme/widgets-v2; its pull requests keep GitHub's id) and another
# is added (acme/gadgets).  The sync's text says what the admin acts on next, as ingest's
# does and as its --json counts: the records that moved, the renamed repository that kept
# its service (and team), the new repository that became an unowned service, and the
# accounts matched to nobody (found in acceptance: sync printed only the counts).
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.csv"
scenario="$T/scenario"
mkdir "$scenario"
jq '[.[] | .base.repo.full_name = "acme/widgets-v2" | .html_url |= sub("/widgets/"; "/widgets-v2/") |
	.updated_at = "2024-03-20T00:00:00Z"]' "$FIXTURES/github/pulls.json" >"$scenario/pulls-v2.json"
jq '[.[0] | .id = 1900000007 | .number = 7 | .base.repo.full_name = "acme/gadgets" |
	.html_url = "https://github.com/acme/gadgets/pull/7"]' "$FIXTURES/github/pulls.json" >"$scenario/pulls-gadgets.json"
cp "$FIXTURES/github/pulls.json" "$scenario/pulls.json"
# The organization's listing: acme/widgets for the first sync, then the renamed and the new.
jq -n '
	def repo_routes($repo; $pulls): [
		{path: "/repos/acme/\($repo)/pulls", responses: [{status: 200, body_file: $pulls}]},
		{path: "/repos/acme/\($repo)/pulls/101/reviews", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/pulls/102/reviews", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/pulls/103/reviews", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/pulls/104/reviews", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/pulls/7/reviews", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/commits", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/deployments", responses: [{status: 200, body: "[]"}]},
		{path: "/repos/acme/\($repo)/actions/runs",
		 responses: [{status: 200, body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}];
	[{path: "/orgs/acme/repos", responses: [
		{status: 200, body: "[{\"full_name\": \"acme/widgets\"}]"},
		{status: 200, body: "[{\"full_name\": \"acme/widgets-v2\"}, {\"full_name\": \"acme/gadgets\"}]"}]}]
	+ repo_routes("widgets"; "pulls.json") + repo_routes("widgets-v2"; "pulls-v2.json")
	+ repo_routes("gadgets"; "pulls-gadgets.json")' >"$scenario/routes.json"
api_start "$scenario"
export PLUMB_NOW=2024-03-25T00:00:00Z
ok source add github --name gh --org acme --api-url "$API_URL"

ok sync --since 2024-01-01
expect_out "gh: 9 requests (0 not modified), 4 records: 4 new,"
expect_out "  1 unmapped thing became a service of its own, unowned until a team is assigned"
expect_out "  3 accounts matched to nobody: 'plumb identity unmatched'"
ok service set widgets --team payments --effective 2024-01-01
ok service map widgets --repo acme/widgets
expect_out "4 stored events moved"

ok sync
expect_out "gh: 14 requests (0 not modified), 5 records: 1 new, 4 updated, 0 unchanged,"
expect_out "  4 records moved upstream (a Jira issue to another project, a pull request's repository renamed): updated under the new key"
expect_out "  1 repository renamed upstream kept its service ('plumb service mappings')"
expect_out "  1 unmapped thing became a service of its own"
ok events list --kind pull_request --json
expect_json '[.[] | "\(.external_id) \(.service) \(.team)"] | join(",")' \
	"acme/widgets-v2#101 widgets payments,acme/gadgets#7 acme.gadgets null,acme/widgets-v2#102 widgets payments,acme/widgets-v2#103 widgets payments,acme/widgets-v2#104 widgets payments"
ok service unowned --json
expect_json '[.[] | "\(.service) \(.events)"] | join(",")' "acme.gadgets 1,acme.widgets 0"
ok reconcile --json
expect_json '"\(.mismatches) \(.sources[0].moved_upstream)"' "0 4"
expect_no_out "warning"
! grep -q "warning" "$T/err" || fail "a warning for an organization with repositories to read: $(cat "$T/err")"

# A source whose --include took only the old name now reads nothing of the organization:
# a warning says so (source check calls it a failure), where the summary alone would
# look like a quiet day.
ok source add github --name ghold --org acme --include widgets --api-url "$API_URL"
ok sync ghold
expect_out "ghold: 1 request (0 not modified), 0 records"
expect_err "plumb: warning: ghold: its organization listed no repository it reads (with --include and --exclude); nothing was read ('plumb source check ghold' lists the repositories the token sees)"
ok sync ghold --json
expect_json '.[0].status' ok
expect_err "plumb: warning: ghold: its organization listed no repository it reads"
