# An account a user enters is held to its own system's rule: a GitHub login to GitHub's
# (letters, digits and single hyphens, not first, at most 39 characters, an app's with
# [bot] after, an Enterprise Managed User's with _SHORTCODE), a Jira, Jenkins or PagerDuty
# id to one word, an address to an address without blanks that show nothing. So says identity link, the org import (file, line and
# field, nothing written) and a source's --bot, which was held to a GitHub login's rule
# whatever its kind, and the org import took logins with spaces, which matched no event
# (found in session 52). What an API names is kept: a GitHub login it gives outside the
# rule is stored, listed and linked all the same.
init_db
ok org import "$FIXTURES/org-small.csv"

# identity link
before=$(counts)
for login in a.b mona_toolongcode 'a--b' "$(printf 'x%.0s' $(seq 40))" 'bot[bot]x'; do
	run identity link github "$login" --person E102
	expect_status 2
	expect_err "'$login' is not a valid github account"
	expect_err "detail: a GitHub login: letters, digits and single hyphens"
done
expect_counts "$before"
ok identity link github "$(printf 'x%.0s' $(seq 39))" --person E102
ok identity link github 'renovate-app[bot]' --person E102
ok identity link github old-login- --person E102
ok identity link github mona-cat_octo --person E102
ok identity link jira '557058:f58131cb-b67d-43c7-b30d-6b58d40bd077' --person E102

# The API's login outside the rule is kept, and linked as it is held, in any case.
ok source add github --name gh --repo acme/widgets
mkdir gh && cp "$FIXTURES"/github/*.json gh/
sed -i 's/"login": "carol"/"login": "Carol.Old"/' gh/pulls.json
ok ingest --source gh gh
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'carol.old'")" -ge 1 ] || fail "the API's login was not kept"
ok identity link github Carol.Old --person E105
expect_out "linked to E105; 1 event"

# org import: file, line and field; nothing written
before=$(counts)
nbsp=$(printf '\302\240') zwsp=$(printf '\342\200\213')
file bad.csv <<CSV
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login,jira_account_id,pagerduty_user_id,emails
A1,Ann Ames,ann@acme.example$nbsp,,eng,Head,M3,manager,manager,DE,2020-01-01,ann.ames,jira ann,PD 1,
A2,Bo Berg,bo@acme.example,A1,eng,Engineer,L3,ic,backend,SE,2021-01-01,bo-berg,jira-bo,PDBO,${zwsp}bo@old.example
CSV
run org import bad.csv
expect_status 1
expect_err "bad.csv:2: email: 'ann@acme.example$nbsp' is not an email address"
expect_err "bad.csv:2: github_login: 'ann.ames' is not a GitHub login: letters, digits and single hyphens"
expect_err "bad.csv:2: jira_account_id: 'jira ann' is not a jira account: one word, without spaces"
expect_err "bad.csv:2: pagerduty_user_id: 'PD 1' is not a pagerduty account: one word, without spaces"
expect_err "bad.csv:3: emails: '${zwsp}bo@old.example' is not an email address"
expect_counts "$before"
# A GitHub login outside the rule that plumb holds already (linked above as the API named
# it, or imported before) is still taken from the file.
sed 's/,alima,/,Carol.Old,/' "$FIXTURES/org-small.csv" >held.csv
grep -q ',Carol.Old,' held.csv || fail "held.csv was not made"
ok org import held.csv

# source add --bot: the kind's own accounts, or an address
ok source add jira --name jira --url https://acme.atlassian.net --project PAY --bot '557058:f58131cb-b67d' --bot automation@acme.example
ok source add pagerduty --name pd --bot PXYZ123
ok source add jenkins --name ci --url https://ci.acme.example --job build --bot build_robot
ok source add github --name gh2 --org acme --bot 'release-robot[bot]' --bot ci@acme.example
before=$(counts)
run source add github --name gh3 --org acme --bot release.robot
expect_status 2
expect_err "--bot 'release.robot': expected a GitHub login: letters, digits and single hyphens"
run source set gh --bot -robot
expect_status 2
expect_err "--bot '-robot': expected a GitHub login"
run source add jira --name jira2 --url https://acme.atlassian.net --project PAY --bot 'Automation for Jira'
expect_status 2
expect_err "--bot 'Automation for Jira': expected a Jira account id, one word, or an email address"
run source add prometheus --name prom --api-url https://prometheus.example:9090 --bot x
expect_status 2
expect_err "--bot goes with a source of accounts, not a prometheus source"
expect_counts "$before"
ok audit verify
