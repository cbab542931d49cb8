# source check tries each source's settings against its API (a loopback one here) without
# reading its data or writing anything: a readable and a missing repository, an
# organization and the repositories its patterns take (none is a failure), the Jira
# account, project and a query Jira refuses, a Jenkins job, a PagerDuty service with a
# good and a revoked token, a token variable that is unset (no request made) and a
# webhook secret's. Exit status 1 when a check fails, 0 when all pass; an unknown name is
# exit status 4 before any request; only an admin checks.
source "$ROOT/tests/http/apiserver.sh"
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
api_start "$ROOT/tests/http/scenarios/source-check"
ok source add github --name gh --repo acme/widgets --repo acme/gone --api-url "$API_URL"
ok source add github --name gho --org acme --include 'svc-*' --api-url "$API_URL/"
ok source add github --name ghnone --org acme --include 'nomatch-*' --api-url "$API_URL"
ok source add github --name ghunset --repo acme/widgets --api-url "$API_URL" --token-env CHECK_UNSET_TOKEN
ok source add jira --name jira --url https://acme.atlassian.net --project PAY --api-url "$API_URL" --token-env JIRA_TOKEN
ok source add jira --name jq --url https://acme.atlassian.net --jql 'bogus = 1' --api-url "$API_URL" --token-env JIRA_TOKEN
ok source add jenkins --name jen --url "$API_URL" --job deploy-api
ok source add pagerduty --name pd --service PIJ90N7 --api-url "$API_URL" --token-env PD_TOKEN
ok source add pagerduty --name pdold --service PIJ90N7 --api-url "$API_URL" --token-env PD_OLD_TOKEN
ok source add deploy --name hooks --webhook-secret-env CHECK_UNSET_SECRET
export JIRA_TOKEN=me@acme.example:jira-secret PD_TOKEN=pd-secret PD_OLD_TOKEN=old-pd-9f2c
unset CHECK_UNSET_TOKEN CHECK_UNSET_SECRET
ok source pause jen --reason "migrating"
written() {
	sql "SELECT (SELECT COUNT(*) FROM events)||' events '||(SELECT COUNT(*) FROM ingest_runs)||' runs '||
	  (SELECT COUNT(*) FROM sync_cursors)||' cursors '||(SELECT COUNT(*) FROM audit_log)||' audit'"
}
before=$(written)

run source check --json
expect_status 1
expect_err "plumb: error: 6 of 10 sources failed a check"
item() { json ".[] | select(.source == \"$1\") | .checks[] | select(.what == \"$2\") | \"\(.ok) \(.detail)\""; }
expect_json 'map("\(.source) \(.ok)") | join(",")' \
	"gh false,ghnone false,gho true,ghunset false,hooks false,jen true,jira true,jq false,pd true,pdold false"
[ "$(item gh "repository acme/widgets")" = "true readable (private, default branch main)" ] || fail "gh widgets: $(item gh "repository acme/widgets")"
item gh "repository acme/gone" | grep -q "^false .*/repos/acme/gone.*404" || fail "gh gone: $(item gh "repository acme/gone")"
[ "$(item gho "repositories of acme it reads")" = "true 2: acme/svc-pay, acme/svc-search" ] || fail "gho: $(item gho "repositories of acme it reads")"
item ghnone "repositories of acme it reads" | grep -q "^false none: no repository" || fail "ghnone"
item ghunset "token CHECK_UNSET_TOKEN" | grep -q "^false source ghunset: CHECK_UNSET_TOKEN is not set" || fail "ghunset: $(item ghunset "token CHECK_UNSET_TOKEN")"
expect_json '.[] | select(.source == "ghunset") | .requests' 0
[ "$(item jira account)" = "true signed in as Mia Krystof" ] || fail "jira account: $(item jira account)"
[ "$(item jira "project PAY")" = "true found: Payments" ] || fail "jira project"
item jq query | grep -q "^false .*400.*Field 'bogus' does not exist" || fail "jq: $(item jq query)"
[ "$(item jen "job deploy-api")" = "true found: deploy-api" ] || fail "jen: $(item jen "job deploy-api")"
expect_json '.[] | select(.source == "jen") | .paused.reason' migrating
[ "$(item pd "service PIJ90N7")" = "true found: Checkout API" ] || fail "pd: $(item pd "service PIJ90N7")"
item pdold "service PIJ90N7" | grep -q "^false .*PD_OLD_TOKEN" || fail "pdold: $(item pdold "service PIJ90N7")"
item hooks "webhook secret CHECK_UNSET_SECRET" | grep -q "^false not set here" || fail "hooks"
# The secrets travel only as headers: none is in the answer.
! grep -q -e pd-secret -e jira-secret -e old-pd-9f2c "$T/out" || fail "a token is in the output"
[ "$(written)" = "$before" ] || fail "source check wrote: was '$before', now '$(written)'"

