# One repository read by two sources (a webhook source and a sync of the organization, or a
# second source added to move a token): each pull request is stored once per source, and
# counts once, with the reviews of both.  Found in the metrics hunt: load_pr_rows counted
# every copy, as dora_changes folds commits by sha and flow metrics did not; so did a
# definition counting events (count_items).  The same
# OWNER/NAME on another host (GitHub Enterprise) is another repository: its pull requests
# count apart.  The fixture's answers are metrics-flow's: #101 merged (cycle 91799 s, first
# review after 4 h), #102 closed, #103 open, #104 a bot's.
init_db
ok source add github --name gh --repo acme/widgets
ok source add github --name gh-org --org acme
ok ingest --source gh "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json"
ok ingest --source gh-org "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'pull_request'")" = 8 ] ||
	fail "setup: expected each pull request stored by both sources"
period="--from 2024-03-01 --to 2024-03-08"

ok metrics show pr_throughput $period --json
expect_json '.value | "\(.n) \(.value)"' "1 1"
ok metrics show pr_cycle_time $period --json
expect_json '.value | "\(.n) \(.value * 3600 | round)"' "1 91799"
ok metrics show review_turnaround $period --json
expect_json '.value | "\(.n) \(.value)"' "1 4"
ok metrics show wip $period --by day --json
expect_json '[.points[] | .value] | map(tostring) | join(" ")' "2 1 0 1 1 1 1"
# The lineage names one copy of the pull request, and its first review and approval once.
ok metrics show pr_cycle_time $period --json
ok explain "$(json .value.id)" --json
expect_json '[.inputs[] | "\(.role) \(.external_id)"] | join(",")' \
	"pull_request acme/widgets#101,first-review 2001,first-approval 2003"

# A copy one source has not read again since (#102 reopened upstream, read by gh only) is
# older than the other's: the newest upstream counts, and #102 is open again for wip.
jq '[.[] | select(.number == 102) | .state = "open" | .closed_at = null |
	.updated_at = "2024-03-04T09:00:00Z"]' "$FIXTURES/github/pulls.json" >reopened.json
ok ingest --source gh reopened.json
ok metrics show wip $period --by day --json
expect_json '[.points[] | .value] | map(tostring) | join(" ")' "2 1 1 2 2 2 2"

# A definition counting events (count: KIND) counts a record once too: a review either
# source read is one review, as is a pull request.
file reviews.yaml <<'YAML'
key: reviews_submitted
name: Reviews submitted
description: Pull request reviews submitted; bots left out.
unit: reviews
direction: higher
indicator: leading
scopes: [org, team]
stakeholders: [development]
owner: developer-experience
formula:
  count: review
  where:
    is_bot: false
YAML
ok metrics define reviews.yaml
ok metrics approve reviews_submitted --version 1 --function development
reviews=$(sql "SELECT COUNT(DISTINCT external_id) FROM events WHERE kind = 'review' AND is_bot = 0")
[ "$reviews" -gt 1 ] && [ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'review' AND is_bot = 0")" = $((2 * reviews)) ] ||
	fail "setup: expected each review stored by both sources"
ok metrics show reviews_submitted $period --json
expect_json '.value.n' "$reviews"

# The same name on GitHub Enterprise is not the same repository: its #101 counts too.
ok source add github --name ghe --repo acme/widgets --api-url https://ghe.example/api/v3
ok ingest --source ghe "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json"
ok metrics show pr_throughput $period --json
expect_json '.value | "\(.n) \(.value)"' "2 2"
ok metrics show review_turnaround $period --json
expect_json '.value | "\(.n) \(.value)"' "2 4"
ok metrics show reviews_submitted $period --json
expect_json '.value.n' "$((2 * reviews))"

# A count: with a where asks it of the newest copy (found in the metrics hunt: the first
# copy stored counted, so gh's stale open #103 counted after gh-org read it merged).
# Open: #102 (reopened, as gh read it last), #103 and #104, and ghe's #103 and #104.
file open.yaml <<'YAML'
key: open_prs
name: Open pull requests
description: Pull requests opened and still open.
unit: pull requests
direction: lower
indicator: leading
scopes: [org, team]
stakeholders: [development]
owner: developer-experience
formula:
  count: pull_request
  where:
    status: open
YAML
ok metrics define open.yaml
ok metrics approve open_prs --version 1 --function development
ok metrics show open_prs $period --json
expect_json '.value.n' "5"
jq '[.[] | select(.number == 103) | .state = "closed" | .closed_at = "2024-03-06T09:00:00Z" |
	.merged_at = "2024-03-06T09:00:00Z" | .updated_at = "2024-03-06T09:00:01Z"]' \
	"$FIXTURES/github/pulls.json" >merged.json
ok ingest --source gh-org merged.json
ok metrics show open_prs $period --json
expect_json '.value.n' "4"

# An issue read by two sources of one Jira site counts once too (found in the metrics hunt:
# flow_work_items read every copy): PLAT-101's one cycle of 47.0 h (metrics-flow).
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok source add jira --name jira-all --url https://acme.atlassian.net --jql "project = PLAT"
ok ingest --source jira "$FIXTURES/jira"
ok ingest --source jira-all "$FIXTURES/jira"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'work_item' AND external_id = 'PLAT-101'")" = 2 ] ||
	fail "setup: expected PLAT-101 stored by both sources"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value * 3600000 | round)"' "1 169199123"
# ... and once in a team's note on work no team owns (PLAT is mapped to no team's service).
ok org import "$FIXTURES/org-small.csv"
ok metrics show issue_cycle_time --team payments --from 2020-06-01 --to 2020-07-01 --json
expect_json '.notes | map(select(startswith("1 work item done in the period belongs to no team"))) | length' 1
