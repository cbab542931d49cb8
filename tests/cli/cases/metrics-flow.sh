# Flow metrics on the project's GitHub and Jira fixtures, answers worked out by hand:
#   #101 alice, opened 03-01 09:00, merged 03-02 10:29:59: cycle 25 h 29 min 59 s;
#        first review (bob, changes requested) 03-01 13:00: turnaround 4 h; the pending
#        review and the author's own activity do not count;
#   #102 bob, opened 03-01 11:15, closed unmerged 03-03 12:00;
#   #103 carol, opened 03-04 08:00, still open; #104 dependabot's, a bot: left out.
#   PLAT-101 went In Progress 2020-06-13T03:00Z and Done 2020-06-15T01:59:59.123Z.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok ingest --source gh "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json"
ok ingest --source jira "$FIXTURES/jira"
period="--from 2024-03-01 --to 2024-03-08"

ok metrics show pr_cycle_time $period --json
expect_json '.value | "\(.n) \(.statistic) \(.value * 3600 | round)"' "1 median 91799"
ok metrics show review_turnaround $period --json
expect_json '.value | "\(.n) \(.value)"' "1 4"
ok metrics show pr_throughput $period --json
expect_json '.value | "\(.n) \(.value) \(.statistic)"' "1 1 count per week"
# Open at the end of each day: #101 and #102 on 03-01, #102 on 03-02, none on 03-03,
# #103 from 03-04 on (the bot's #104 never counts).
ok metrics show wip $period --by day --json
expect_json '[.points[] | .value] | map(tostring) | join(" ")' "2 1 0 1 1 1 1"
expect_json '.value | "\(.value) \(.statistic)"' "1 open at period end"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value * 3600000 | round)"' "1 169199123"
# explain shows the cycle each issue was counted with, its start and done transitions, not
# only the issue's creation (found in review: the times used were nowhere).
cycle_value=$(json .value.id)
ok explain "$cycle_value" --json
expect_json '[.inputs[] | "\(.external_id) \(.started_at) \(.done_at) \(.hours * 3600000 | round)"] | join(",")' \
	"PLAT-101 2020-06-13T03:00:00.000Z 2020-06-15T01:59:59.123Z 169199123"
# The text writes its hours as metrics show writes the value: 46.99976 h is 47.0 h in both
# (found in the metrics hunt: explain wrote %.6g's 46.9998, no mark kept).
ok explain "$(json .value.id)"
expect_out "started 2020-06-13T03:00:00.000Z done 2020-06-15T01:59:59.123Z (47.0 h)"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01
expect_out "  median: 47.0 h over 1 item"
# An issue whose changelog the search page cut short (3 of 150 histories, the newest): its
# first start may be among those missing, so it is left out, and the arithmetic says so.
jq '.issues |= [.[0] | .id = "10109" | .key = "PLAT-109" | .self = "https://example.atlassian.net/rest/api/3/issue/10109" |
	.fields.created = "2020-06-01T08:00:00.000+0000" | .changelog.total = 150]' \
	"$FIXTURES/jira/search-changelog.json" >truncated.json
ok ingest --source jira truncated.json
ok events list --kind work_item --json
expect_json '.[] | select(.external_id == "PLAT-109") | .attrs.transitions_truncated' true
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value * 3600000 | round) \(.detail.items) \(.detail.left_out.transitions_truncated)"' \
	"1 169199123 1 1"
ok explain "$(jq -r '.value.id' "$T/out")"
expect_out '"left_out":{"transitions_truncated":1}'
# The whole changelog later (a newer snapshot, as sync completes it): the flag clears and the
# issue counts (found in review: the flag, written only when true, stayed set).
jq '.issues |= [.[0] | .changelog.total = (.changelog.histories | length) |
	.fields.updated = "2020-07-01T00:00:00.000+0000"]' truncated.json >whole.json
