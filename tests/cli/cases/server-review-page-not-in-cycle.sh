# A cycle's score, review and packet pages of a person the actor may see who is not reviewed in
# that cycle are 404 pages saying so (found hunting: 400 "Bad request"), as the score's API
# route is, and the CLI exits 4 (not found), as feedback does; for a person outside the actor's
# scope (or no person at all) they stay the 403 that tells nothing of the cycle.  Where the
# person is a field of the request (a nomination's or decision's "for", --for) the same is
# invalid input, 400 and exit 1: a value given wrongly, not a missing resource (docs/cli.md).
sqlite_only "the pages are a face over the review services, whose SQL runs on PostgreSQL in the evaluation-* cases"
demo_db
leader=$(token E001 read)   # the leader of engineering: everyone in scope
engineer=$(token E018 read) # an engineer: only themselves
serve
# E085 is not in 2026-q4-checkin (payments and search).
for page in scores review packets; do
	http GET "/cycles/2026-q4-checkin/$page/E085" -H "Authorization: Bearer $leader"
	expect_http 404
	grep -qF '<title>Not found (404) - plumb</title>' "$T/out" || fail "$page: $(grep -o '<title>[^<]*' "$T/out")"
	grep -qF 'E085 is not reviewed in cycle &#39;2026-q4-checkin&#39;' "$T/out" || fail "$page does not say why"
	for who in E085 E021 E999; do
		http GET "/cycles/2026-q4-checkin/$page/$who" -H "Authorization: Bearer $engineer"
		expect_http 403
		grep -qF 'reviewed in cycle' "$T/out" && fail "$page of $who tells an engineer of the cycle"
	done
done
writer=$(token E001 write)
http POST /api/v1/cycles/2026-q4-checkin/nominations -H "Authorization: Bearer $writer" \
	-H 'Content-Type: application/json' -d '{"for":"E085","reviewer":"E018"}'
expect_http 400
expect_json .error.code invalid_input
expect_json .error.message "E085 is not reviewed in cycle '2026-q4-checkin'"
http POST /api/v1/cycles/2026-q4-checkin/decisions -H "Authorization: Bearer $writer" \
	-H 'Content-Type: application/json' -d '{"for":"E085","reviewer":"E018","decision":"approve"}'
expect_http 400
expect_json .error.message "E085 is not reviewed in cycle '2026-q4-checkin'"
http GET /api/v1/cycles/2026-q4-checkin/scores/E085 -H "Authorization: Bearer $leader"
expect_http 404
expect_json .error.code not_found
expect_json .error.message "E085 is not reviewed in cycle '2026-q4-checkin'"
stop_server
run --as E001 score show --cycle 2026-q4-checkin --person E085
expect_status 4
expect_err "E085 is not reviewed in cycle '2026-q4-checkin'"
for verb in nominate decide; do
	extra=()
	[ $verb = decide ] && extra=(--decision approve)
	run --as E001 cycle $verb --cycle 2026-q4-checkin --for E085 --reviewer E018 "${extra[@]}"
	expect_status 1
	expect_err "E085 is not reviewed in cycle '2026-q4-checkin'"
done
