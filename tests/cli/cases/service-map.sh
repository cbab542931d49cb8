# service map says which service a repository (or a directory of it), a Jenkins job, a
# PagerDuty service or a Jira project belongs to; owner-of resolves by the longest covering prefix; a remap
# moves it (audited with the previous service); bad input is refused with nothing written.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set pay-api --team payments --effective 2026-01-01
ok service set pay-web --team payments --effective 2026-01-01
ok service set pay-web-legacy --team payments --effective 2026-01-01
ok service map pay-api --repo acme/payments
expect_out "github acme/payments mapped to pay-api"
ok service map pay-web --repo acme/payments --path web/
ok service map pay-web-legacy --repo acme/payments --path web/legacy
ok service map pay-api --job payments/build
ok service map pay-api --pagerduty PIJ90N7
owner() { ok service owner-of "$@"; cat "$T/out"; }
[ "$(owner --repo acme/payments --path web/src/app.ts)" = pay-web ] || fail "web/src/app.ts"
[ "$(owner --repo acme/payments --path web/legacy/old.js)" = pay-web-legacy ] || fail "longest prefix"
[ "$(owner --repo acme/payments --path /web/legacy)" = pay-web-legacy ] || fail "leading slash"
[ "$(owner --repo acme/payments --path webapp/x)" = pay-api ] || fail "web/ must not cover webapp/"
[ "$(owner --repo acme/payments --path web)" = pay-web ] || fail "the directory itself"
[ "$(owner --repo acme/payments)" = pay-api ] || fail "whole repository"
[ "$(owner --job payments/build)" = pay-api ] || fail "job"
[ "$(owner --pagerduty PIJ90N7)" = pay-api ] || fail "pagerduty"
# One spelling of paths and repositories: "//", "./", ".." and case do not change the answer.
[ "$(owner --repo ACME/Payments --path web//src)" = pay-web ] || fail "case and //"
[ "$(owner --repo acme/payments --path web/legacy/../app.ts)" = pay-web ] || fail ".."
[ "$(owner --repo acme/payments --path ./web/./legacy)" = pay-web-legacy ] || fail "./"
run service owner-of --repo acme/payments --path ../etc/passwd
expect_status 2
expect_err "--path '../etc/passwd': expected a path in the repository"
ok service map pay-api --repo ACME/PAYMENTS
# Said as stored, in lower case (found in acceptance: the spelling given was echoed).
expect_out "github acme/payments was already mapped to pay-api"
ok service owner-of --repo acme/payments --path web/legacy/x --json
expect_json '.service + " " + .matched_path' "pay-web-legacy web/legacy"
run service owner-of --repo acme/other
expect_status 4
expect_err "no service is mapped to github acme/other"
# Mapping again: the same target is no change; another moves it, audited with the previous one.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok service map pay-web --repo acme/payments --path web
expect_out "was already mapped to pay-web"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "an unchanged mapping was audited"
ok service map pay-api --repo acme/payments --path web/
[ "$(owner --repo acme/payments --path web/x)" = pay-api ] || fail "remap"
ok audit log --json --limit 1
expect_json '.[0].action + " " + .[0].object_id + " " + .[0].detail.previous + " -> " + .[0].detail.service' \
	"service.map github:acme/payments/web pay-web -> pay-api"
ok service mappings --json
expect_json 'length' 5
expect_json 'map("\(.system) \(.key) \(.path) \(.service)") | join(",")' \
	"github acme/payments  pay-api,github acme/payments web pay-api,github acme/payments web/legacy pay-web-legacy,jenkins payments/build  pay-api,pagerduty PIJ90N7  pay-api"