ok ingest --source jira whole.json
ok events list --kind work_item --json
expect_json '.[] | select(.external_id == "PLAT-109") | .attrs.transitions_truncated' false
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.detail.left_out)"' "2 null"
ok metrics show issue_cycle_time --from 2020-07-01 --to 2020-08-01 --json
expect_json '.value.detail.left_out' null

# Every pull request behind a value is in its lineage, with its url, and the first review and
# first approval behind its parts (bob's change request, then his approval).
ok metrics show pr_cycle_time $period --json
id=$(jq -r '.value.id' "$T/out")
ok explain "$id" --json
expect_json '[.inputs[] | "\(.role) \(.external_id) \(.url)"] | join(",")' \
	"pull_request acme/widgets#101 https://github.com/acme/widgets/pull/101,first-review 2001 https://github.com/acme/widgets/pull/101#pullrequestreview-2001,first-approval 2003 https://github.com/acme/widgets/pull/101#pullrequestreview-2003"

# A pull request reopened (state open, closed_at null, a newer updated_at) is open again: the
# source cleared its end, and wip counts it (found in review: it stayed closed).  The older
# page read again does not close it.
jq '[.[] | select(.number == 102) | .state = "open" | .closed_at = null |
	.updated_at = "2024-03-04T09:00:00Z"]' "$FIXTURES/github/pulls.json" >reopened.json
ok ingest --source gh reopened.json
ok ingest --source gh "$FIXTURES/github/pulls.json"
[ "$(sql "SELECT status || ' ' || COALESCE(ended_at, 0) FROM events WHERE external_id = 'acme/widgets#102'")" = "open 0" ] ||
	fail "#102 reopened: $(sql "SELECT status, ended_at FROM events WHERE external_id = 'acme/widgets#102'")"
# Open at the end of each day: #101 and #102 on 03-01, #102 from then on, #103 from 03-04 on.
ok metrics show wip $period --by day --json
expect_json '[.points[] | .value] | map(tostring) | join(" ")' "2 1 1 2 2 2 2"
# A Jira issue reopened (no resolution date, no longer done) loses its end the same way.
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .fields.resolutiondate = null |
	.fields.status.name = "In Progress" | .fields.status.statusCategory.key = "indeterminate" |
	.fields.updated = "2020-06-20T10:00:00.000+0800"]' \
	"$FIXTURES/jira/search-changelog.json" >plat-101-reopened.json
ok ingest --source jira plat-101-reopened.json
[ "$(sql "SELECT status || ' ' || COALESCE(ended_at, 0) FROM events WHERE external_id = 'PLAT-101'")" = "in_progress 0" ] ||
	fail "PLAT-101 reopened: $(sql "SELECT status, ended_at FROM events WHERE external_id = 'PLAT-101'")"
# The value computed before still explains itself by the version it used: PLAT-101 done, from
# its first payload, not as reopened since (found in review: explain cited the newest payload).
ok explain "$cycle_value" --json
expect_json '.inputs[] | select(.external_id == "PLAT-101") | "\(.version) \(.current_version) \(.ended_at) \(.raw_payload.origin | split("/") | last)"' \
	"1 2 2020-06-15T01:59:59.123Z search-changelog.json"
ok explain "$cycle_value"
expect_out "(as version 1; version 2 since)"
# Nor does its cycle count any more: it has not ended (found in review: the done transition
# before the reopening still counted).  PLAT-109 is left.
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '[.value.n, .value.detail.items] | map(tostring) | join(" ")' "1 1"
ok explain "$(json .value.id)" --json
expect_json '[.inputs[] | .external_id] | join(",")' PLAT-109
# Done is what work_done_statuses says, not Jira's category: an issue moved to Deployed, a
# status of the in-progress category, is done once Deployed is a done status (found in review:
# the category alone left it out).
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .id = "10120" | .key = "PLAT-120" |
	.self = "https://example.atlassian.net/rest/api/3/issue/10120" | .fields.resolutiondate = null |
	.fields.status.name = "Deployed" | .fields.status.statusCategory.key = "indeterminate" |
	.changelog.histories |= map(.items |= map(if .toString == "Done" then .toString = "Deployed" else . end))]' \
	"$FIXTURES/jira/search-changelog.json" >plat-120-deployed.json
