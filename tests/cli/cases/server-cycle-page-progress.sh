# The cycle page's completion share is never 100% while an assignment is not done, nor 0% once
# one is (found hunting: "%.0f%%" wrote 199 of 200 self reviews done as 100%, the cycle's
# progress read as finished with one outstanding).  The shares are the page's own arithmetic on
# the counts plumb cycle status gives; the counts are set in the database, as only the page's
# text is under test.
init_db
ok org import "$FIXTURES/org-small.csv"
{
	echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date"
	for i in $(seq 1 200); do
		printf 'B%03d,Bulk Person %d,bulk%d@acme.example,M001,bulk,Engineer,L3,ic,backend,DE,2021-04-01\n' "$i" "$i" "$i"
	done
	for i in $(seq 1 300); do
		printf 'C%03d,Crowd Person %d,crowd%d@acme.example,M001,crowd,Engineer,L3,ic,backend,DE,2021-04-01\n' "$i" "$i" "$i"
	done
} >"$T/bulk.csv"
ok org import "$T/bulk.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create q4 --kind checkin --scope bulk --scope crowd --from 2026-10-01 --to 2027-01-01
# Self reviews done: all but one of bulk's 200, one of crowd's 300.
sql "INSERT INTO feedback_responses (assignment_id, version, status, body, created_at, created_by)
	SELECT a.id, 1, 'submitted', '{}', 1, 'test' FROM review_assignments a JOIN people p ON p.id = a.reviewee_id
	WHERE a.relation = 'self' AND p.employee_id <> 'B200' AND (p.employee_id LIKE 'B%' OR p.employee_id = 'C001')"
ok cycle status --cycle q4 --json
[ "$(json '[.progress[] | select(.phase == "self_review") | "\(.team):\(.done)/\(.total)"] | sort | join(" ")')" = "bulk:199/200 crowd:1/300" ] ||
	fail "the counts: $(json -c .progress)"
tok=$(token admin read)
serve
http GET /cycles/q4 -H "Authorization: Bearer $tok"
expect_http 200
row() { grep -o "<tr><th scope=\"row\">self_review</th><td>$1</td>.\{0,200\}</tr>" "$T/out" | head -1 | sed 's/<\/tr>.*//'; }
[ "$(row bulk)" = '<tr><th scope="row">self_review</th><td>bulk</td><td class="num">199</td><td class="num">200</td><td class="num">0</td><td class="num">99.5%</td>' ] ||
	fail "199 of 200: $(row bulk)"
[ "$(row crowd)" = '<tr><th scope="row">self_review</th><td>crowd</td><td class="num">1</td><td class="num">300</td><td class="num">0</td><td class="num">0.3%</td>' ] ||
	fail "1 of 300: $(row crowd)"
stop_server
