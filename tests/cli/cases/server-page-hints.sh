# A service's hint on a page is in the page's words: the services word hints for the CLI
# ("plumb cycle list shows the cycles", "use --as EMPLOYEE_ID"), and the error pages showed
# them as they are, which someone in a browser cannot act on (found hunting).  A command a
# page does becomes a link to that page; a hint naming another command or an option is left
# out.  The CLI keeps its words.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
printf 'a long enough password\n' >"$T/pw"
for u in M001 admin; do ok user passwd "$u" --password-file "$T/pw"; done
serve
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
}
# hint_is WANT: the page's hint is WANT (empty: it has none), in the page's words.
hint_is() {
	local hint
	hint=$(grep -o '<p>Hint: .*</p><p><a href="/">Back to the dashboard' "$T/out" | sed 's|<p><a href="/">Back.*||')
	[ "$hint" = "$1" ] || fail "the hint: '$hint', expected '$1'"
	grep -qE -- "plumb [a-z]+ [a-z]|--[a-z]" <<<"$hint" && fail "the hint is the CLI's: $hint"
	return 0
}
signin M001
http GET /cycles/nosuch -b "$jar"
expect_http 404
hint_is '<p>Hint: <a href="/reviews">the Reviews page</a> shows the cycles</p>'
http GET /teams/nosuch -b "$jar"
expect_http 404
hint_is '<p>Hint: <a href="/">the dashboard</a> lists the teams</p>'
# The command's arguments make the link: the review form of that cycle and person.
http GET /cycles/a26/scores/E101 -b "$jar"
expect_http 404
hint_is '<p>Hint: their manager submits one: <a href="/cycles/a26/review/E101">the manager review form</a></p>'
# The admin user is no person: the CLI's hint (use --as) has no page.
signin admin
http GET /me -b "$jar"
expect_http 404
grep -qF 'is not a person' "$T/out" || fail "not the refusal of /me: $(grep -o '<main.*' "$T/out")"
hint_is ''
# No page lists people or metric values: a hint naming 'plumb person list' or 'plumb metrics
# show' is the CLI's (found in review: both linked the dashboard as "the teams' pages").
http GET /people/NOSUCH -b "$jar"
expect_http 404
grep -qF 'no person with employee id NOSUCH' "$T/out" || fail "not the refusal: $(grep -o '<main.*' "$T/out")"
hint_is ''
http GET /metric-values/999999 -b "$jar"
expect_http 404
grep -qF 'no metric value 999999' "$T/out" || fail "not the refusal: $(grep -o '<main.*' "$T/out")"
hint_is ''
stop_server
# The CLI's words are unchanged.
run cycle status --cycle nosuch
expect_err "hint: plumb cycle list shows the cycles"
run --as M001 score show --cycle a26 --person E101
expect_err 'hint: their manager submits one: plumb evaluation submit --cycle a26 --person E101 FILE.yaml'
run me
expect_err 'hint: plumb me shows the signed-in person'
