# A review cycle's page (/cycles/NAME, its People table) links only the pages its reader may
# open: every review page it links answers 200 to the reader it was shown to. The manager's
# review is their managers' and people partners'; a score and a packet stand on the manager's
# evaluation (none yet: not linked); the person's own score is theirs from the delivery phase
# on; an admin sees every row, for reminders, and links to none of the review content.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person M002 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
file r.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed}
  delivery: {rating: 3, no_evidence_reason: observed}
  collaboration: {rating: 3, no_evidence_reason: observed}
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 "$T/r.yaml"
serve
review_links() { grep -oE 'href="/cycles/a26/[^"]*"' "$T/page" | sed 's/^href="//; s/"$//' | sort -u; }
# links_open TOKEN: the cycle's page (kept in $T/page), then each review page it links, as one
# reader.
links_open() {
	http GET /cycles/a26 -H "Authorization: Bearer $1"
	expect_http 200
	cp "$T/out" "$T/page"
	local href
	for href in $(review_links); do
		http GET "$href" -H "Authorization: Bearer $1"
		[ "$HTTP_STATUS" = 200 ] || fail "/cycles/a26 links $href, which answers $HTTP_STATUS to its reader"
	done
}
links_open "$(token admin read)"
grep -qF 'Lukas Schmidt' "$T/page" || fail "the admin does not see the rows"
[ -z "$(review_links)" ] || fail "the admin is linked to review content: $(review_links | tr '\n' ' ')"
# The manager and the partner: E101's score and packet (evaluated), E102's not (not yet).
for who in M001 M002; do
	links_open "$(token "$who" read)"
	for href in /cycles/a26/review/E101 /cycles/a26/scores/E101 /cycles/a26/packets/E101 /cycles/a26/review/E102; do
		grep -qF "href=\"$href\"" "$T/page" || fail "$who's page does not link $href"
	done
	! grep -qE 'href="/cycles/a26/(scores|packets)/E102"' "$T/page" || fail "$who is linked to E102's score or packet, with no evaluation"
done
# The person: no score before delivery, then theirs; also when they are an admin, who sees
# every row (their manager's among them) before delivery.
links_open "$(token E101 read)"
[ -z "$(review_links | grep -E '/(scores|packets|review)/')" ] || fail "E101 is linked before delivery: $(review_links | tr '\n' ' ')"
ok user add --person E101 --role admin
links_open "$(token E101 read)"
[ -z "$(review_links | grep -E '/(scores|packets|review)/')" ] || fail "E101, an admin, is linked before delivery: $(review_links | tr '\n' ' ')"
for _ in 1 2 3 4 5; do ok cycle advance --cycle a26; done
links_open "$(token E101 read)"
grep -qF 'href="/cycles/a26/scores/E101">Your score' "$T/page" || fail "the delivered score is not linked"
links_open "$(token E102 read)"
# A reviewee without a manager (the head of engineering) has no manager's row: the evaluation
# a people partner wrote still gives their score and packet links (found in review).
ok user add --person E103 --role people-partner:engineering
ok cycle create h26 --kind annual --scope engineering --from 2026-01-01 --to 2026-12-31
ok --as E103 evaluation submit --cycle h26 --person H001 "$T/r.yaml"
http GET /cycles/h26 -H "Authorization: Bearer $(token E103 read)"
expect_http 200
cp "$T/out" "$T/page"
for href in /cycles/h26/scores/H001 /cycles/h26/packets/H001; do
	grep -qF "href=\"$href\"" "$T/page" || fail "the partner's page does not link $href"
	http GET "$href" -H "Authorization: Bearer $(token E103 read)"
	expect_http 200
done
stop_server