# Refused, nothing written.
before="$(sql "SELECT COUNT(*) FROM service_mappings") $(sql "SELECT COUNT(*) FROM audit_log")"
refused() { # STATUS MESSAGE ARGS...
	local want=$1 msg=$2; shift 2
	run service map "$@"
	expect_status "$want"
	expect_err "$msg"
	[ "$(sql "SELECT COUNT(*) FROM service_mappings") $(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "refused map wrote: $*"
}
refused 4 "no service nope" nope --repo acme/x
# A name no service can have is not "no service", whose hint would create it as service set
# refuses (found in acceptance).
refused 2 "'pay api' is not a valid service name" "pay api" --repo acme/x
! grep -qF "service set" "$T/err" || fail "the hint offers a service set of an invalid name"
refused 2 "give --repo OWNER/NAME, --job NAME, --pagerduty ID or --jira-project KEY" pay-api
refused 2 "give one of --repo, --job, --pagerduty and --jira-project" pay-api --repo acme/x --job y
refused 2 "give one of --repo, --job, --pagerduty and --jira-project" pay-api --jira-project PAY --job y
refused 2 "--repo 'acme': expected OWNER/NAME" pay-api --repo acme
refused 2 "--path goes with --repo" pay-api --job build --path x
refused 2 "--path '../x': expected a path in the repository" pay-api --repo acme/x --path ../x
refused 2 "--path '/': expected a path in the repository" pay-api --repo acme/x --path /
refused 2 "--job 'a/../b': expected a job name" pay-api --job a/../b
refused 2 "--pagerduty 'P-1': expected a PagerDuty service id" pay-api --pagerduty P-1
refused 2 "--pagerduty 'pij90n7': expected a PagerDuty service id, upper-case letters and digits" pay-api --pagerduty pij90n7
# A Jira project key as source add takes it: upper case, starting with a letter.
refused 2 "--jira-project 'pay': expected a Jira project key (upper-case letters, digits and '_', starting with a letter), such as PAY" pay-api --jira-project pay
refused 2 "--jira-project '1PAY': expected a Jira project key" pay-api --jira-project 1PAY
refused 2 "--jira-project 'PAY-1': expected a Jira project key" pay-api --jira-project PAY-1
refused 2 "--path goes with --repo" pay-api --jira-project PAY --path x
# Only an admin maps; anyone may read the mappings.
ok user add --person M001 --role manager
run --as M001 service map pay-api --repo acme/y
expect_status 3
ok --as M001 service mappings
ok --as M001 service owner-of --repo acme/payments

# Events carry no file paths: a repository only a directory of which is mapped is not made a
# service of its own at ingest; its events get no service, and the summary names it.
ok service set widgets-web --team payments --effective 2020-01-01
ok service map widgets-web --repo acme/widgets --path web/
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
expect_out "15 events of acme/widgets have no service: only paths of it are mapped, and events carry no paths ('plumb service map SERVICE --repo acme/widgets' maps it as a whole)"
expect_no_out "became a service"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name = 'acme.widgets'")" = 0 ] || fail "acme/widgets was made a service"
widgets() { sql "SELECT COUNT(*) FROM events WHERE owner_key = 'acme/widgets' AND $1"; }
[ "$(widgets "service_id IS NOT NULL")/$(widgets "1 = 1")" = 0/15 ] || fail "events of a path-only repository got a service"
ok ingest --source gh "$FIXTURES/github" --json
expect_json '"\(.path_only_repos) \(.path_only_events) \(.services_created)"' "1 15 0"
# Mapped as a whole, the stored events follow at once, each with the team that owned the
# service when it happened; moved to another service, they follow again.
ok service set widgets --team search --effective 2024-03-03
ok service map widgets --repo acme/widgets
expect_out "15 stored events moved, with the owning team as of their times"
team_of_pr() { # NUMBER: "service team" of pull request acme/widgets#NUMBER
	sql "SELECT s.name || ' ' || COALESCE(t.name, '-') FROM events e JOIN services s ON s.id = e.service_id LEFT JOIN teams t ON t.id = e.team_id WHERE e.kind = 'pull_request' AND e.external_id = 'acme/widgets#$1'"
}
[ "$(team_of_pr 101)/$(team_of_pr 103)" = "widgets -/widgets search" ] || fail "after mapping: $(team_of_pr 101)/$(team_of_pr 103)"
[ "$(widgets "service_id IS NULL")" = 0 ] || fail "events were left without the service"
ok service map widgets-web --repo acme/widgets
[ "$(team_of_pr 101)/$(team_of_pr 103)" = "widgets-web payments/widgets-web payments" ] || fail "after the move: $(team_of_pr 101)/$(team_of_pr 103)"
ok ingest --source gh "$FIXTURES/github" --json
expect_json '"\(.path_only_repos) \(.services_created)"' "0 0"
# A thing ingest made a service of its own: mapping it moves its events out of that service.
ok source add jenkins --name ci --url https://ci.acme.example --job platform/build
ok ingest --source ci "$FIXTURES/jenkins/job-builds.json"
expect_out "unowned until a team is assigned ('plumb service unowned')"
# Listed as unowned, most events first, with what is mapped to it; pay-api has a team.
ok service unowned --json
expect_json '.[] | select(.service == "jenkins.deploy-web") | "\(.events) \(.mapped | join(","))"' \
	"3 jenkins:deploy-web"
expect_json '[.[].events] == ([.[].events] | sort | reverse)' true
expect_json '[.[] | select(.service == "pay-api" or .service == "widgets")] | length' 0
[ "$(sql "SELECT COUNT(DISTINCT s.name) || ' ' || MIN(s.name) FROM events e JOIN services s ON s.id = e.service_id WHERE e.owner_system = 'jenkins'")" = "1 jenkins.deploy-web" ] ||
	fail "jenkins events not on jenkins.deploy-web"
