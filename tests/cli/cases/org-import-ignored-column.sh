# An extra column that is not close to a known one is reported as a warning on stderr and ignored; the import succeeds.
init_db
file extra.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,cost_center,github_login
A1,Ann Ames,ann@acme.example,,eng,Head of Engineering,M3,manager,manager,DE,2020-01-01,CC-100,aames
A2,Bo Berg,bo@acme.example,A1,eng,Software Engineer,L3,ic,backend,SE,2021-01-01,CC-200,bberg
CSV
ok org import extra.csv
expect_err "plumb: warning: extra.csv:1: column 'cost_center' is not used and was ignored"
expect_out "extra.csv: 2 rows: 2 people created"
ok org import extra.csv --json --effective 2026-01-01
expect_json '.ignored_columns | join(",")' cost_center
expect_json .people_unchanged 2
ok person show A2 --json
expect_json .manager_id A1
expect_json '.identities[0].login' bberg
[ "$(sql "SELECT COUNT(*) FROM people WHERE name LIKE '%CC-%' OR title LIKE '%CC-%'")" = 0 ] || fail "ignored column leaked into data"
