# The dashboard's window and weeks are cut in each team's time zone, at local midnight,
# across a change of summer time too: deployments a few minutes either side of a local
# midnight land in the right window and week.  A team without a zone of its own counts in
# the org's zone, not its parent team's (docs/metrics.md, "Days, weeks and months").
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok source add deploy --name deploys
ok metrics set time_zone America/Los_Angeles --team payments
ok metrics set time_zone Australia/Sydney --team engineering
# W0/W1: either side of the window's first local midnight (2026-08-13 00:00 PDT);
# C/D: either side of Monday 2026-10-26 00:00 PDT; A/B: of Monday 2026-11-02 00:00 PST,
# the day after summer time ended.
cat >d.csv <<CSV
id,service,environment,sha,ref,started,finished,status
W0,api,production,aaaaaaa0,main,2026-08-13T06:20:00Z,2026-08-13T06:30:00Z,success
W1,api,production,aaaaaaa1,main,2026-08-13T07:20:00Z,2026-08-13T07:30:00Z,success
C,api,production,aaaaaaa2,main,2026-10-26T06:20:00Z,2026-10-26T06:30:00Z,success
D,api,production,aaaaaaa3,main,2026-10-26T07:20:00Z,2026-10-26T07:30:00Z,success
A,api,production,aaaaaaa4,main,2026-11-02T07:20:00Z,2026-11-02T07:30:00Z,success
B,api,production,aaaaaaa5,main,2026-11-02T08:20:00Z,2026-11-02T08:30:00Z,success
CSV
ok ingest --source deploys d.csv
export PLUMB_NOW=2026-11-10T20:00:00Z
ok dashboard refresh
ok dashboard --json
df() { echo ".teams[] | select(.team == \"$1\") | .keys.deployment_frequency"; }
expect_json "$(df payments) | \"\(.from) \(.to) \(.n)\"" "2026-08-13T07:00:00.000Z 2026-11-11T08:00:00.000Z 5"
expect_json "[$(df payments) | .trend[-3:][] | \"\(.start) \(.n)\"] | join(\",\")" \
	"2026-10-19T07:00:00.000Z 1,2026-10-26T07:00:00.000Z 2,2026-11-02T08:00:00.000Z 1"
# engineering (Sydney) holds payments' deployments in its own days and weeks: its window
# starts after W0 and W1.
expect_json "$(df engineering) | \"\(.from) \(.to) \(.n)\"" "2026-08-13T14:00:00.000Z 2026-11-11T13:00:00.000Z 4"
expect_json "[$(df engineering) | .trend[-2:][] | \"\(.start) \(.n)\"] | join(\",\")" \
	"2026-10-25T13:00:00.000Z 2,2026-11-01T13:00:00.000Z 2"
# search has no zone of its own: the org's (UTC), not its parent's (Sydney).
expect_json "$(df search) | \"\(.from) \(.to)\"" "2026-08-13T00:00:00.000Z 2026-11-11T00:00:00.000Z"
