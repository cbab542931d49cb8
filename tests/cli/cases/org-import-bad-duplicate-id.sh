# An employee_id listed twice is an error naming the second line and the first; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file dupid.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
N2,Omar Haddad,omar@acme.example,M001,payments,Software Engineer,L3,ic,backend,FR,2024-02-01
N1,Nina Nowak,nina.nowak@acme.example,M002,search,Software Engineer,L3,ic,backend,PL,2024-03-01
CSV
run org import dupid.csv
expect_status 1
expect_err "plumb: error: dupid.csv:4: employee_id: N1 appears twice (first on line 2)"
expect_counts "$before"
