# slo import: another spelling of the same duration (720h for 30d, 24h for 1d, 600s for a 10m
# slice) is formatting, not a changed meaning: no new version and no audit entry, as the docs
# say of an unchanged SLO (found hunting: each stored a new version).  A real change still does.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
sed 's/duration: 30d/duration: 720h/; s/duration: 1d/duration: 24h/; s/timeSliceWindow: 10m/timeSliceWindow: 600s/' \
	"$FIXTURES/slo/api.yaml" >"$T/respelled.yaml"
before=$(sql "SELECT COUNT(*) FROM audit_log")
ok slo import respelled.yaml --json
expect_json '"\(.created) \(.changed) \(.unchanged)"' "0 0 2"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "an unchanged import wrote an audit entry"
[ "$(sql "SELECT COUNT(*) FROM slos")" = 2 ] || fail "an unchanged import stored a version"
ok slo status --json
expect_json '[.[] | "\(.name) \(.version) \(.window)"] | join(",")' "api-availability 1 30d,api-latency 1 1d"
# A different length is a new version, kept as the file writes it.
sed 's/duration: 30d/duration: 672h/' "$FIXTURES/slo/api.yaml" >"$T/shorter.yaml"
ok slo import shorter.yaml --json
expect_json '"\(.created) \(.changed) \(.unchanged)"' "0 1 1"
ok slo status --slo api-availability --json
expect_json '.[0] | "\(.version) \(.window)"' "2 672h"
