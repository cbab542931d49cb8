# The people pages link only records their reader may open: an employee's own page names
# their manager without linking the manager's record, which is outside their scope; their
# manager and an admin see it linked. An analyst's team page shows members as pseudonyms,
# which no page takes: it links none of them but their own row, theirs in clear, to their
# own page.
init_db
ok org import "$FIXTURES/org-small.csv"
ok dashboard refresh
for u in E101 E201; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E201 --role analyst
serve
# people_links_open TOKEN PAGE: PAGE, then each person's page it links, as one reader.
people_links_open() {
	http GET "$2" -H "Authorization: Bearer $1"
	expect_http 200
	cp "$T/out" "$T/page"
	local href
	for href in $(grep -oE 'href="/people/[^"]*"' "$T/page" | sed 's/^href="//; s/"$//' | sort -u); do
		http GET "$href" -H "Authorization: Bearer $1"
		[ "$HTTP_STATUS" = 200 ] || fail "$2 links $href, which answers $HTTP_STATUS to its reader"
	done
}
people_links_open "$(token E101 read)" /people/E101
grep -qF 'Jonas Becker' "$T/page" || fail "the manager is not named on the employee's page"
people_links_open "$(token M001 read)" /people/E101
grep -qF 'href="/people/M001"' "$T/page" || fail "the manager's own record is not linked for them"
people_links_open "$(token M001 read)" /people/M001
people_links_open "$(token admin read)" /people/E101
grep -qF 'href="/people/M001"' "$T/page" || fail "the admin is not linked to the manager"
# The analyst: their team's members as pseudonyms, unlinked but for their own row.
people_links_open "$(token E201 read)" /teams/search
grep -qF 'href="/people/E201">Arjun Mehta<' "$T/page" ||
	fail "the analyst's own row does not link their page in clear: $(grep -o '<h2>Members.*' "$T/page")"
! grep -qF 'href="/people/P-' "$T/page" || fail "a pseudonym is linked"
# Whatever their user's name: their row links their person's page (found in review: it linked
# /people/USER, refused).
sql "UPDATE users SET name = 'arjun' WHERE name = 'E201'"
people_links_open "$(token arjun read)" /teams/search
grep -qF 'href="/people/E201">Arjun Mehta<' "$T/page" ||
	fail "the renamed analyst's own row does not link their page: $(grep -o '<h2>Members.*' "$T/page")"
