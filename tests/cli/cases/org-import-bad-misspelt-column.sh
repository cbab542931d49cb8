# A misspelt column (manger_id) is an error with a "did you mean" hint, not a silently ignored column; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file misspelt.csv <<'CSV'
employee_id,name,email,manger_id,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
CSV
run org import misspelt.csv
expect_status 1
expect_err "plumb: error: misspelt.csv:1: unknown column 'manger_id'"
expect_err "hint: did you mean 'manager_id'?"
expect_counts "$before"
file misspelt2.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,githb_login
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,nnovak
CSV
run org import misspelt2.csv
expect_status 1
expect_err "misspelt2.csv:1: unknown column 'githb_login'"
expect_err "did you mean 'github_login'?"
expect_counts "$before"
