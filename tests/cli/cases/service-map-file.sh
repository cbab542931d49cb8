# service map --file maps many repositories, jobs, PagerDuty services and Jira projects from one YAML file in
# one transaction: each change audited as service.map, the same file again changes nothing, a
# remap moves, and a bad line (unknown service, bad repository, a key mapped twice, an
# unknown field) names FILE:LINE and writes nothing.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set payments --team payments
ok service set ledger --team payments
file map.yaml <<'YAML'
# the platform team's map
services:
  payments:
    repos:
      - Acme/Payments
      - {repo: acme/mono, path: services/payments/}
    jobs: [payments/deploy]
    pagerduty: [PIJ90N7]
    jira_projects: [PAY]
  ledger:
    repos: [acme/ledger, {repo: acme/mono, path: services/ledger}]
YAML
ok service map --file "$T/map.yaml"
expect_out "7 mappings in $T/map.yaml: 7 new or moved, 0 already so"
ok service mappings --json
expect_json 'length' 7
expect_json '[.[] | select(.system == "jira")] | map("\(.key) \(.service)") | join(",")' "PAY payments"
expect_json '[.[] | select(.system == "github" and .key == "acme/payments")][0].service' payments
expect_json '[.[] | select(.key == "acme/mono" and .path == "services/ledger")][0].service' ledger
ok service owner-of --repo acme/mono --path services/payments/api/x.go
expect_out "payments"
ok audit log --json
expect_json '[.[] | select(.action == "service.map")] | length' 7
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok service map --file "$T/map.yaml"
expect_out "0 new or moved, 7 already so"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "an unchanged file was audited"
# acme/ledger moves to payments: one change, audited with the previous service.
file map2.yaml <<'YAML'
services:
  payments:
    repos: [acme/ledger]
YAML
ok service map --file "$T/map2.yaml"
expect_out "1 mapping in $T/map2.yaml: 1 new or moved, 0 already so"
ok audit log --json
expect_json '[.[] | select(.action == "service.map")][-1].detail.previous' ledger
ok service owner-of --repo acme/mono --path services/ledger/x
expect_out "ledger"
file map3.yaml <<'YAML'
services:
  payments:
    repos: [acme/payments]
    repos2: []
YAML
run service map --file "$T/map3.yaml"
expect_status 1
expect_err "map3.yaml:4: service payments: unknown field 'repos2': expected repos, jobs, pagerduty or jira_projects"
# Bad lines name the file and line, and nothing is written.
before=$(sql "SELECT COUNT(*) FROM service_mappings")/$(sql "SELECT COUNT(*) FROM audit_log")
bad() { # LINE-FRAGMENT MESSAGE: a file with that entry under payments is refused
	printf 'services:\n  payments:\n    repos: [acme/new-one]\n%s\n' "$1" >"$T/bad.yaml"
	run service map --file "$T/bad.yaml"
	[ "$status" -ne 0 ] || fail "accepted: $1"
	expect_err "$2"
	[ "$(sql "SELECT COUNT(*) FROM service_mappings")/$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] ||
		fail "a refused file wrote: $1"
}
bad '  nosuch:
    repos: [acme/x]' "bad.yaml:4: no service nosuch"
# Named on one line, its things on later ones: the service's line.
bad '  nosuch:
    repos:
      - acme/x' "bad.yaml:4: no service nosuch"
bad '  "pay api":
    repos: [acme/x]' "bad.yaml:4: 'pay api' is not a valid service name"
bad '    jobs: [../up]' "bad.yaml:4: --job '../up': expected"
bad '  ledger:
    repos: [acme/new-one]' "bad.yaml:5: github acme/new-one is mapped on line 3 already"
bad '    pagerduty: {id: P1}' "bad.yaml:4: service payments: pagerduty: expected a list"
bad '    repos: acme/other' "bad.yaml:4: service payments: repos given twice"
bad '    jobs: [a]
  ledger:' "bad.yaml:5: service ledger: expected repos, jobs, pagerduty and jira_projects lists"
bad '  ledger:
    jobs: x' "bad.yaml:5: service ledger: jobs: expected a list"
bad '    jobs: [a]
  ledger:
    repos: [{repo: acme/l, path: a, path: b}]' "bad.yaml:6: service ledger: repos: field path given twice"
bad '    jira_projects: [PAY, pay]' "bad.yaml:4: --jira-project 'pay': expected a Jira project key"
bad '  payments:
    jobs: [x]' "bad.yaml:4: service payments given twice"
bad 'extra: 1' "unknown section 'extra': expected services"
# An alias shared the anchored list: the repository "mapped twice" was named at the
# anchor's line both times (found in review).  No aliases: the alias's own line.
printf 'services:\n  payments:\n    repos: &r [acme/new-one]\n  ledger:\n    repos: *r\n' >"$T/bad.yaml"
run service map --file "$T/bad.yaml"
expect_status 1
expect_err "bad.yaml:5: an alias (*r): write the value out again; plumb reads no YAML aliases"
# Nested aliases, whose tree a walk would visit 10^9 nodes of ("billion laughs"), are
# refused at the first alias, before anything walks it.
{
	echo 'x0: &a0 [acme/a, acme/a, acme/a, acme/a, acme/a, acme/a, acme/a, acme/a, acme/a, acme/a]'
	for i in 1 2 3 4 5 6 7 8; do echo "x$i: &a$i [$(printf "*a$((i - 1)), %.0s" 1 2 3 4 5 6 7 8 9)*a$((i - 1))]"; done
	echo 'services: {payments: {repos: *a8}}'
} >"$T/laughs.yaml"
started=$(date +%s)
run service map --file "$T/laughs.yaml"
expect_status 1
expect_err "laughs.yaml:2: an alias (*a0)"
[ $(($(date +%s) - started)) -lt 10 ] || fail "nested aliases took $(($(date +%s) - started)) s"
# A byte that is not UTF-8 is named at its line, not line 1 (libyaml marks no line for it).
printf 'services:\n  payments:\n    repos: [acme/\377]\n' >"$T/latin1.yaml"
run service map --file "$T/latin1.yaml"
expect_status 1
expect_err "latin1.yaml:3: invalid YAML: invalid leading UTF-8 octet"
printf 'services:\n  payments:\n    repos: [[[[' >"$T/broken.yaml"
run service map --file "$T/broken.yaml"
expect_status 1
expect_err "broken.yaml:"
# --file goes alone: with a service or another option it is a usage error naming it.
run service map payments --file "$T/map.yaml"
expect_status 2
expect_err "option --file goes alone: no arguments or other options with it"
expect_err "hint: usage: plumb service map --file FILE"
run service map --repo acme/payments --file "$T/map.yaml"
expect_status 2
expect_err "option --file goes alone"
run service map
expect_status 2
expect_err "needs SERVICE, or --file FILE"
ok audit verify
