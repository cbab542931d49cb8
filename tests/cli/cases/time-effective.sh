# --effective accepts RFC 3339 with an offset and stores UTC (2026-07-01T02:00:00+02:00 is 2026-07-01T00:00:00.000Z); a bad value exits 2 naming the option.
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/^E202,\(.*\),M002,search,/E202,\1,M002,payments,/' "$FIXTURES/org-small.csv" >moved.csv
before=$(counts)
for bad in "next tuesday" "2026-02-30" "2026-07-01T25:00:00Z" "2026-07-01T02:00:00+2" "01/07/2026" ""; do
	run org import moved.csv --effective "$bad"
	expect_status 2
	expect_err "plumb: error: --effective: invalid time '$bad'"
	expect_err "detail: expected RFC 3339"
done
expect_counts "$before"
run audit log --since 2026-13-01
expect_status 2
expect_err "--since: invalid time"

ok org import moved.csv --effective 2026-07-01T02:00:00+02:00 --json
expect_json .effective 2026-07-01T00:00:00.000Z
ok person show E202 --json
expect_json '[.history[] | select(.kind == "team") | .valid_to | tostring] | join(",")' 2026-07-01T00:00:00.000Z,null
expect_json '[.history[] | select(.kind == "team") | .valid_from] | .[1]' 2026-07-01T00:00:00.000Z
want=$(( $(date -u -d 2026-07-01 +%s) * 1000 ))
[ "$(sql "SELECT valid_to FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id = 'E202' AND valid_to IS NOT NULL")" = "$want" ] ||
	fail "stored valid_to is not $want ms"
# Other spellings of one instant: Z, no colon in the offset, a fraction, lowercase t and z.
n=0
for t in 2026-09-01T00:00:00Z 2026-09-01T05:30:00+0530 2026-08-31T20:00:00.000-04:00 2026-09-01t00:00:00z 2026-09-01; do
	n=$((n + 1))
	ok service set "svc-$n" --team search --effective "$t"
done
ok service list --json
expect_json '[.[] | select(.name | startswith("svc-")) | .owned_since] | unique | join(",")' 2026-09-01T00:00:00.000Z
# All times in output are UTC with milliseconds.
ok audit log --json --object service:svc-1
expect_json '.[0].at | test("^[0-9-]{10}T[0-9:]{8}\\.[0-9]{3}Z$")' true
expect_json '.[0].detail.effective' 2026-09-01T00:00:00.000Z
# A mistyped PLUMB_NOW is a usage error, not a silent fall back to the real clock.
PLUMB_NOW=yesterday run org show
expect_status 2
expect_err "plumb: error: PLUMB_NOW: invalid time 'yesterday'"
# Seconds :60 are a leap second only in a source's payload; typed, they are refused, not
# read as :59.  In a payload, only where a leap second falls (23:59:60 UTC at a month's end,
# read as 23:59:59.999): the deploy file's finish 14:00:60 is refused, naming line and field.
before=$(counts)
run token create --user admin --scope read --expires 2027-03-15T09:30:60+01:00
expect_status 2
expect_err "plumb: error: --expires: invalid time '2027-03-15T09:30:60+01:00'"
run audit log --since "2026-07-01 09:30:60 UTC"
expect_status 2
expect_err "--since: invalid time"
PLUMB_NOW=2026-12-31T23:59:60Z run org show
expect_status 2
expect_err "plumb: error: PLUMB_NOW: invalid time '2026-12-31T23:59:60Z'"
expect_counts "$before"
ok service set api --team search --effective 2026-01-01
ok source add deploy --name deploys
printf 'id,service,environment,sha,ref,started,finished,status\nD1,api,production,%s,main,2026-03-01T13:50:00Z,2026-03-01T14:00:60Z,success\n' \
	c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1 >leap.csv
before=$(counts)
run ingest --source deploys leap.csv
expect_status 1
expect_err "plumb: error: leap.csv:2: finished: expected an RFC 3339 time (2024-05-01T09:30:00Z), got '2026-03-01T14:00:60Z'"
expect_counts "$before"
sed -i 's/2026-03-01T13:50:00Z,2026-03-01T14:00:60Z/2026-03-31T23:50:00Z,2026-04-01T01:59:60+02:00/' leap.csv
ok ingest --source deploys leap.csv
ok events list --kind deployment --json
expect_json '.[0].ended_at' 2026-03-31T23:59:59.999Z
