# An impossible date (2023-02-30) or a non-ISO date is an error naming file, line and field; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file baddate.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2023-02-30,
N2,Omar Haddad,omar@acme.example,M001,payments,Software Engineer,L3,ic,backend,FR,2023-02-01,02/03/2024
N3,Pia Pohl,pia@acme.example,M001,payments,Software Engineer,L3,ic,backend,AT,2023-02-01,2022-12-31
CSV
run org import baddate.csv
expect_status 1
expect_err "plumb: error: baddate.csv:2: start_date: '2023-02-30' is not a valid date; expected YYYY-MM-DD"
expect_err "baddate.csv:3: end_date: '02/03/2024' is not a valid date"
expect_err "baddate.csv:4: end_date: 2022-12-31 is before start_date 2023-02-01"
expect_err "detail: 2 more errors"
expect_counts "$before"