ok service map pay-api --job deploy-web
expect_out "3 stored events moved"
ok audit log --json
expect_json '[.[] | select(.action == "service.map")] | last | .detail.events_moved' 3
[ "$(sql "SELECT COUNT(*) FROM events e JOIN services s ON s.id = e.service_id WHERE e.owner_system = 'jenkins' AND s.name = 'jenkins.deploy-web'")" = 0 ] ||
	fail "events stayed on the adopted service"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN services s ON s.id = e.service_id WHERE e.owner_system = 'jenkins' AND s.name = 'pay-api'")" = 3 ] ||
	fail "events did not follow the mapping"
# A file moves the events of every key it maps as a whole, in one pass over the events, each
# entry audited with its own count and the events given the team as of their times.
file moves.yaml <<'YAML'
services:
  widgets:
    repos: [acme/widgets, {repo: acme/widgets, path: docs}]
  pay-web:
    jobs: [deploy-web]
  pay-api:
    repos: [acme/payments]
YAML
ok service map --file "$T/moves.yaml"
expect_out "4 mappings in $T/moves.yaml: 3 new or moved, 1 already so"
expect_out "18 stored events moved, with the owning team as of their times"
[ "$(team_of_pr 101)/$(team_of_pr 103)" = "widgets -/widgets search" ] || fail "after the file: $(team_of_pr 101)/$(team_of_pr 103)"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN services s ON s.id = e.service_id WHERE e.owner_system = 'jenkins' AND s.name = 'pay-web'")" = 3 ] ||
	fail "the job's events did not follow the file"
ok audit log --json
expect_json '[.[] | select(.action == "service.map")][-3:] | map("\(.detail.key)/\(.detail.path) \(.detail.previous) \(.detail.events_moved)") | join(",")' \
	"acme/widgets/ widgets-web 15,acme/widgets/docs null 0,deploy-web/ pay-api 3"
# Emptied by the mapping, it stays listed, with no events.
ok service unowned
grep -q "^jenkins.deploy-web  *0 " "$T/out" || fail "the emptied service: $(cat "$T/out")"
# A job or repository name that is no service name: the adopted service's name is cut to fit
# and carries a hash of the key, so the ingest goes through and two keys never share one.
sed 's|/job/deploy-web/|/job/Deploy%20Web%20(prod)/|g' "$FIXTURES/jenkins/job-builds.json" >prod.json
ok ingest --source ci prod.json
expect_out "1 unmapped thing became a service"
hash=$(printf 'jenkins:Deploy Web (prod)' | sha256sum | cut -c1-8)
ok service mappings --json
expect_json '.[] | select(.key == "Deploy Web (prod)") | .service' "jenkins.Deploy-Web-prod-$hash"
long=acme/$(printf 'w%.0s' $(seq 1 70))
ok source add github --name gl --repo "$long"
sed "s#acme/widgets#$long#g" "$FIXTURES/github/pulls.json" >long.json
ok ingest --source gl long.json
hash=$(printf 'github:%s' "$long" | sha256sum | cut -c1-8)
name=acme.$(printf 'w%.0s' $(seq 1 50))-$hash
[ ${#name} = 64 ] || fail "test: $name is not 64 characters"
ok service mappings --json
expect_json ".[] | select(.key == \"$long\") | .service" "$name"
# Jira issues name a project, not a service (found in audit: work items never had a service,
# so issue_cycle_time --team was always empty).  Unmapped, a project becomes the unowned
# service jira.KEY at ingest, as a repository does; mapped, its stored work items move to
# the service and count for the team that owned it when each happened.
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok ingest --source jira "$FIXTURES/jira"
expect_out "2 unmapped things became services of their own"
ok service mappings --json
expect_json '[.[] | select(.system == "jira") | "\(.key) \(.service)"] | join(",")' "OPS jira.OPS,PLAT jira.PLAT"
ok service list --json
expect_json '[.[] | select(.name | startswith("jira.")) | "\(.name):\(.team)"] | join(",")' "jira.OPS:null,jira.PLAT:null"
ok metrics show issue_cycle_time --team payments --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value.n' 0
# ... and says why: the work items done then belong to no team.
expect_json '.notes | map(select(test("work (item done in the period belongs|items done in the period belong) to no team"))) | length' 1
ok service set platform-work --team payments --effective 2020-01-01
ok service map platform-work --jira-project PLAT
expect_out "jira PLAT mapped to platform-work"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN services s ON s.id = e.service_id JOIN teams t ON t.id = e.team_id WHERE e.owner_system = 'jira' AND e.owner_key = 'PLAT' AND s.name = 'platform-work' AND t.name = 'payments'")" = 2 ] ||
	fail "PLAT's work items did not follow the mapping to platform-work of payments"
ok service owner-of --jira-project PLAT
expect_out platform-work
ok metrics show issue_cycle_time --team payments --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value * 3600000 | round)"' "1 169199123"
expect_json '.notes | map(select(test("belongs? to no team"))) | length' 0
expect_references_intact
