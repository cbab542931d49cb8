# Importing a realistic HRIS export (tests/fixtures/org-small.csv) gives the right counts, teams, people, history and identities.
init_db
ok org import "$FIXTURES/org-small.csv"
expect_out "$FIXTURES/org-small.csv: 12 rows: 12 people created, 0 updated, 0 unchanged, 0 ended; 3 teams created, 0 updated; 37 identities added; 0 history changes"
[ "$(sql "SELECT COUNT(*) FROM people")" = 12 ] || fail "people not written"

ok org show --json
expect_json .people_active 11
expect_json .people_ended 1
expect_json .teams 3
expect_json .project_teams 0
expect_json .services 0
expect_json .identities 37
expect_json .users 1
expect_json .countries 4
expect_json '[.team_list[] | .name] | join(",")' engineering,payments,search
expect_json '.team_list[0] | [.kind, .parent, .depth, .members, .members_total, .lead.employee_id] | map(tostring) | join(" ")' \
	"permanent null 0 1 11 H001"
expect_json '.team_list[1] | [.parent, .depth, .members, .lead.employee_id, .lead.name] | map(tostring) | join("|")' \
	"engineering|1|5|M001|Jonas Becker"
expect_json '.team_list[2] | [.parent, .members, .lead.employee_id] | map(tostring) | join("|")' "engineering|5|M002"

ok org tree
expect_out "engineering  1 person (11 with subteams), lead H001 Dana Whitfield"
expect_out "  payments  5 people (5 with subteams), lead M001 Jonas Becker"
expect_out "  search  5 people (5 with subteams), lead M002 Priya Raman"
expect_out_lines 3
ok org tree payments --json
expect_json 'length' 1
expect_json '.[0].name' payments
run org tree nosuchteam
expect_status 4
expect_err "no team 'nosuchteam'"

# A person with a quoted name holding a comma.
ok person show E102 --json
expect_json .name "Nguyen, Minh"
expect_json .team payments
expect_json .manager_id M001
expect_json .manager_name "Jonas Becker"
expect_json .level L3
expect_json .track ic
expect_json .role_profile backend
expect_json .country US
expect_json .start_date 2021-02-15
expect_json .end_date null
expect_json .active true
expect_json '[.identities[] | .system + ":" + .login] | join(" ")' "github:mnguyen jira:jira-5f1a0102"
expect_json '.history | length' 3
expect_json '[.history[] | .kind + "=" + .value + "@" + .valid_from + "/" + (.valid_to | tostring)] | join(" ")' \
	"level=L3@2021-02-15T00:00:00.000Z/null manager=M001@2021-02-15T00:00:00.000Z/null team=payments@2021-02-15T00:00:00.000Z/null"

# The head: no manager, two direct reports, extra emails as identities.
ok person show H001 --json
expect_json .manager_id null
expect_json .direct_reports 2
expect_json '[.identities[] | select(.system == "email") | .login] | join(" ")' "dana@acme-old.example dwhitfield@acme.example"
expect_json '[.identities[] | select(.system == "pagerduty") | .login] | join(" ")' PD0001

# The person with an end date is ended.
ok person show E105 --json
expect_json .end_date 2025-03-31
expect_json .active false
ok person show E105
expect_out "employed    2021-07-01 to 2025-03-31 (ended)"

run person show E999
expect_status 4
expect_err "no person with employee id E999"

# Identities resolve to their person, including extra emails and the primary email.
ok identity resolve github srossi --json
expect_json .employee_id E103
ok identity resolve email s.rossi@acme-old.example --json
expect_json .employee_id E103
expect_json .name "Sofia Rossi"
ok identity resolve email priya.raman@acme.example --json
expect_json .employee_id M002
ok identity resolve pagerduty PD0204 --json
expect_json .employee_id E204
ok identity resolve jira jira-5f1a0105
expect_out "E105  Ana Lima <ana.lima@acme.example>"
run identity resolve github nobody
expect_status 4
expect_err "no person you may see has github identity 'nobody'"

# person list --csv: a header row, one row per person, RFC 4180 quoting and CRLF.
ok person list --csv
expect_out_lines 13
[ "$(head -1 "$T/out")" = $'employee_id,name,team,level,manager_id,role_profile,country,active\r' ] || fail "bad CSV header"
expect_out $'E102,"Nguyen, Minh",payments,L3,M001,backend,US,yes\r'
expect_out $'E105,Ana Lima,payments,L2,M001,backend,DE,no\r'
expect_out $'H001,Dana Whitfield,engineering,M5,,manager,US,yes\r'
ok person list --team search --json
expect_json '[.[] | .employee_id] | join(" ")' "E201 E202 E203 E204 M002"
ok person list --json
expect_json 'length' 12
expect_json '[.[] | .employee_id] | join(" ")' "E101 E102 E103 E104 E105 E201 E202 E203 E204 H001 M001 M002"
