# A line with the wrong number of fields (an unquoted comma) is an error naming file and line; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file fields.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
N2,Haddad, Omar,omar@acme.example,M001,payments,Software Engineer,L3,ic,backend,FR,2024-02-01
CSV
run org import fields.csv
expect_status 1
expect_err "plumb: error: fields.csv:3: expected 11 fields, found 12"
expect_err "hint: quote fields that contain commas"
expect_counts "$before"
file short.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE
CSV
run org import short.csv
expect_status 1
expect_err "short.csv:2: expected 11 fields, found 10"
expect_counts "$before"