ok ingest --source jira plat-120-deployed.json
ok metrics set work_done_statuses Done,Deployed
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value.n' 2
ok metrics set work_done_statuses Done,Closed,Resolved
# An issue started and done at one instant (automation) counts with a cycle of 0 h, whatever
# order Jira lists the two moves in (newest first): found in review, it was dropped, and the
# moves sorted as done then started, read as reopened.  The stored order is the chain's.
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .id = "10130" | .key = "PLAT-130" |
	.self = "https://example.atlassian.net/rest/api/3/issue/10130" |
	.changelog.histories[1].created = .changelog.histories[0].created]' \
	"$FIXTURES/jira/search-changelog.json" >plat-130-instant.json
ok ingest --source jira plat-130-instant.json
ok events list --kind work_item --json
expect_json '.[] | select(.external_id == "PLAT-130") | [.attrs.transitions[].to] | join(",")' "In Progress,Done"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.detail.min)"' "2 0"
# So too three moves at one instant, into review and on to done: no comparison of two moves
# alone orders them (found in review: stored as done, started, in review, and so left out as
# reopened).
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .id = "10131" | .key = "PLAT-131" |
	.self = "https://example.atlassian.net/rest/api/3/issue/10131" | .changelog.total = 4 |
	.changelog.histories = [(.changelog.histories[0] | .items[1].fromString = "In Review"),
		(.changelog.histories[1] | .created = "2020-06-15T09:59:59.123+0800" |
			.items[0].fromString = "In Progress" | .items[0].toString = "In Review"),
		(.changelog.histories[1] | .created = "2020-06-15T09:59:59.123+0800"),
		.changelog.histories[2]]]' "$FIXTURES/jira/search-changelog.json" >plat-131-instant.json
ok ingest --source jira plat-131-instant.json
ok events list --kind work_item --json
expect_json '.[] | select(.external_id == "PLAT-131") | [.attrs.transitions[] | "\(.from)>\(.to)"] | join(",")' "To Do>In Progress,In Progress>In Review,In Review>Done"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.detail.min)"' "3 0"

# A dismissed review was submitted all the same (GitHub's REST pages call an approval later
# dismissed DISMISSED): bob's on #103, 4 h after it opened, is its first review.
jq '[.[] | select(.id == 2003) | .id = 2005 | .state = "DISMISSED" | .submitted_at = "2024-03-04T12:00:00.250Z" |
	.pull_request_url = "https://api.github.com/repos/acme/widgets/pulls/103"]' "$FIXTURES/github/reviews.json" >dismissed.json
ok ingest --source gh dismissed.json
ok metrics show review_turnaround $period --json
expect_json '.value | "\(.n) \(.value)"' "2 4"

