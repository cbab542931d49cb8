# A track other than ic or manager is an error naming file, line and field; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file badtrack.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,individual,backend,DE,2024-02-01
CSV
run org import badtrack.csv
expect_status 1
expect_err "plumb: error: badtrack.csv:2: track: 'individual' is not a track; expected ic or manager"
expect_counts "$before"
