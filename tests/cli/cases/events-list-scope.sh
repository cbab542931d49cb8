# events list --as shows every event but names only the people the user may see: a manager
# sees their reports and themselves, an employee only themselves; others' events show
# person and account null.  --since (inclusive), --until (exclusive) and --limit filter,
# --csv has its header, bad values are usage errors.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101 # payments, reports to M001
ok identity link github bob --person E201   # search, reports to M002
ok identity link github carol --person M001 # the payments manager
ok user add --person M001 --role manager
ok user add --person E101 --role employee
ok user add --person E201 --role employee
prs() { # [--as USER]: "external_id=person/account" of the pull requests
	ok "$@" events list --kind pull_request --json
	json 'map("\(.external_id | sub("acme/widgets"; ""))=\(.person)/\(.account)") | join(",")'
}
[ "$(prs)" = "#101=E101/alice,#102=E201/bob,#103=M001/carol,#104=null/dependabot[bot]" ] || fail "admin: $(prs)"
[ "$(prs --as M001)" = "#101=E101/alice,#102=null/null,#103=M001/carol,#104=null/dependabot[bot]" ] || fail "manager: $(prs --as M001)"
[ "$(prs --as E101)" = "#101=E101/alice,#102=null/null,#103=null/null,#104=null/dependabot[bot]" ] || fail "employee: $(prs --as E101)"
[ "$(prs --as E201)" = "#101=null/null,#102=E201/bob,#103=null/null,#104=null/dependabot[bot]" ] || fail "other employee: $(prs --as E201)"
# A bot linked to a person the user may not see keeps its login, not the person (found in
# review: the login went too, for everyone but analysts).
ok identity link github 'dependabot[bot]' --person E201
[ "$(prs --as E101)" = "#101=E101/alice,#102=null/null,#103=null/null,#104=null/dependabot[bot]" ] || fail "employee, a linked bot: $(prs --as E101)"
ok --as E101 events list --kind pull_request --json
expect_json '.[3] | [.person, .title, .ref] | map(type) | join(",")' "null,null,null"
ok identity unlink github 'dependabot[bot]'
# The rest of an out-of-scope event is there: service, status, times; not its branch, title
# or link, which say whose it is as well as a name would (a branch named after its author's
# login; found in review), nor its attributes.
ok --as E101 events list --kind pull_request --json
expect_json '.[1] | "\(.external_id) \(.service) \(.status) \(.ended_at)"' "acme/widgets#102 acme.widgets closed 2024-03-03T12:00:00.000Z"
expect_json '.[1] | "\(.ref) \(.title) \(.url) \(.attrs)"' "null null null null"
expect_json '.[0] | [.ref, .title, .url] | map(type) | join(",")' "string,string,string"
ok events list --kind pull_request --json
expect_json '.[1] | [.ref, .title, .url] | map(type) | join(",")' "string,string,string"
# The table and CSV hide them the same way.
ok --as E101 events list --kind pull_request --csv
expect_out "event,occurred,kind,source,id,service,team,person,account,status,ended"
expect_out "2024-03-01T09:00:00.000Z,pull_request,gh,acme/widgets#101,acme.widgets,,E101,alice,merged,2024-03-02T10:29:59.000Z"
expect_out "2024-03-01T11:15:00.000Z,pull_request,gh,acme/widgets#102,acme.widgets,,,,closed,2024-03-03T12:00:00.000Z"
expect_no_out bob
expect_no_out carol
expect_out_lines 5
ok --as M001 events list --kind review
expect_no_out bob
expect_no_out E201
expect_out "2024-03-01T14:30:00.000Z  review  gh      2002  acme.widgets        M001"
# Reads as a user are audited; a user that does not exist is refused.
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.actor) \(.os_user)"' "events.list M001 $(id -un)"
run --as E999 events list --kind pull_request
[ "$status" -ne 0 ] || fail "--as an unknown user was accepted"
[ -s "$T/out" ] && fail "a refused list printed events"

