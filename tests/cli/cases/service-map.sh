# service map says which service a repository (or a directory of it), a Jenkins job or a
# PagerDuty service belongs to; owner-of resolves by the longest covering prefix; a remap
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
expect_out "was already mapped to pay-api"
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
refused 2 "give --repo OWNER/NAME, --job NAME or --pagerduty ID" pay-api
refused 2 "give one of --repo, --job and --pagerduty" pay-api --repo acme/x --job y
refused 2 "--repo 'acme': expected OWNER/NAME" pay-api --repo acme
refused 2 "--path goes with --repo" pay-api --job build --path x
refused 2 "--path '../x': expected a path in the repository" pay-api --repo acme/x --path ../x
refused 2 "--path '/': expected a path in the repository" pay-api --repo acme/x --path /
refused 2 "--job 'a/../b': expected a job name" pay-api --job a/../b
refused 2 "--pagerduty 'P-1': expected a PagerDuty service id" pay-api --pagerduty P-1
# Only an admin maps; anyone may read the mappings.
ok user add --person M001 --role manager
run --as M001 service map pay-api --repo acme/y
expect_status 3
ok --as M001 service mappings
ok --as M001 service owner-of --repo acme/payments
