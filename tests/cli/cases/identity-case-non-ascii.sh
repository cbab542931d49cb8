# Case-blind accounts (GitHub logins, emails) fold ASCII letters only, the same on both engines:
# resolve, link, unlink and the events a link attributes agree between SQLite and PostgreSQL
# for text with other letters. (PostgreSQL's lower() of a parameter folded É to é by the
# server's locale, where lower() of a column, as SQLite's, folds ASCII only.)
init_db
file uni.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
E1,José Núñez,josé@acme.example,,eng,Engineer,L3,ic,backend,ES,2020-01-01
E2,Ödön Kiss,odon@acme.example,E1,eng,Engineer,L3,ic,backend,HU,2020-01-01
CSV
ok org import uni.csv
# The primary email in another case of its ASCII letters is the same address...
ok identity resolve email 'JOSé@ACME.example' --json
expect_json .employee_id E1
# ...but an upper-case É is another letter, on either engine.
run identity resolve email 'JOSÉ@acme.example' --json
expect_status 4
expect_err "no person you may see has email identity 'JOSÉ@acme.example'"
# So it is not E1's primary email: linking it to E2 is no conflict. The commit an author of that
# address made is attributed to E2 by the link, whatever the case of its ASCII letters.
mkdir commits
file commits/commits.json <<'JSON'
[{"sha": "1111111111111111111111111111111111111111",
  "html_url": "https://github.com/acme/widgets/commit/1111111111111111111111111111111111111111",
  "commit": {"author": {"name": "Ödön", "email": "JOSÉ@ACME.example", "date": "2024-03-02T10:29:58Z"},
             "committer": {"name": "GitHub", "email": "noreply@github.com", "date": "2024-03-02T10:29:59Z"},
             "message": "Fix"},
  "author": null, "parents": []}]
JSON
ok source add github --name gh --repo acme/widgets
ok ingest --source gh commits
[ "$(sql "SELECT COUNT(*) FROM events WHERE person_id IS NULL")" = 1 ] || fail "the commit should be unattributed"
ok identity link email 'JOSÉ@acme.example' --person E2
expect_out "linked to E2"
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id")" = E2 ] ||
	fail "the link did not attribute the commit to E2: $(sql "SELECT account_email, person_id FROM events")"
ok identity resolve email 'josÉ@ACME.EXAMPLE' --json
expect_json .employee_id E2
ok identity resolve email 'josé@acme.example' --json
expect_json .employee_id E1
# Unlinking in another case of its ASCII letters finds it, and the commit goes back to nobody.
ok identity unlink email 'JOSÉ@ACME.EXAMPLE'
expect_out "unlinked from E2"
[ "$(sql "SELECT COUNT(*) FROM events WHERE person_id IS NULL")" = 1 ] || fail "the commit should be unattributed again"
true
