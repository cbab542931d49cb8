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
# A change failure rate below 100% is never shown as 100% (found in review: "%.1f%%" printed
# 0.9996 as 100.0%); one team's stored value set by hand, as only the page's text is under test.
ok dashboard --json
cfr=$(json '[.teams[] | select(.keys.change_failure_rate.value_id != null)][0].keys.change_failure_rate.value_id')
[ "$cfr" != null ] || fail "no stored change failure rate"
sql "UPDATE metric_values SET value = 0.9996 WHERE id = $cfr"
tok=$(token admin read)
serve
auth=(-H "Authorization: Bearer $tok")

# The dashboard links the team by its encoded name, and the link opens the team's page.
http GET / "${auth[@]}"
expect_http 200
grep -qF 'href="/teams/R%26D%2FInfra">R&amp;D/Infra</a>' "$T/out" || fail "the dashboard does not link the team"
grep -qF '99.96%' "$T/out" || fail "the change failure rate of 0.9996 is not 99.96%: $(grep -o '[0-9.]*%' "$T/out" | sort -u | tr '\n' ' ')"
http GET /teams/R%26D%2FInfra "${auth[@]}"
expect_http 200
grep -qF '<title>Team R&amp;D/Infra - plumb</title>' "$T/out" || fail "not the team's page: $(grep -o '<title>[^<]*' "$T/out")"
grep -qF 'Rita Dahl' "$T/out" || fail "the team's page lacks its member"
# Its weekly values are a column a week, headed by the week's Monday: twelve weeks in a row.
grep -o '<th scope="col"><time datetime="[0-9-]*">[A-Z][a-z]* [0-9]*</time></th>' "$T/out" |
	sed 's/.*datetime="\([0-9-]*\)".*/\1/' >"$T/weeks"
[ "$(wc -l <"$T/weeks")" = 12 ] || fail "the weekly table is not headed by 12 weeks: $(cat "$T/weeks")"
prev=
while read -r day; do
	[ "$(date -u -d "$day" +%u)" = 1 ] || fail "week $day does not start on a Monday"
	[ -z "$prev" ] || [ "$(date -u -d "$prev + 7 days" +%F)" = "$day" ] || fail "week $day does not follow $prev"
	prev=$day
done <"$T/weeks"
[ "$(date -u -d "$(head -1 "$T/weeks")" '+%b %-d')" = "$(grep -o '<time datetime="'"$(head -1 "$T/weeks")"'">[^<]*' "$T/out" | sed 's/.*>//')" ] ||
	fail "the first week's heading is not its date"
[ "$(grep -o '<td class="num"><a href="/metric-values/[0-9]*">' "$T/out" | wc -l)" -ge 12 ] || fail "the weeks' values are not in their columns"
# Segments are split before they are decoded: an encoded '/' is part of a name, never a
# separator, and a NUL is no name (a path with one is refused, server-request-target.sh).
http GET /teams/R%26D/Infra "${auth[@]}"
expect_http 404
http GET /teams/R%26D%00 "${auth[@]}"
expect_http 400
# A value's page says which version of each record it used, and when the record ended: a
# Jira issue reopened after the value shows "as version 1; version 2 since".
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok ingest --source jira "$FIXTURES/jira"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
vid=$(json .value.id); vid=${vid#metric-value:}
http GET "/metric-values/$vid" "${auth[@]}"
expect_http 200
grep -qF '<span class="note">version 1</span>' "$T/out" || fail "the value's page does not give the record's version"
grep -qF 'ended ' "$T/out" || fail "the value's page does not say when the record ended"
# The value as metrics show and explain write it, 46.99976 h to a tenth (found in the metrics
# hunt: the page wrote "46.9998 hours").
grep -qF '<dt>Value</dt><dd>47.0 h, median over 1 item' "$T/out" ||
	fail "the value's page: $(grep -o '<dt>Value</dt><dd>[^<]*' "$T/out")"
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .fields.resolutiondate = null |
	.fields.status.name = "In Progress" | .fields.status.statusCategory.key = "indeterminate" |
	.fields.updated = "2020-06-20T10:00:00.000+0800"]' \
	"$FIXTURES/jira/search-changelog.json" >"$T/plat-101-reopened.json"
