# The YAML form (tests/fixtures/org-small.yaml) imports explicit teams with parents and kinds, people with email lists, and services with owners.
init_db
ok org import "$FIXTURES/org-small.yaml" --effective 2026-01-01
expect_out "org-small.yaml: 6 rows: 6 people created, 0 updated, 0 unchanged, 0 ended; 4 teams created, 0 updated; 10 identities added"
expect_out "services: 4 created, 0 updated"
ok org tree --json
expect_json '[.[] | .name + ":" + .kind + ":" + (.parent | tostring) + ":" + (.depth | tostring)] | join(" ")' \
	"engineering:permanent:null:0 mobile:permanent:engineering:1 launch-falcon:project:mobile:2 platform:permanent:engineering:1"
ok org tree
expect_out "    launch-falcon [project]  1 person (1 with subteams), 1 service, lead Y004 Mateus Costa"
ok org show --json
expect_json .project_teams 1
expect_json .services 4
expect_json .countries 6
ok person show Y001 --json
expect_json .manager_id null
expect_json '[.identities[] | .system + ":" + .login] | join(" ")' \
	"email:amazing.grace@acme.example email:grace@acme-old.example github:ghopper"
ok person show Y003 --json
expect_json .name "O'Brien, Siobhan"
expect_json .country IE
expect_json .manager_id Y002
expect_json '[.identities[] | .system + ":" + .login] | join(" ")' \
	"email:siobhan@obrien.example github:sobrien jira:jira-y003"
ok person show Y005 --json
expect_json .team launch-falcon
ok identity resolve email amazing.grace@acme.example --json
expect_json .employee_id Y001

ok service list --json
expect_json 'length' 4
expect_json '[.[] | .name + "@" + .team] | join(" ")' \
	"api-gateway@platform build-farm@platform falcon-beta@launch-falcon ios-app@mobile"
expect_json '.[0].owned_since' 2026-01-01T00:00:00.000Z
expect_json '.[0].description' "public HTTPS entry point"
ok audit log --object service:ios-app --json
expect_json '.[0].action' service.create

# Re-import unchanged: nothing to do.
ok org import "$FIXTURES/org-small.yaml" --effective 2026-01-01
expect_out "0 people created, 0 updated, 6 unchanged"
expect_no_out "services:"

# YAML errors name file, line and field; nothing is written.
before=$(counts)
file bad.yaml <<'YAML'
teams:
  - name: core
    kind: temporary
people:
  - employee_id: Z1
    name: Zoe Zhang
    email: zoe@acme.example
    manager_id: Y001
    team: core
    title: Engineer
    level: L3
    track: ic
    role_profile: backend
    country: CN
    start_date: "2024-01-01"
    shoe_size: 38
YAML
run org import bad.yaml
expect_status 1
expect_err "bad.yaml:16: unknown field 'shoe_size' in people"
expect_counts "$before"
sed -i '/shoe_size/d' bad.yaml
run org import bad.yaml
expect_status 1
expect_err "bad.yaml:2: kind: 'temporary' is not a team kind; expected permanent or project"
expect_counts "$before"
file bad2.yaml <<'YAML'
services:
  - name: orphan
    team: nosuchteam
YAML
run org import bad2.yaml
expect_status 1
expect_err "bad2.yaml:2: team: team 'nosuchteam' does not exist"
expect_counts "$before"
file bad3.yaml <<'YAML'
people: [ {employee_id: Z1
YAML
run org import bad3.yaml
expect_status 1
expect_err "bad3.yaml:"
expect_err "invalid YAML"
expect_counts "$before"
# A service's description is checked with the rest of the file, and an owner change dated
# before the current owner's start names the file, line and field too; nothing is written.
file bad4.yaml <<'YAML'
services:
  - name: api-gateway
    team: platform
    description: "two\nlines"
YAML
run org import bad4.yaml
expect_status 1
expect_err "bad4.yaml:2: description: not one line of UTF-8 text"
expect_counts "$before"
file bad5.yaml <<'YAML'
services:
  - name: build-farm
    team: platform
  - name: api-gateway
    team: mobile
YAML
run org import bad5.yaml --effective 2025-06-01
expect_status 5
expect_err "bad5.yaml:4: team: ownership change effective 2025-06-01 precedes the current owner's start 2026-01-01"
expect_counts "$before"
# A move `service set` scheduled for later: the file of an earlier date, which names the team that
# owns the service until then, is no change and no error; a move in the file before the scheduled
# one still is (found by scheduling a move, then importing the file of today: the import failed
# until the move's date).
ok service set api-gateway --team mobile --effective 2026-09-01
ok org import "$FIXTURES/org-small.yaml" --effective 2026-03-01
expect_no_out "services:"
ok service list --json
expect_json '.[] | select(.name == "api-gateway") | .team' mobile
sed '/name: api-gateway/{n;s/team: platform/team: launch-falcon/;}' "$FIXTURES/org-small.yaml" >moved-gateway.yaml
grep -q 'team: launch-falcon' moved-gateway.yaml || fail "fixture edit did not apply"
run org import moved-gateway.yaml --effective 2026-03-01
expect_status 5
expect_err "team: ownership change effective 2026-03-01 precedes the current owner's start 2026-09-01"
ok audit verify
