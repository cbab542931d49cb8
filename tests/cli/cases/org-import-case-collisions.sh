# GitHub logins and email addresses are one account in any letter case: an import that
# gives one to two people in two spellings (in the file, or against the database) is
# refused, naming both lines or the owner, and writes nothing.  The same person in
# another spelling is no conflict, and the stored spelling stays.
init_db
people() { sql "SELECT COUNT(*) FROM people"; }
identities() { sql "SELECT COUNT(*) FROM identities"; }
HEAD=employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date

# Within one file, into an empty database.
before=$(counts)
file gh.csv <<CSV
$HEAD,github_login
N001,Ann Ames,ann@x.example,,eng,Head of Engineering,M3,manager,manager,DE,2020-01-01,Alice
N002,Bo Berg,bo@x.example,N001,eng,Software Engineer,L3,ic,backend,SE,2021-01-01,alice
CSV
run org import gh.csv
expect_status 1
expect_err "plumb: error: gh.csv:3: github_login: github 'alice' is also claimed by N001 (line 2, as 'Alice')"
expect_err "hint: nothing was imported"
expect_counts "$before"
[ "$(people)" = 0 ] && [ "$(identities)" = 0 ] || fail "rows written"

file mail.csv <<CSV
$HEAD
N001,Ann Ames,Q@x.example,,eng,Head of Engineering,M3,manager,manager,DE,2020-01-01
N002,Bo Berg,q@x.example,N001,eng,Software Engineer,L3,ic,backend,SE,2021-01-01
CSV
run org import mail.csv
expect_status 1
expect_err "plumb: error: mail.csv:3: email: email 'q@x.example' is also claimed by N001 (line 2, as 'Q@x.example')"
expect_counts "$before"

# A primary email and another person's extra email, in two spellings.
file mixed.csv <<CSV
$HEAD,emails
N001,Ann Ames,ann@x.example,,eng,Head of Engineering,M3,manager,manager,DE,2020-01-01,Bo@X.example
N002,Bo Berg,bo@x.example,N001,eng,Software Engineer,L3,ic,backend,SE,2021-01-01,
CSV
run org import mixed.csv
expect_status 1
expect_err "mixed.csv:3: email: email 'bo@x.example' is also claimed by N001 (line 2, as 'Bo@X.example')"
expect_counts "$before"

# Against the database.
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
np=$(people) ni=$(identities)
file steal.csv <<CSV
$HEAD,github_login
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,DWhitfield
CSV
run org import steal.csv
expect_status 1
expect_err "plumb: error: steal.csv:2: github_login: github 'DWhitfield' already belongs to H001 (as 'dwhitfield')"
expect_counts "$before"
[ "$(people)" = "$np" ] && [ "$(identities)" = "$ni" ] || fail "rows written"

file steal2.csv <<CSV
$HEAD,emails
N1,Nina Novak,Dana.Whitfield@ACME.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,Sofia@Rossi.example
CSV
run org import steal2.csv
expect_status 1
expect_err "plumb: error: steal2.csv:2: email: email 'Dana.Whitfield@ACME.example' already belongs to H001 (as 'dana.whitfield@acme.example')"
expect_err "steal2.csv:2: emails: email 'Sofia@Rossi.example' already belongs to E103 (as 'sofia@rossi.example')"
expect_counts "$before"

# Jira and PagerDuty ids are exact: another spelling is another account.
file jira.csv <<CSV
$HEAD,jira_account_id
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,JIRA-5F1A0001
CSV
ok org import jira.csv --dry-run
expect_counts "$before"

# The same person in another spelling: no conflict, nothing added, the stored spelling stays.
sed -e 's/^H001,\(.*\),dwhitfield,jira-5f1a0001,PD0001,dana@acme-old.example;dwhitfield@acme.example$/H001,\1,DWhitfield,jira-5f1a0001,PD0001,Dana@Acme-Old.example;dwhitfield@acme.example;DWhitfield@acme.example/' \
	"$FIXTURES/org-small.csv" >recase.csv
grep -q '^H001,.*,DWhitfield,.*;DWhitfield@acme.example$' recase.csv || fail "fixture edit did not apply"
ok org import recase.csv --json
expect_json .identities_added 0
[ "$(identities)" = "$ni" ] || fail "identities added"
[ "$(sql "SELECT login FROM identities WHERE system = 'github' AND login LIKE 'dw%'")" = dwhitfield ] ||
	fail "stored spelling changed"
ok identity resolve github dwhitfield --json
expect_json .employee_id H001
# Resolve matches as ingestion attributes: a login or an email in any letter case.
ok identity resolve github DWhitfield --json
expect_json .employee_id H001
ok identity resolve email "$(sql "SELECT upper(email) FROM people WHERE employee_id = 'H001'")" --json
expect_json .employee_id H001
