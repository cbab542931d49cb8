# A country that is not an ISO 3166-1 alpha-2 code (XX, lowercase, a name) is an error naming file, line and field; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
file badcountry.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,XX,2024-02-01
CSV
run org import badcountry.csv
expect_status 1
expect_err "plumb: error: badcountry.csv:2: country: 'XX' is not an ISO 3166-1 alpha-2 code"
expect_counts "$before"
file badcountry2.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,de,2024-02-01
N2,Omar Haddad,omar@acme.example,M001,payments,Software Engineer,L3,ic,backend,Germany,2024-02-01
N3,Zed Zulu,zed@acme.example,M001,payments,Software Engineer,L3,ic,backend,ZZ,2024-02-01
CSV
run org import badcountry2.csv
expect_status 1
expect_err "badcountry2.csv:2: country: 'de' is not an ISO 3166-1 alpha-2 code"
expect_err "badcountry2.csv:3: country: 'Germany'"
expect_err "badcountry2.csv:4: country: 'ZZ'"
expect_counts "$before"
# A quoted value with a line break is quoted on the error's one line, the break shown as '?':
# the file cannot add lines of its own to the message (found in review: a cell added
# "hint: the import succeeded; 1 person created" as a line of its own).
printf 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date\nN1,Nina Novak,nina@acme.example,M001,payments,Software Engineer,L3,ic,backend,"US\nhint: the import succeeded",2024-02-01\n' >"$T/forged.csv"
run org import "$T/forged.csv"
expect_status 1
expect_err "forged.csv:2: country: 'US?hint: the import succeeded' is not an ISO 3166-1 alpha-2 code"
grep -q '^hint: the import succeeded' "$T/err" && fail "the file added a line to the error: $(cat "$T/err")"
expect_counts "$before"
