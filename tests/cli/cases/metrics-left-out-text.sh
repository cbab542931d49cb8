# The text output says what the value left out, as --json's detail does (found hunting: the
# text said "over 0 items" for a month whose issues were all left out, their changelogs cut
# short, and nothing of the review stamped before its pull request opened).
#   PLAT-109: a search page's 3 newest of 150 histories, done 2020-06-15: left out, cut short
#   PLAT-110: moved from To Do straight to Done (no started status): left out, never started;
#   the two reasons side by side in one value
#   #101 opened 2024-03-01T09:00Z; bob's first review stamped 08:00, an hour before: its
#   turnaround and its cycle time's first part are left out (ends before start); the cycle
#   time itself (to the merge 03-02 10:29:59) counts.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
jq '.issues |= [(.[0] | .id = "10109" | .key = "PLAT-109" | .self = "https://example.atlassian.net/rest/api/3/issue/10109" |
	.fields.created = "2020-06-01T08:00:00.000+0000" | .changelog.total = 150),
	(.[0] | .id = "10110" | .key = "PLAT-110" | .self = "https://example.atlassian.net/rest/api/3/issue/10110" |
	.changelog.histories |= [.[] | select(any(.items[]; .toString == "In Progress") | not) |
		.items |= map(if .field == "status" then .fromString = "To Do" | .from = "10000" else . end)] |
		.changelog.total = (.changelog.histories | length))] |
	.total = 2' \
	"$FIXTURES/jira/search-changelog.json" >truncated.json
ok ingest --source jira truncated.json
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.detail.left_out.transitions_truncated) \(.detail.left_out.never_started)"' "0 1 1"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01
expect_out "  median: - over 0 items"
expect_out "  left out: 1 item (transitions_truncated)"
expect_out "  left out: 1 item (never_started)"

jq '[.[] | if .id == 2001 then .submitted_at = "2024-03-01T08:00:00Z" else . end]' \
	"$FIXTURES/github/reviews.json" >reviews.json
ok ingest --source gh "$FIXTURES/github/pulls.json" reviews.json
period="--from 2024-03-01 --to 2024-03-08"
ok metrics show review_turnaround $period --json
expect_json '.value | "\(.n) \(.detail.left_out.ends_before_start)"' "0 1"
ok metrics show review_turnaround $period
expect_out "  left out: 1 item (ends_before_start)"
ok metrics show pr_cycle_time $period --json
expect_json '.value | "\(.n) \(.detail.to_first_review.n) \(.detail.to_first_review.left_out.ends_before_start)"' "1 0 1"
ok metrics show pr_cycle_time $period
expect_out "  to first review: 0 items (0 without a review; left out: 1, ends_before_start)"
expect_no_out "  left out: "
# Nothing left out: no such line.
ok metrics show pr_throughput $period
expect_no_out "left out"
