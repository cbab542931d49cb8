# user add creates a user with roles (optionally scoped to a team), grants more later, refuses repeats and bad roles; the roles decide what --as sees.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
run user add --person E102 --role people-partner:nosuch
expect_status 4
expect_err "no team 'nosuch' for role people-partner:nosuch"
run user add --person E102 --role manager:payments
expect_status 2
expect_err "role manager cannot be limited to an org unit"
run user add --person E102 --role bogus
expect_status 2
expect_err "invalid role 'bogus'"
run user add --person E999 --role employee
expect_status 4
expect_err "no person with employee id E999"
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM users")" = 1 ] || fail "a refused user add created a user"

ok user add --person E102 --role employee
expect_out "user E102 created"
ok --as E102 person list --json
expect_json '[.[] | .employee_id] | join(" ")' E102
ok user add --person E102 --role people-partner:payments
expect_out "user E102 updated"
ok --as E102 person list --json
expect_json '[.[] | .employee_id] | join(" ")' "E101 E102 E103 E104 E105 M001"
run --as E102 person show E201
expect_status 3
run user add --person E102 --role employee
expect_status 5
expect_err "user E102 already has these roles"
ok user list --json
expect_json '.[] | select(.user == "E102") | .roles | join(", ")' "employee, people-partner:payments"
expect_json '.[] | select(.user == "E102") | .person_name' "Nguyen, Minh"
ok audit log --object user:E102 --json
expect_json '[.[] | .action] | join(",")' user.create,user.grant
expect_json '.[1].detail.granted | join(",")' people-partner:payments
# A leader of engineering sees everyone; an unscoped people partner too.
ok user add --person H001 --role leader:engineering
ok --as H001 person list --json
expect_json length 12
# An admin user for a person can run admin commands with --as.
ok user add --person M002 --role admin
ok --as M002 audit verify
# At most 16 roles per user: the 17th grant is refused, not silently dropped later.
for t in $(seq 1 16); do printf '  - name: unit%02d\n    kind: permanent\n' "$t"; done | { echo 'teams:'; cat; } >units.yaml
ok org import units.yaml
ok user add --person E103 --role employee
args=()
for t in $(seq 1 15); do args+=(--role "people-partner:unit$(printf %02d "$t")"); done
ok user add --person E103 "${args[@]}"
run user add --person E103 --role people-partner:unit16
expect_status 5
expect_err "a user may hold at most 16 roles"
ok --as E103 person show E103
# A person whose employee id is admin gets no roles through the built-in admin user, which is nobody.
{ head -1 "$FIXTURES/org-small.csv"; echo 'admin,Ad Min,ad.min@acme.example,H001,engineering,Engineer,L3,ic,backend,US,2020-01-01,,,,,'; } >admin.csv
ok org import admin.csv
before=$(counts)
run user add --person admin --role employee
expect_status 5
expect_err "person admin cannot have a user: 'admin' is the built-in admin user"
expect_counts "$before"
ok user list --json
expect_json '.[] | select(.user == "admin") | .roles | join(",")' admin
expect_json '.[] | select(.user == "admin") | .person_name' null
