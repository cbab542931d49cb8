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
PLUMB_NOW=2099-01-01 ok metrics review-due
expect_out "engineering-effectiveness"
expect_out "days overdue"
# A retired definition is no longer due.
ok metrics retire wip --reason unused
PLUMB_NOW=2099-01-01 ok metrics review-due --json
expect_json 'length' 10
expect_json '[.[].key] | index("wip")' null
