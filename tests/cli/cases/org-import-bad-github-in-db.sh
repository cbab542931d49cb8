# A GitHub login (or extra email) that already belongs to someone in the database cannot be claimed by another person; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file steal.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,tbaker
CSV
run org import steal.csv
expect_status 1
expect_err "plumb: error: steal.csv:2: github_login: github 'tbaker' already belongs to E104"
expect_counts "$before"
ok identity resolve github tbaker --json
expect_json .employee_id E104
before=$(counts) # the resolve above is an audited read
file steal2.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,emails
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,nina@home.example;sofia@rossi.example
CSV
run org import steal2.csv
expect_status 1
expect_err "steal2.csv:2: emails: email 'sofia@rossi.example' already belongs to E103"
expect_counts "$before"
# Re-importing the owner with the same login is fine.
ok org import "$FIXTURES/org-small.csv"
expect_out "0 identities added"
