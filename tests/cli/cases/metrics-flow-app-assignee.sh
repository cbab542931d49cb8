# A work item counts in issue cycle time whoever its assignee is (docs/metrics.md, "Bots"):
# an automation (Jira Cloud's accountType "app", Automation for Jira) holding the issue at its
# last snapshot does not take the team's work out of the flow metrics; the bot rule is for
# pull requests and reviews.  Found fixing calibration leftovers: flow_work_items skipped
# is_bot, so an automation assigning the issue as it closed removed its cycle time.
#   PLAT-101 went In Progress 2020-06-13T03:00Z and Done 2020-06-15T01:59:59.123Z:
#   169199123 ms, as metrics-flow.sh's PLAT-101.
init_db
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") |
	.fields.assignee = {"accountId": "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
		"displayName": "Automation for Jira", "active": true, "accountType": "app"}]' \
	"$FIXTURES/jira/search-changelog.json" >app.json
ok ingest --source jira app.json
[ "$(sql "SELECT external_id FROM events WHERE kind = 'work_item' AND is_bot = 1")" = PLAT-101 ] ||
	fail "the app's issue is not marked as a bot's"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value // 0 | . * 3600000 | round)"' "1 169199123"