ok ingest --source jira "$T/plat-101-reopened.json"
http GET "/metric-values/$vid" "${auth[@]}"
expect_http 200
grep -qF 'as version 1; version 2 since' "$T/out" || fail "the value's page does not say the record changed since"
# An id past 64 bits is no value, named as given (it was clamped to the largest id).
http GET "/metric-values/99999999999999999999" "${auth[@]}"
expect_http 404
grep -qF "no metric value &#39;99999999999999999999&#39;" "$T/out" || fail "an id past 64 bits: $(grep -o 'no metric value[^<]*' "$T/out")"
# A retired key says so on the dashboard, where a key not yet computed says that.
http GET / "${auth[@]}"
grep -qF '<span class="note">retired</span>' "$T/out" && fail "a key is retired already"
ok metrics retire recovery_time --reason "replaced"
http GET / "${auth[@]}"
grep -qF '<span class="note">retired</span>' "$T/out" || fail "the dashboard does not say recovery_time is retired"
stop_server
grep -q 'GET /teams/{name} 200' "$T/access.log" || fail "access log lacks the team page's route"

# An unsigned visit is sent to sign in and comes back after, its query with it (a packet's
# ?target-level=, a feedback form's ?relation=).
ok user add --person R001 --role employee
printf 'a long enough password\n' >"$T/pw"
ok user passwd R001 --password-file "$T/pw"
serve
jar="$T/jar"
there='/teams/R%26D%2FInfra?target-level=L3&note=a%20b%26c'
http GET "$there"
expect_http 303
tr -d '\r' <"$T/headers" | grep -qx 'Location: /signin?next=%2Fteams%2FR%2526D%252FInfra%3Ftarget-level%3DL3%26note%3Da%2520b%2526c' ||
	fail "the way to sign in forgets the query: $(grep -i '^location:' "$T/headers")"
curl -s -c "$jar" -b "$jar" "$URL$(tr -d '\r' <"$T/headers" | sed -n 's/^Location: //p')" -o "$T/form.html"
next=$(grep -o 'name="next" value="[^"]*"' "$T/form.html" | cut -d'"' -f4 | sed 's/&amp;/\&/g')
[ "$next" = "$there" ] || fail "the sign-in form's next is '$next'"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/form.html" | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode user=R001 \
	--data-urlencode "password=a long enough password" --data-urlencode "next=$next"
expect_http 303
tr -d '\r' <"$T/headers" | grep -qxF "Location: $there" || fail "not sent back: $(grep -i '^location:' "$T/headers")"
http GET "$there" -b "$jar"
expect_http 200

# The audit page's limit is 1 to 1000, a bad one a 400 naming it, not a silent default.
http GET "/audit?limit=5" "${auth[@]}"
expect_http 200
grep -qF 'The newest 5 entries' "$T/out" || fail "limit=5 did not show five entries"
for bad in abc -1 0 1001 99999999999999999999 +5 '%205'; do
	http GET "/audit?limit=$bad" "${auth[@]}"
	expect_http 400
	grep -qF 'limit: expected a whole number from 1 to 1000' "$T/out" || fail "limit=$bad: $(head -c 300 "$T/out")"
done
# Who may not read the log is refused, bad limit or not, and the refusal audited (found
# hunting: an employee's bad limit was a 400, as if they could have read it).
denied=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'R001'")
for limit in 0 5; do
	http GET "/audit?limit=$limit" -b "$jar"
	expect_http 403
	grep -qF 'needs the admin role' "$T/out" || fail "limit=$limit refused as: $(grep -o '<main.*' "$T/out" | head -c 300)"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'R001'")" = $((denied + 2)) ] ||
	fail "the refusals are not audited"
stop_server
