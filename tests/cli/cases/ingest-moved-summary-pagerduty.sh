# The summary of a run that took over a PagerDuty incident from another source (reassigned
# upstream to a service this source reads) says that, and reconcile of the source it left says
# where the record went: neither speaks of Jira issues, pull requests or new keys, which a
# PagerDuty source has none of (docs/cli.md, ingest: "Incidents reassigned between sources").
# Found hunting: both printed the text of a Jira issue moved to another project.
init_db
ok source add pagerduty --name pd-a --service PSVC001
ok source add pagerduty --name pd-b --service PSVC002
page=$FIXTURES/pagerduty/incidents-page.json
jq '.incidents = [.incidents[] | select(.id == "Q3ACKN0W")]' "$page" >on-a.json
ok ingest --source pd-a on-a.json
jq '.incidents[0] |= (.service.id = "PSVC002" | .status = "resolved" |
	.resolved_at = "2024-02-12T11:00:00Z" | .last_status_change_at = "2024-02-12T11:00:00Z" |
	.updated_at = "2024-02-12T11:00:00Z")' on-a.json >on-b.json
ok ingest --source pd-b on-b.json
expect_out "1 incident reassigned upstream to a service this source reads: moved here from another PagerDuty source, updated"
expect_no_out "Jira"
expect_no_out "pull request"
ok reconcile pd-a
expect_out "pd-a: 1 raw payload, 1 record (1 distinct), 0 events: 0 mismatches (1 record moved upstream to another PagerDuty source, which holds it now)"
expect_no_out "new key"
# A Jira issue moved to another project keeps its text.
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok ingest --source jira "$FIXTURES/jira/search-changelog.json"
jq '.issues[0].key = "OPS-55" | .issues[0].fields.project.key = "OPS" | .issues[0].fields.updated = "2020-06-16T10:00:00.000+0800"' \
	"$FIXTURES/jira/search-changelog.json" >moved.json
ok ingest --source jira moved.json
expect_out "1 record moved upstream (a Jira issue to another project, a pull request's repository renamed): updated under the new key"
ok reconcile jira
expect_out "(1 record moved upstream, in events under the new key)"
# --json tells the takeover from a new key too: reassigned back to PSVC001, pd-a takes it.
jq '.incidents[0] |= (.service.id = "PSVC001" | .updated_at = "2024-02-12T12:00:00Z")' on-b.json >back.json
ok ingest --source pd-a back.json --json
expect_json '"\(.moved) \(.reassigned)"' "1 1"
