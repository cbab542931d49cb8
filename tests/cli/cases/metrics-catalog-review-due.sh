# review-due lists the definitions whose next review date has come, with their owners;
# PLUMB_NOW pins today.
ok init
ok metrics review-due --json
expect_json 'length' 0
next=$(sql "SELECT MIN(next_review) FROM metric_defs")
day=$(date -u -d "@$((next / 1000))" +%Y-%m-%d)
before=$(date -u -d "@$((next / 1000 - 86400))" +%Y-%m-%d)
PLUMB_NOW="${before}T12:00:00Z" ok metrics review-due --json
expect_json 'length' 0
PLUMB_NOW="${day}T00:00:00Z" ok metrics review-due --json
expect_json 'length' 11
expect_json '.[0] | "\(.key) \(.owner) \(.days_overdue) \(.next_review)"' "change_failure_rate engineering-effectiveness 0 $day"
expect_json '.[0] | "\(.latest_version) \(.latest_status)"' "1 active"
# A review is recorded: the next one is that day plus the interval, and the key is no longer
# due (found in audit: only an invented new version took it off the list).
after=$(date -u -d "$day + 180 days" +%Y-%m-%d)
PLUMB_NOW="${day}T09:00:00Z" ok metrics reviewed change_failure_rate --note "the window still fits"
expect_out "metric change_failure_rate version 1 reviewed on $day; next review $after (was $day)"
PLUMB_NOW="${day}T10:00:00Z" ok metrics review-due --json
expect_json 'length' 10
expect_json '[.[].key] | index("change_failure_rate")' null
PLUMB_NOW=2030-06-15T12:00:00Z ok metrics reviewed lead_time --json
expect_json '"\(.key) \(.version) \(.reviewed_on) \(.next_review) \(.note)"' "lead_time 1 2030-06-15 2030-12-12 null"
ok audit log --json --limit 2
expect_json '.[] | select(.object_id == "change_failure_rate") | "\(.action) \(.detail.version) \(.detail.note) \(.detail.previous_next_review) \(.detail.next_review)"' \
	"metric.reviewed 1 the window still fits $day $after"
run metrics reviewed no_such_metric
expect_status 4
run metrics reviewed lead_time --note $'two\nlines'
expect_status 2
# An incentive-linked metric past its review: sign-off says to record the review, and once
# recorded it gets past that check (to the policy's missing approvers).
file bonus.yaml <<'YAML'
key: bonus_deploys
name: Bonus deploys
description: Deployments, for a bonus.
unit: count
direction: higher
indicator: leading
stakeholders: [development]
owner: team-a
incentive_linked: true
formula:
  count: deployment
YAML
ok metrics define bonus.yaml
ok metrics approve bonus_deploys --version 1 --function development
PLUMB_NOW=2099-01-01 run signoff request bonus_deploys
expect_status 5
expect_err "hint: record its review first: plumb metrics reviewed bonus_deploys"
PLUMB_NOW=2099-01-01 ok metrics reviewed bonus_deploys
PLUMB_NOW=2099-01-01 run signoff request bonus_deploys
expect_status 5
expect_err "the policy names no sign-off approvers"
PLUMB_NOW=2099-01-01 ok metrics review-due
expect_out "engineering-effectiveness"
expect_out "days overdue"
# A proposal never approved is in no one's review: its date counts from the day it becomes
# active, and metrics reviewed refuses it (found trying define, then review-due and reviewed:
# it was listed as overdue, with no way to take it off the list but approving it).
sed 's/key: bonus_deploys/key: bonus_waiting/' bonus.yaml >waiting.yaml
ok metrics define waiting.yaml
PLUMB_NOW=2099-01-01 ok metrics review-due --json
expect_json '[.[].key] | index("bonus_waiting")' null
run metrics reviewed bonus_waiting
expect_status 5
# Nor is a key retired and proposed again until the new version is approved.
ok metrics retire bonus_deploys --reason "bonus dropped"
sed 's/description: Deployments, for a bonus./description: Deployments./' bonus.yaml >again.yaml
ok metrics define again.yaml
expect_out "metric bonus_deploys version 2 proposed"
PLUMB_NOW=2099-01-01 ok metrics review-due --json
expect_json '[.[].key] | index("bonus_deploys")' null
# A retired definition is no longer due.
ok metrics retire wip --reason unused
PLUMB_NOW=2099-01-01 ok metrics review-due --json
expect_json 'length' 10
expect_json '[.[].key] | index("wip")' null
run metrics reviewed wip
expect_status 5
expect_err "no version of wip is in use"