# ---- A hand-built April, by lschmidt (E101, payments), worked out by hand -------------------
# Every pull request opens at 09:00 UTC on its day; a review "+Nh" is N hours after that.
#   #201  lukas-alt (E101's second login) approves +1h, mnguyen approves +5h; merged +8h
#   #202  srossi requests changes +1h, tbaker approves +6h; merged +12h
#   #203  no review before its merge at +4h; outsider (linked to no one) comments +6h, after it
#   #204  mnguyen comments +8h, alima (E105) +9h; no approval; merged +24h
#   #205  mnguyen comments +0.5h, srossi approves +1.5h; merged +2.5h; srossi comments again
#         the next day
# The author's own review from their second account is no one else's: #201's first review is
# mnguyen's at +5h (found in review: logins alone were compared, so lukas-alt's +1h counted).
ok org import "$FIXTURES/org-small.csv"
ok identity link github lukas-alt --person E101
# pr NUMBER CREATED MERGED: a pulls page item by lschmidt, from #101's.
pr() {
	jq --argjson n "$1" --arg c "$2" --arg m "$3" '.[0] | .number = $n | .id = 1800000000 + $n |
		.url = "https://api.github.com/repos/acme/widgets/pulls/\($n)" |
		.html_url = "https://github.com/acme/widgets/pull/\($n)" | .user.login = "lschmidt" |
		.created_at = $c | .updated_at = $m | .closed_at = $m | .merged_at = $m |
		.merge_commit_sha = null' "$FIXTURES/github/pulls.json"
}
# review ID NUMBER LOGIN STATE SUBMITTED: a reviews page item, from #101's first.
review() {
	jq --argjson id "$1" --argjson n "$2" --arg l "$3" --arg s "$4" --arg t "$5" '.[0] |
		.id = $id | .user.login = $l | .state = $s | .submitted_at = $t |
		.pull_request_url = "https://api.github.com/repos/acme/widgets/pulls/\($n)" |
		.html_url = "https://github.com/acme/widgets/pull/\($n)#pullrequestreview-\($id)"' \
		"$FIXTURES/github/reviews.json"
}
{
	pr 201 2024-04-01T09:00:00Z 2024-04-01T17:00:00Z
	pr 202 2024-04-02T09:00:00Z 2024-04-02T21:00:00Z
	pr 203 2024-04-03T09:00:00Z 2024-04-03T13:00:00Z
	pr 204 2024-04-04T09:00:00Z 2024-04-05T09:00:00Z
	pr 205 2024-04-05T09:00:00Z 2024-04-05T11:30:00Z
} | jq -s . >april-pulls.json
{
	review 3011 201 lukas-alt APPROVED 2024-04-01T10:00:00Z
	review 3012 201 mnguyen APPROVED 2024-04-01T14:00:00Z
	review 3021 202 srossi CHANGES_REQUESTED 2024-04-02T10:00:00Z
	review 3022 202 tbaker APPROVED 2024-04-02T15:00:00Z
	review 3031 203 outsider COMMENTED 2024-04-03T15:00:00Z
	review 3041 204 mnguyen COMMENTED 2024-04-04T17:00:00Z
	review 3042 204 alima COMMENTED 2024-04-04T18:00:00Z
	review 3051 205 mnguyen COMMENTED 2024-04-05T09:30:00Z
	review 3052 205 srossi APPROVED 2024-04-05T10:30:00Z
	review 3053 205 srossi COMMENTED 2024-04-06T09:00:00Z
} | jq -s . >april-reviews.json
ok ingest --source gh april-pulls.json april-reviews.json
april="--from 2024-04-01 --to 2024-05-01"

# The repro: #201 alone, its turnaround is mnguyen's 5 h, not lukas-alt's 1 h.
ok metrics show review_turnaround --from 2024-04-01 --to 2024-04-02 --json
expect_json '.value | "\(.n) \(.value)"' "1 5"
# The first review of each pull request: #201 +5, #202 +1, #203 +6 (outsider's, after the merge:
# turnaround counts it), #204 +8, #205 +0.5.  Sorted 0.5 1 5 6 8; R type 7 (the quantile of
# sorted x at h = (n - 1) p, x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]), 0-based):
# median h = 2: 5; p90 h = 3.6: 6 + 0.6 * 2 = 7.2.
ok metrics show review_turnaround $april --json
expect_json '.value | "\(.n) \(.value) \(.detail.p90)"' "5 5 7.2"
# Its lineage names the review that set each time (role first-review): mnguyen's on #201.
ok explain "$(jq -r '.value.id' "$T/out")" --json
expect_json '[.inputs[] | select(.role == "first-review") | .external_id] | join(",")' \
	"3012,3021,3031,3041,3051"
expect_json '[.inputs[] | select(.role == "pull_request")] | length' 5

