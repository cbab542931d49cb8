# A manager_id that is neither in the file nor in the database is an error naming file, line and field; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file badmgr.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
N2,Omar Haddad,omar@acme.example,M404,search,Software Engineer,L3,ic,backend,FR,2024-02-01
CSV
run org import badmgr.csv
expect_status 1
expect_err "plumb: error: badmgr.csv:3: manager_id: manager M404 does not exist"
expect_err "hint: nothing was imported"
expect_counts "$before"
run person show N1
expect_status 4
