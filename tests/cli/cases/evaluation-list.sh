# A person's review cycles (evaluation list; GET /api/v1/people/{person}/evaluations; the
# "Reviews" section of /people/EID): the cycles the person is reviewed in whose evaluation the
# actor may read, as evaluation history decides it, each with its newest version. Their manager
# and a people partner over them see every cycle; the person sees their own, each evaluation
# from the delivery phase on; anyone else is refused as for an unknown id, and audited.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E201; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person M002 --role people-partner:payments
ok cycle create a25 --kind annual --scope payments --from 2025-01-01 --to 2025-12-31
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
rated 3 >"$T/r3.yaml"
rated 4 >"$T/r4.yaml"
ok --as M001 evaluation submit --cycle a25 --person E101 "$T/r3.yaml"
ok --as M001 evaluation submit --cycle a25 --person E101 --reason "second look" "$T/r4.yaml"
ok --as M001 evaluation submit --cycle a26 --person E101 "$T/r3.yaml"
# The newest version and its time, as evaluation history gives them.
newest() {
	"$PLUMB" --as M001 evaluation history --cycle "$1" --person "$2" --json |
		jq -r '.versions | max_by(.version) | "\(.version) \(.at)"'
}
listed() { json ".cycles[] | select(.cycle == \"$1\") | \"\(.latest_version) \(.evaluated_at)\""; }

# The manager: both cycles, the latest period first, each with its newest version.
ok --as M001 evaluation list --person E101 --json
[ "$(json '[.cycles[].cycle] | join(" ")')" = "a26 a25" ] || fail "cycles: $(cat "$T/out")"
[ "$(json .person)" = E101 ] || fail "person: $(json .person)"
[ "$(listed a25)" = "$(newest a25 E101)" ] || fail "a25: $(listed a25), history says $(newest a25 E101)"
[ "$(listed a26)" = "$(newest a26 E101)" ] || fail "a26: $(listed a26), history says $(newest a26 E101)"
[ "$(json '.cycles[0] | "\(.kind) \(.phase) \(.period_start) \(.period_end) \(.readable)"')" = "annual self_review 2026-01-01 2026-12-31 true" ] ||
	fail "a26's row: $(json '.cycles[0]')"
# Someone not rated yet: none, said as such.
ok --as M001 evaluation list --person E102
expect_out "none yet"
ok --as M001 evaluation list --person E102 --json
[ "$(json '[.cycles[] | .latest_version, .evaluated_at] | unique | map(tostring) | join(" ")')" = null ] ||
	fail "E102 has versions: $(cat "$T/out")"
# The people partner over payments reads the same.
manager_view=$(jq -c . "$T/out")
ok --as M002 evaluation list --person E102 --json
[ "$(jq -c . "$T/out")" = "$manager_view" ] || fail "the partner's view differs: $(cat "$T/out")"

# The person: their cycles, the evaluations hidden until the delivery phase.
ok --as E101 evaluation list --person E101 --json
[ "$(json '[.cycles[] | "\(.cycle):\(.readable):\(.latest_version)"] | join(" ")')" = "a26:false:null a25:false:null" ] ||
	fail "the person reads an undelivered evaluation: $(cat "$T/out")"
ok --as E101 evaluation list --person E101
expect_out "shown from the delivery phase"
for _ in 1 2 3 4 5; do ok cycle advance --cycle a25; done
ok --as E101 evaluation list --person E101 --json
[ "$(json '.cycles[] | select(.cycle == "a25") | "\(.phase) \(.readable)"')" = "delivery true" ] ||
	fail "a25 in delivery: $(cat "$T/out")"
[ "$(listed a25)" = "$(newest a25 E101)" ] || fail "the person's a25: $(listed a25)"
[ "$(json '.cycles[] | select(.cycle == "a26") | .readable')" = false ] || fail "a26 shown before delivery"

# Anyone else: refused as an unknown id is, with an access.denied entry.
run --as E102 evaluation list --person E101
expect_status 3
expect_err "plumb: error: permission denied: E101 is outside your scope"
run --as E102 evaluation list --person NOBODY
expect_status 3
expect_err "plumb: error: permission denied: NOBODY is outside your scope"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'E102'")" = 2 ] ||
	fail "the refusals are not audited"