# Cycle times 8, 12, 4, 24, 2.5: sorted 2.5 4 8 12 24, median 8, p90 (h = 3.6) 12 + 0.6 * 12
# = 19.2, mean 50.5 / 5 = 10.1.  Its parts count only reviews up to the merge:
#   to first review     #201 5, #202 1, #204 8, #205 0.5 (#203 has none): sorted 0.5 1 5 8,
#                       median (h = 1.5) 1 + 0.5 * 4 = 3, p90 (h = 2.7) 5 + 0.7 * 3 = 7.1,
#                       mean 14.5 / 4 = 3.625
#   review to approval  #201 0 (the first review approved), #202 5, #205 1 (#203, #204 have no
#                       approval): sorted 0 1 5, median 1, p90 (h = 1.8) 1 + 0.8 * 4 = 4.2,
#                       mean 2
#   approval to merge   #201 3, #202 6, #205 1: sorted 1 3 6, median 3, p90 3 + 0.8 * 3 = 5.4,
#                       mean 10 / 3
ok metrics show pr_cycle_time $april --json
# (In thousandths of an hour: the arithmetic is in doubles.)
ms='map(. * 1000 | round | tostring) | join(" ")'
expect_json ".value | [.n, .value, .detail.p90, .detail.mean] | $ms" "5000 8000 19200 10100"
part="[.n, .without_review // .without_approval, .median, .p90, .mean] | $ms"
expect_json ".value.detail.to_first_review | $part" "4000 1000 3000 7100 3625"
expect_json ".value.detail.review_to_approval | $part" "3000 2000 1000 4200 2000"
expect_json ".value.detail.approval_to_merge | $part" "3000 2000 3000 5400 3333"
# Its lineage: each pull request, and the first review and first approval behind its parts
# (mnguyen's approval on #201 is both); outsider's review after #203's merge is not one.
ok explain "$(jq -r '.value.id' "$T/out")" --json
expect_json '[.inputs[] | select(.kind == "review") | "\(.external_id):\(.role)"] | join(",")' \
	"3012:first-approval,3012:first-review,3021:first-review,3022:first-approval,3041:first-review,3051:first-review,3052:first-approval"
ok explain "$(jq -r '.value.id' "$T/out")"
expect_out "first-approval       review 3012 (gh) 2024-04-01T14:00:00.000Z"
# The text gives the parts under the value.
ok metrics show pr_cycle_time $april
expect_out "  to first review: median 3.0 h, p90 7.1 h over 4 items (1 without a review)"
expect_out "  review to approval: median 1.0 h, p90 4.2 h over 3 items (2 without an approval)"
expect_out "  approval to merge: median 3.0 h, p90 5.4 h over 3 items (2 without an approval)"

