# A file without a required column (country) is refused naming file, line 1 and the column; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file missing.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,2024-02-01
CSV
run org import missing.csv
expect_status 1
expect_err "plumb: error: missing.csv:1: missing required column country"
expect_err "detail: required: employee_id, name, email, manager_id, team, title, level, track, role_profile, country, start_date"
expect_counts "$before"