# Filters: --since inclusive, --until exclusive, both RFC 3339 or a date.
ids() { ok events list --kind pull_request "$@" --json; json 'map(.external_id | sub("acme/widgets"; "")) | join(",")'; }
[ "$(ids --since 2024-03-01T10:00:00Z --until 2024-03-05)" = "#102,#103" ] || fail "since/until"
[ "$(ids --since 2024-03-04T08:00:00.250Z)" = "#103,#104" ] || fail "--since is inclusive"
[ "$(ids --until 2024-03-04T08:00:00.250Z)" = "#101,#102" ] || fail "--until is exclusive"
[ "$(ids --since 2024-03-04T09:00:00.250+01:00 --until 2024-03-04T08:00:00.251Z)" = "#103" ] || fail "an offset"
[ "$(ids --since 2030-01-01)" = "" ] || fail "nothing after 2030"
# An empty window (since not before until) is a mistake, not "no events".
run events list --kind pull_request --since 2024-03-05 --until 2024-03-01 --json
expect_status 2
expect_err "the window is empty: since 2024-03-05T00:00:00.000Z is not before until 2024-03-01T00:00:00.000Z"
[ -s "$T/out" ] && fail "an empty window printed: $(cat "$T/out")"
run events list --kind pull_request --since 2024-03-05 --until 2024-03-05
expect_status 2
[ "$(ids --limit 2)" = "#101,#102" ] || fail "--limit keeps the oldest"
expect_err "showing the first 2 of 4 events; --limit 0 shows all"
[ "$(ids --limit 0)" = "#101,#102,#103,#104" ] || fail "--limit 0 is all"
[ -s "$T/err" ] && fail "--limit 0 warned: $(cat "$T/err")"
[ "$(ids --limit 1 --since 2024-03-02)" = "#103" ] || fail "--limit after --since"
[ "$(ids --as E101 --limit 1 --since 2024-03-02)" = "#103" ] || fail "--as with filters"
ok events list --kind ci_run --csv --since 2024-03-03 --until 2024-03-06
expect_out "event,occurred,kind,source,id,service,team,person,account,status,ended"
expect_out "2024-03-03T10:20:00.000Z,ci_run,gh,8000000002,acme.widgets,,E201,bob,failure,2024-03-03T10:31:15.000Z"
expect_out_lines 3
# Bad values: usage errors naming the option.
for bad in "--since yesterday" "--until 2024-02-30" "--limit -1" "--limit many"; do
	eval "run events list --kind pull_request $bad"
	expect_status 2
done
# A number is digits alone: strtoll's leading space and plus are refused, as a trailing
# space is (found in review: ' 3' was taken), in every whole-number option.
for bad in " 3" "+3" "3 "; do
	run events list --kind pull_request --limit "$bad"
	expect_status 2
	expect_err "--limit: '$bad' is not a number"
	run events list --kind pull_request --lock-wait "$bad"
	expect_status 2
	expect_err "--lock-wait: '$bad' is not a number of seconds"
done
run events list --kind build
expect_status 2
run events list
expect_status 2
run events list --kind pull_request --since yesterday
expect_err "yesterday"
# A misspelt source or service is not found, not an empty list.
run events list --kind pull_request --source nosuch
expect_status 4
expect_err "no source 'nosuch'"
run events list --kind pull_request --service nosuch
expect_status 4
expect_err "no service 'nosuch'"
# Someone's activity attributed to nobody (an unmatched account, or one stored pseudonymized
# without consent) is someone's all the same: only who sees everyone reads its branch, title,
# link and account (governance audit). A bot's stays readable.
ok identity unlink github carol
ok --as E101 events list --kind pull_request --json
expect_json '.[2] | "\(.external_id) \(.person) \(.account) \(.ref) \(.title) \(.url) \(.attrs)"' "acme/widgets#103 null null null null null null"
expect_json '.[3] | [.account, .title, .url] | map(type) | join(",")' "string,string,string"
ok events list --kind pull_request --json
expect_json '.[2] | "\(.person) \(.account)"' "null carol"
expect_json '.[2] | [.ref, .title, .url] | map(type) | join(",")' "string,string,string"
