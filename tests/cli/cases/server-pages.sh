# The web pages over HTTP, without a browser: how a path finds its page. A team whose name
# holds a '/' ("R&D/Infra", sent as R%26D%2FInfra) has a page that the dashboard's links reach.
init_db
ok org import "$FIXTURES/org-small.csv"
file rnd.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
R001,Rita Dahl,rita.dahl@acme.example,H001,R&D/Infra,Engineer,L3,ic,backend,DE,2021-04-01
CSV
ok org import "$T/rnd.csv"
ok dashboard refresh
tok=$(token admin read)
serve
auth=(-H "Authorization: Bearer $tok")

# The dashboard links the team by its encoded name, and the link opens the team's page.
http GET / "${auth[@]}"
expect_http 200
grep -qF 'href="/teams/R%26D%2FInfra">R&amp;D/Infra</a>' "$T/out" || fail "the dashboard does not link the team"
http GET /teams/R%26D%2FInfra "${auth[@]}"
expect_http 200
grep -qF '<title>Team R&amp;D/Infra - plumb</title>' "$T/out" || fail "not the team's page: $(grep -o '<title>[^<]*' "$T/out")"
grep -qF 'Rita Dahl' "$T/out" || fail "the team's page lacks its member"
# Segments are split before they are decoded: an encoded '/' is part of a name, never a
# separator, and a NUL is no name.
http GET /teams/R%26D/Infra "${auth[@]}"
expect_http 404
http GET /teams/R%26D%00 "${auth[@]}"
expect_http 404
stop_server
grep -q 'GET /teams/{name} 200' "$T/access.log" || fail "access log lacks the team page's route"