# Named ones only; all passing is exit status 0, and the text lists each check.
ok source check jira pd jen
expect_out "jira (jira): ok, 2 requests"
expect_out "  ok     project PAY: found: Payments"
expect_out "jen (jenkins): ok, 1 request; paused since "
# The example in docs/cli.md says what the text shows: gh, a readable repository and a
# missing one, as there.
run source check gh
expect_status 1
doc=$(grep -E '^    gh \(github\): FAILED, ' "$ROOT/docs/cli.md") || fail "no gh line in the docs' example"
expect_out "${doc#    }"
shape=$(grep -oE ': 404 Not Found: [^{]*' "$T/out")
grep -qF -- "$shape" "$ROOT/docs/cli.md" || fail "the docs' example does not show a 404 as '$shape'"
# A name given twice is checked once.
ok source check pd pd --json
expect_json 'map(.source) | join(",")' pd
# An unknown name: exit status 4, before any request.
requests=$(wc -l <"$API_LOG")
run source check pd nope
expect_status 4
expect_err "no source 'nope'"
[ "$(wc -l <"$API_LOG")" = "$requests" ] || fail "requests were made before the unknown name was found"
run --as E201 source check
expect_status 3
[ "$(wc -l <"$API_LOG")" = "$requests" ] || fail "a refused check made requests"

# An API that does not answer (here a port nobody listens on; a host that never answers
# costs each attempt its timeout) is tried once: the source's other items are not tried,
# so one dead host cannot hold the check for minutes.
closed=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ok source add github --name ghdead --repo acme/a --repo acme/b --repo acme/c --api-url "http://127.0.0.1:$closed"
run source check ghdead --json
expect_status 1
expect_json '.[0].requests' 2
expect_json '[.[0].checks[] | select(.what | startswith("repository")) | .ok] | map(tostring) | join(",")' "false,false,false"
[ "$(item ghdead "repository acme/c")" = "false not tried: the API answered no earlier request" ] ||
	fail "ghdead: $(item ghdead "repository acme/c")"

# What an API answers is shown without its control characters: a service whose name holds a
# terminal's escape sequence and a line break can neither redraw the screen nor forge a line.
ok source add pagerduty --name pdesc --service PESC --api-url "$API_URL" --token-env PD_TOKEN
ok source check pdesc
expect_out "  ok     service PESC: found: Checkout?[2J?ok     forged API"
! grep -q "$(printf '\033')" "$T/out" || fail "an escape character from the API is in the output"
expect_out_lines 3
# A repository renamed upstream: GitHub redirects the old name, but the events and webhooks
# name the new one, which the source does not read.
ok source add github --name ghren --repo acme/oldname --repo ACME/Widgets --api-url "$API_URL"
run source check ghren --json
expect_status 1
[ "$(item ghren "repository acme/oldname")" = "false renamed upstream to acme/newname: give the source --repo acme/newname ('plumb source set ghren --repo ...')" ] ||
	fail "ghren: $(item ghren "repository acme/oldname")"
# A name in another case is the same repository (GitHub compares names in any case).
item ghren "repository ACME/Widgets" | grep -q "^true readable" || fail "ghren widgets: $(item ghren "repository ACME/Widgets")"
# A webhook secret not set where the check runs (plumb serve reads it where it runs) fails
# its own line only: the repositories are still tried (found by an acceptance pass: the
# failed secret line skipped every API check, so a source checked from an admin's shell
# said nothing of its repositories).
ok source add github --name ghhook --repo acme/widgets --api-url "$API_URL" --webhook-secret-env CHECK_UNSET_SECRET
run source check ghhook --json
expect_status 1
item ghhook "webhook secret CHECK_UNSET_SECRET" | grep -q "^false not set here" || fail "ghhook secret"
[ "$(item ghhook "repository acme/widgets")" = "true readable (private, default branch main)" ] ||
	fail "ghhook: the repository was not checked: $(json '.[0].checks')"
