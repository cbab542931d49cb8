# Read commands on a freshly initialized database (no people, teams or services) succeed with empty results.
init_db
ok org show --json
expect_json .people_active 0
expect_json .teams 0
expect_json '.team_list | length' 0
ok org show
expect_out "0 people active (0 ended), 0 countries"
ok org tree
expect_out_lines 1
expect_out "no teams yet (plumb org import FILE)"
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
expect_out "no people yet (plumb org import FILE)"
ok service list --json
expect_json length 0
ok service list
expect_out_lines 1
expect_out "no services yet (plumb service set NAME --team TEAM"
# Every list says, as text, that it is empty and how to fill it, rather than print a lone
# header; --json is an empty array and --csv the header alone (an empty table).
empty_list() { # empty_list 'COMMAND ARGS' MESSAGE [csv]
	ok $1
	expect_out_lines 1
	expect_out "$2"
	ok $1 --json
	expect_json length 0
	if [ "${3:-}" = csv ]; then
		ok $1 --csv
		expect_out_lines 1
		! grep -qF -- "$2" "$T/out" || fail "'plumb $1 --csv' printed the empty message"
	fi
}
empty_list 'slo status' "no SLOs yet (plumb slo import FILE, an OpenSLO YAML file)" csv
empty_list 'source list' "no sources yet (plumb source add KIND --name NAME)" csv
empty_list 'service mappings' "no mappings yet (plumb service map SERVICE --repo OWNER/NAME, or --file FILE)" csv
empty_list 'token list' "no tokens yet (plumb token create --user USER" csv
empty_list 'token list --user admin' "no tokens of admin (plumb token create" csv
empty_list 'hold list' "no legal holds in force (plumb hold add --person EMPLOYEE_ID --reason TEXT; --all lists released ones)" csv
empty_list 'hold list --all' "no legal holds yet (plumb hold add" csv
empty_list 'consent list' "no consent records yet (plumb consent grant --person EMPLOYEE_ID --mechanism KEY)" csv
empty_list 'signoff list' "no sign-offs yet (plumb signoff request METRIC)"
empty_list 'calibrate session list' "no calibration sessions you may read (a session's facilitator, participants and people partners over its population read it; plumb calibrate session create --cycle CYCLE"
empty_list 'identity unmatched' "every account seen in events, bots aside, is matched to a person (--bots lists the bots)" csv
empty_list 'identity unmatched --bots' "every account seen in events is matched to a person" csv
empty_list 'metrics proposals' "no proposed definitions (plumb metrics define FILE proposes one)" csv
empty_list 'metrics review-due' "no definition is due for review" csv
empty_list 'cycle list' "no review cycles yet (plumb cycle create NAME --kind K --scope TEAM)"
empty_list 'service unowned' "every service has an owning team" csv
empty_list 'events list --kind deployment' "no deployment events yet (plumb sync, plumb ingest or a webhook brings them)" csv
empty_list 'events list --kind incident --since 2020-01-01' "no incident events match" csv
empty_list 'sync --status' "no sources yet (plumb source add KIND --name NAME)" csv
empty_list 'audit log --object person:E1' "no audit entries match" csv
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
