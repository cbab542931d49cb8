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
sed 's/^    2: Below expectations$/    2: "Below\\nexpectations"/' "$fw" >label.yaml
bad framework label.yaml "scales.five_point.2" 'Below'
# Lines are still welcome where text is prose: an expectation may run over several.
ok framework import "$fw"
pol="$ROOT/examples/policy.yaml"
sed 's/^name: .*/name: "Example\\npolicy"/' "$pol" >pname.yaml
before=$(state)
bad policy pname.yaml name '^name:'
sed 's/^    name: Commit metadata$/    name: "Commit\\nmetadata"/' "$pol" >mname.yaml
bad policy mname.yaml "mechanisms[0].name" 'Commit'
sed -e 's/^  model: federated$/  model: centralized/' -e 's/^  # central_owner: Platform$/  central_owner: "Plat\\tform"/' "$pol" >owner.yaml
bad policy owner.yaml "ownership.central_owner" 'central_owner:'
ok policy import "$pol"

# A version stored before the rule is read as it was accepted then: a level name with a tab
# (or a prohibited mechanism's approval, below) would otherwise leave every command that
# reads the stored version failing, a cycle pinned to it for good (found in review).
store_text() { # TABLE VERSION FILE: the stored text of that version, as an older plumb kept it
	local sha
	sha=$(sha256sum "$3" | cut -d' ' -f1)
	python3 - "$3" "$T/text.sql" "$1" "$2" "$sha" <<'PY'
import sys
text = open(sys.argv[1]).read().replace("'", "''")
col = "source_text" if sys.argv[3] == "policies" else "text"
open(sys.argv[2], "w").write(f"UPDATE {sys.argv[3]} SET {col} = '{text}', sha256 = '{sys.argv[5]}' WHERE version = {sys.argv[4]}")
PY
	sql "$(cat "$T/text.sql")" || fail "could not store $3"
}
# (A tag too: refused at import since, read as before.)
sed -e 's/{id: L2, name: Engineer II}/{id: L2, name: "Engineer\\tII"}/' -e 's/^name: /name: !!str /' "$fw" >stored-level.yaml
grep -q '^name: !!str ' stored-level.yaml || fail "stored-level.yaml"
store_text frameworks 1 stored-level.yaml
ok framework show --version 1 --json
expect_json '.tracks[] | select(.id == "ic") | .levels[1].name' "$(printf 'Engineer\tII')"
expect_json .name "Example Software engineering career framework"
sed 's/^    prohibited: true$/    prohibited: true\n    approval: leadership/' "$pol" >stored-policy.yaml
grep -q "approval: leadership" stored-policy.yaml || fail "stored-policy.yaml"
store_text policies 1 stored-policy.yaml
ok policy show
ok retention plan
