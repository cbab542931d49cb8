# Two rows of one file claiming one GitHub login is an error naming both rows; nothing is written.
init_db
before=$(counts)
file dupgh.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login
A1,Ann Ames,ann@acme.example,,eng,Head of Engineering,M3,manager,manager,DE,2020-01-01,octocat
A2,Bo Berg,bo@acme.example,A1,eng,Software Engineer,L3,ic,backend,SE,2021-01-01,bberg
A3,Cy Chan,cy@acme.example,A1,eng,Software Engineer,L3,ic,backend,SG,2021-01-01,octocat
CSV
run org import dupgh.csv
expect_status 1
expect_err "plumb: error: dupgh.csv:4: github_login: github 'octocat' is also claimed by A1 (line 2)"
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM people")" = 0 ] || fail "people written"