# Someone in scope whose evaluations the actor may not read (the admin): an empty list.
ok evaluation list --person E101 --json
[ "$(json '.cycles | length')" = 0 ] || fail "the admin reads evaluations: $(cat "$T/out")"
ok evaluation list --person E101
expect_out "E101 is in no review cycle whose evaluation you may read"
# To whoever sees everyone, an unknown id is told as one.
run evaluation list --person NOBODY
expect_status 4
expect_err "plumb: error: no person has employee id 'NOBODY'"
run evaluation list
expect_status 2
expect_err "--person"
# Each read is audited, naming the person.
[ "$(sql "SELECT object_type || ':' || object_id FROM audit_log WHERE action = 'evaluation.list' AND actor = 'M002'")" = person:E102 ] ||
	fail "the partner's read is not audited"

# ---- the API and the person's page
serve
ok --as M001 evaluation list --person E101 --json
cli_view=$(jq -c . "$T/out")
http GET /api/v1/people/E101/evaluations -H "Authorization: Bearer $(token M001 read)"
expect_http 200
[ "$(jq -c . "$T/out")" = "$cli_view" ] || fail "the API's answer differs from the CLI's: $(cat "$T/out")"
http GET /api/v1/people/E101/evaluations -H "Authorization: Bearer $(token E102 read)"
expect_http 403
# The manager's page of the person links each cycle's review, score and packet.
http GET /people/E101 -H "Authorization: Bearer $(token M001 read)"
expect_http 200
for href in /cycles/a26 /cycles/a25 /cycles/a25/review/E101 /cycles/a25/scores/E101 /cycles/a25/packets/E101 /cycles/a26/scores/E101; do
	grep -qF "href=\"$href\"" "$T/out" || fail "the person's page does not link $href"
done
grep -qF 'The review cycles Lukas Schmidt is in' "$T/out" || fail "no Reviews section"
# The person's own page: the delivered score linked, the other cycle's not, no manager's pages.
http GET /people/E101 -H "Authorization: Bearer $(token E101 read)"
expect_http 200
grep -qF 'The review cycles you are in' "$T/out" || fail "no Reviews section on the person's own page"
grep -qF 'href="/cycles/a25/scores/E101">Your score' "$T/out" || fail "the delivered score is not linked"
! grep -qF 'href="/cycles/a26/scores/E101"' "$T/out" || fail "an undelivered score is linked"
! grep -qF '/review/E101"' "$T/out" || fail "the person is linked to their manager's review"
# Each linked page opens for its reader.
http GET /cycles/a25/scores/E101 -H "Authorization: Bearer $(token E101 read)"
expect_http 200
http GET /cycles/a25/review/E101 -H "Authorization: Bearer $(token M001 read)"
expect_http 200
# Someone not rated yet: the manager's review is linked, but no score or packet (their pages
# said not found).
http GET /people/E102 -H "Authorization: Bearer $(token M001 read)"
expect_http 200
grep -qF 'href="/cycles/a26/review/E102"' "$T/out" || fail "E102's manager review is not linked"
! grep -qE 'href="/cycles/a2[56]/(scores|packets)/E102"' "$T/out" ||
	fail "a score or packet without an evaluation is linked: $(grep -oE 'href="/cycles/[^"]*"' "$T/out")"
# Every review page the person's page links opens for the reader it was shown to.
review_links_open() { # TOKEN PAGE
	http GET "$2" -H "Authorization: Bearer $1"
	expect_http 200
	local href
	for href in $(grep -oE 'href="/cycles/[^"]*"' "$T/out" | sed 's/^href="//; s/"$//' | sort -u); do
		http GET "$href" -H "Authorization: Bearer $1"
		[ "$HTTP_STATUS" = 200 ] || fail "$2 links $href, which answers $HTTP_STATUS to its reader"
	done
}
review_links_open "$(token M001 read)" /people/E101
review_links_open "$(token M001 read)" /people/E102
review_links_open "$(token E101 read)" /people/E101
review_links_open "$(token M002 read)" /people/E102
# An analyst's own page: their record shows as its pseudonym, and the page still opens.
ok user add --person E201 --role analyst
http GET /people/E201 -H "Authorization: Bearer $(token E201 read)"
expect_http 200
stop_server
