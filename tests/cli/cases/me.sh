# plumb me: everything plumb holds about the person running the command, with sources,
# mechanisms and retention from the policy, consent records, demographics held, and who else
# read their records; plumb me export is the subject access export, itself audited.  Nobody
# sees another person's report; a user who is not a person has none.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101
ok user add --person E101 --role employee
ok user add --person M001 --role manager
ok user add --person E201 --role employee
ok --as M001 person show E101
ok policy import "$ROOT/examples/policy.yaml"

ok --as E101 me --json
expect_json .employee_id E101
expect_json .country DE
expect_json .policy_version 1
expect_json '.accounts | index("github:alice") != null' true
n_events=$(sql "SELECT COUNT(*) FROM events WHERE person_id = (SELECT id FROM people WHERE employee_id = 'E101')")
[ "$n_events" -gt 0 ] || fail "the fixture gives E101 no events"
expect_json '[.holdings[] | select(.category == "events") | .count] | add' "$n_events"
# Retention follows the person's country: DE keeps events 730 days (the company 1095).
expect_json '[.holdings[] | select(.category == "events") | .retention.days] | unique | join(",")' 730
expect_json '.holdings[] | select(.what == "pull_request events") | .mechanism' pull_request_activity
expect_json '.mechanisms[] | select(.key == "commit_metadata") | .status' "not collected: no works-council approval (DE)"
expect_json '.mechanisms[] | select(.key == "keystroke_analytics") | .status' "prohibited: never collected"
expect_json '[.read_by_others[] | select(.action == "person.show") | .actor] | join(",")' M001
# A metric value about E101 alone is timed by its period's end, as retention deletes it: kept
# 1825 days from 2024-06-01, not from the period's start.
ok metrics define "$FIXTURES/aup/my-prs.yaml"
ok metrics approve my_prs --version 1 --function development
ok metrics show my_prs --person E101 --from 2024-01-01 --to 2024-06-01
ok --as E101 me --json
expect_json '.holdings[] | select(.category == "metric_values") | "\(.count) \(.first) \(.last) \(.retention.next)"' \
	"1 2024-06-01T00:00:00.000Z 2024-06-01T00:00:00.000Z 2029-05-31T00:00:00.000Z"
due_values='[.lines[] | select(.category == "metric_values") | .due] | add'
PLUMB_NOW=2029-05-30T12:00:00Z ok retention plan --json
expect_json "$due_values" 0
PLUMB_NOW=2029-05-31T12:00:00Z ok retention plan --json
expect_json "$due_values" 1
# E201 sees their own report, never E101's.
ok --as E201 me --json
expect_json .employee_id E201
expect_json '[.read_by_others[] | select(.action == "person.show")] | length' 0
ok --as E101 me
expect_out "E101 Lukas Schmidt"
expect_out "pull_request events from gh (mechanism pull_request_activity)"
expect_out "M001 person.show"

# The export: the report and every record behind it, written once, audited.
ok --as E101 me export --output mine.json
[ "$(stat -c %a mine.json)" = 600 ] || fail "the export is readable by others"
[ "$(jq '.events | length' mine.json)" = "$n_events" ] || fail "the export lacks events"
[ "$(jq -r '.report.employee_id' mine.json)" = E101 ] || fail "the export is someone else's"
[ "$(jq -r '[.audit_entries[] | select(.action == "person.show")][0].actor' mine.json)" = M001 ] || fail "the export lacks who read the record"
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.actor) \(.object_type) \(.object_id)"' "me.export E101 person E101"
# A file that cannot be made fails the export before the read, so no entry says an export
# was made; a read that fails is audited as failed and leaves no file.
exports() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'me.export' AND object_type = 'person'"; }
before=$(exports)
run --as E101 me export --output mine.json
expect_status 5
run --as E101 me export --output "$T/nodir/mine.json"
expect_status 1
expect_err "plumb: error: cannot create $T/nodir/mine.json"
[ "$(exports)" = "$before" ] || fail "an export whose file could not be made was audited"
run me export --output admin.json
expect_status 4
[ -e admin.json ] && fail "a failed export left its file"
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.detail.ok)"' "me.export false"
ok --as E101 me export
[ "$(json .report.employee_id)" = E101 ] || fail "export to stdout"

run me
expect_status 4
expect_err "user admin is not a person"

# The API answers for the token's user only.
serve
t=$(token E101 read)
http GET /api/v1/me -H "Authorization: Bearer $t"
expect_http 200
expect_json .employee_id E101
http GET /api/v1/me/export -H "Authorization: Bearer $t"
expect_http 200
expect_json '.report.employee_id' E101
stop_server