# Per reviewer, each one's first review of each pull request, from its opening:
#   E102 mnguyen  #201 5, #204 8, #205 0.5: median 5       E103 srossi  #202 1, #205 1.5: 1.25
#   E104 tbaker   #202 6                                   E105 alima   #204 9
#   outsider      #203 6 (an account linked to no one)     E101's own lukas-alt: not a reviewer
# A figure per reviewer describes each of them: the built-in review_turnaround (org, team and
# service scopes) is refused by the team-metric-on-person rule, audited (found in review: the
# breakdown went around it); a definition with the individual scope gives it.
ok user add --person M001 --role manager
ok user add --person E102 --role employee
ok user add --person E201 --role analyst
run metrics show review_turnaround $april --by-reviewer
expect_status 3
expect_err "refused by acceptable-use rule team-metric-on-person: metric 'review_turnaround' cannot be broken down person by person (--by-reviewer)"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused'")" -ge 1 ] || fail "the refusal was not audited"
file reviewer-turnaround.yaml <<'YAML'
key: reviewer_turnaround
name: Review turnaround per reviewer
description: Hours from a pull request's opening to each reviewer's first review of it.
unit: hours
direction: lower
indicator: leading
stakeholders: [development]
owner: engineering-effectiveness
scopes: [org, team, individual]
formula: {builtin: review_turnaround}
YAML
ok metrics define reviewer-turnaround.yaml
ok metrics approve reviewer_turnaround --version 1 --function development
reviewers='[.reviewers[] | "\(.reviewer)/\(.kind)/\(.n)/\(.median)"] | join(" ")'
ok metrics show reviewer_turnaround $april --by-reviewer --json
expect_json "$reviewers" "E102/person/3/5 E103/person/2/1.25 E104/person/1/6 E105/person/1/9 outsider/account/1/6"
expect_json '.reviews_not_shown' 0
# A manager sees their reporting chain: not alima, who has left, nor an account linked to no one.
ok --as M001 metrics show reviewer_turnaround $april --by-reviewer --json
expect_json "$reviewers" "E102/person/3/5 E103/person/2/1.25 E104/person/1/6"
expect_json '.reviews_not_shown' 2
# An employee sees themselves only: srossi's 2, tbaker's, alima's and outsider's reviews are not shown.
ok --as E102 metrics show reviewer_turnaround $april --by-reviewer --json
expect_json "$reviewers" "E102/person/3/5"
expect_json '.reviews_not_shown' 5
ok --as E102 metrics show reviewer_turnaround $april --by-reviewer
expect_out "E102      person  3  5.0 h"
expect_out "5 more reviews by people you may not see"
expect_no_out E103
# An analyst sees aggregates only: one figure a person is refused, and the refusal audited.
run --as E201 metrics show reviewer_turnaround $april --by-reviewer --json
expect_status 3
expect_err "analysts see aggregates only"
expect_no_out E102
# Only review turnaround has reviewers.
run metrics show pr_cycle_time $april --by-reviewer
expect_status 2
expect_err "--by-reviewer applies to metrics built on review_turnaround"

# A merge before the pull request's creation is refused at ingest, naming the file and the
# field (found in review: it gave a cycle time of -24 h); nothing is written.
pr 299 2024-05-02T09:00:00Z 2024-05-01T09:00:00Z | jq -s . >backwards.json
run ingest --source gh backwards.json
expect_status 1
expect_err "backwards.json: [0].merged_at: 2024-05-01T09:00:00.000Z is before created_at 2024-05-02T09:00:00.000Z: expected a time at or after the pull request's creation"
[ "$(sql "SELECT COUNT(*) FROM events WHERE external_id = 'acme/widgets#299'")" = 0 ] || fail "#299 was stored"
# Rows stored before that (#206's merge moved before its creation by hand), and a review
# stamped before its pull request opened (#207's, from a skewed clock), are left out and
# counted: #207's cycle time is 3 h; its first part is left out, its others are 0 h and 4 h.
{
	pr 206 2024-05-06T09:00:00Z 2024-05-06T10:00:00Z
	pr 207 2024-05-07T09:00:00Z 2024-05-07T12:00:00Z
} | jq -s . >may-pulls.json
review 3071 207 mnguyen APPROVED 2024-05-07T08:00:00Z | jq -s . >may-reviews.json
ok ingest --source gh may-pulls.json may-reviews.json
sql "UPDATE events SET ended_at = occurred_at - 3600000 WHERE external_id = 'acme/widgets#206'" >/dev/null
may="--from 2024-05-01 --to 2024-06-01"
ok metrics show pr_cycle_time $may --json
expect_json '.value | "\(.n) \(.value) \(.detail.min) \(.detail.left_out.ends_before_start)"' "1 3 3 1"
expect_json '.value.detail.to_first_review | "\(.n) \(.left_out.ends_before_start)"' "0 1"
expect_json '.value.detail.approval_to_merge | "\(.n) \(.median)"' "1 4"
ok metrics show review_turnaround $may --json
expect_json '.value | "\(.n) \(.value) \(.detail.left_out.ends_before_start)"' "0 null 1"
