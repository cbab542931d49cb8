# Read commands on a freshly initialized database (no people, teams or services) succeed with empty results.
init_db
ok org show --json
expect_json .people_active 0
expect_json .teams 0
expect_json '.team_list | length' 0
ok org show
expect_out "0 people active (0 ended), 0 countries"
ok org tree
expect_out_lines 0
ok org tree --json
expect_json length 0
ok org tree --csv
expect_out_lines 1
ok person list --json
expect_json length 0
ok person list --csv
expect_out_lines 1
ok person list
expect_out_lines 1
ok service list --json
expect_json length 0
ok service list
expect_out_lines 1
ok user list --json
expect_json '[.[] | .user] | join(",")' admin
run person show E1
expect_status 4
# A team with nobody in it yet (declared in YAML) lists nobody.
file teams.yaml <<'YAML'
teams:
  - name: platform
  - name: newbies
    parent: platform
YAML
ok org import teams.yaml
expect_out "2 teams created"
ok person list --team newbies --json
expect_json length 0
ok org tree --json
expect_json '[.[] | .name + "@" + (.depth | tostring)] | join(" ")' "platform@0 newbies@1"
