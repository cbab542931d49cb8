# Broken CSV syntax and bad values (unterminated quote, text after a quote, empty file, no rows, bad email, bad id) are errors naming file, line and column; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
H='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date'
printf '%s\nN1,"Nina,nina@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-01-01\n' "$H" >unterminated.csv
run org import unterminated.csv
expect_status 1
expect_err "plumb: error: unterminated.csv:2: column 2 (name): unterminated quoted field"
printf '%s\nN1,"Nina"x,nina@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-01-01\n' "$H" >after.csv
run org import after.csv
expect_status 1
expect_err "plumb: error: after.csv:2: column 2 (name): text after a closing quote"
: >empty.csv
run org import empty.csv
expect_status 1
expect_err "plumb: error: empty.csv: empty file"
printf '%s\n' "$H" >header.csv
run org import header.csv
expect_status 1
expect_err "header.csv:1: rows: the file lists nobody"
printf '%s\nN1,Nina,nina-at-acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-01-01\n' "$H" >email.csv
run org import email.csv
expect_status 1
expect_err "email.csv:2: email: 'nina-at-acme.example' is not an email address"
printf '%s\nN 1,Nina,nina@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-01-01\n' "$H" >id.csv
run org import id.csv
expect_status 1
expect_err "id.csv:2: employee_id: 'N 1' is not a valid id"
# A quoted field may hold a line break: later errors name the physical line.
printf '%s\nN1,"Nina\nNovak",nina@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-01-01\nN2,Omar,omar@acme.example,M001,payments,Engineer,L3,ic,backend,XX,2024-01-01\n' "$H" >multiline.csv
run org import multiline.csv
expect_status 1
expect_err "multiline.csv:4: country: 'XX'"
# Empty required values.
printf '%s\nN1,,nina@acme.example,M001,,Engineer,,ic,,DE,2024-01-01\n' "$H" >blank.csv
run org import blank.csv
expect_status 1
expect_err "blank.csv:2: name: empty"
expect_err "blank.csv:2: team: empty"
expect_err "blank.csv:2: level: empty"
expect_err "blank.csv:2: role_profile: empty"
expect_err "detail: 3 more errors"
expect_counts "$before"
