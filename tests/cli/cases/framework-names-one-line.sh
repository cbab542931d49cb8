# The names a framework or policy file gives (the framework's, a track's, a level's, a
# competency's, a profile's, a scale point's label; the policy's, a mechanism's) are one line:
# each is printed in tables, pages and packets, where a line break in a double-quoted
# "Engineer\nII" started a row of its own (found hunting: they were stored as written). A
# file with one is refused naming the line and field, and nothing is stored.
init_db
for f in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$f.yaml"; done
ok metrics approve reviews_given --version 1 --function development
ok metrics approve prs_merged --version 1 --function development
state() { sql "SELECT (SELECT COUNT(*) FROM frameworks)||' '||(SELECT COUNT(*) FROM policies)||' '||(SELECT COUNT(*) FROM audit_log)"; }
before=$(state)
line_of() { grep -n -m1 -- "$2" "$1" | cut -d: -f1; }
# bad KIND FILE FIELD: the import of FILE is refused at FIELD's line, storing nothing.
bad() {
	run "$1" import "$2"
	expect_status 1
	expect_err "plumb: error: $2:$(line_of "$2" "$4"): $3: a line break or tab: expected one line"
	[ "$(state)" = "$before" ] || fail "$2 wrote something: $(state) vs $before"
}
fw="$ROOT/examples/framework.yaml"
sed 's/^name: .*/name: "Example\\nladder"/' "$fw" >name.yaml
bad framework name.yaml name '^name:'
sed 's/{id: L2, name: Engineer II}/{id: L2, name: "Engineer\\nII"}/' "$fw" >level.yaml
bad framework level.yaml "tracks.ic.levels[1].name" 'id: L2'
sed 's/^    name: Delivery$/    name: "Deli\\tvery"/' "$fw" >competency.yaml
bad framework competency.yaml "competencies.delivery.name" 'Deli'
sed 's/^    name: Individual contributor$/    name: "Individual\\ncontributor"/' "$fw" >track.yaml
bad framework track.yaml "tracks.ic.name" 'Individual'
sed 's/^    name: Backend engineer$/    name: "Backend\\nengineer"/' "$fw" >profile.yaml
bad framework profile.yaml "profiles.backend.name" 'Backend'
# Lines are still welcome where text is prose: an expectation may run over several.
ok framework import "$fw"
pol="$ROOT/examples/policy.yaml"
sed 's/^name: .*/name: "Example\\npolicy"/' "$pol" >pname.yaml
before=$(state)
bad policy pname.yaml name '^name:'
sed 's/^    name: Commit metadata$/    name: "Commit\\nmetadata"/' "$pol" >mname.yaml
bad policy mname.yaml "mechanisms[0].name" 'Commit'
ok policy import "$pol"
