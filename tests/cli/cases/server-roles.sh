# Every API route, for every role, from one table: allowed (any answer but 401 or 403) or
# refused with 403.  The table must name every route the server lists at /api/v1, so a new
# route without a row fails here.  Roles: admin, a people partner for search, a leader of
# engineering, the manager of search, an employee of search, an analyst.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E203 --role people-partner:search
ok user add --person H001 --role leader:engineering
ok user add --person M002 --role manager
ok user add --person E201 --role employee
ok user add --person E204 --role analyst
users=(admin E203 H001 M002 E201 E204)
declare -A tok
for u in "${users[@]}"; do tok[$u]=$(token "$u" write); done
serve

# METHOD TEMPLATE SAMPLE BODY EXPECTED, per role in the order admin pp leader manager employee
# analyst: A allowed, D denied (403), H hidden (404, as if the record did not exist)
# E202 is in search, reports to M002, and is not E201; E101 is in payments.
table=$(cat <<'ROWS'
GET /api/v1/org /api/v1/org - AAAAAA
GET /api/v1/org/tree /api/v1/org/tree - AAAAAA
GET /api/v1/people /api/v1/people - AAAAAA
GET /api/v1/people/{id} /api/v1/people/E202 - AAAADD
GET /api/v1/identities/{system}/{login} /api/v1/identities/github/eclarke - AAAAHH
POST /api/v1/org/import /api/v1/org/import {} ADDDDD
POST /api/v1/identities /api/v1/identities {"args":["github","nobody-x"],"person":"E999"} ADDDDD
POST /api/v1/people/{id}/merge /api/v1/people/E999/merge {"into":"E998"} ADDDDD
DELETE /api/v1/identities/{system}/{login} /api/v1/identities/github/nobody-x - ADDDDD
POST /api/v1/services /api/v1/services {"args":["roles-svc"],"team":"search"} ADDDDD
GET /api/v1/services /api/v1/services - AAAAAA
POST /api/v1/users /api/v1/users {"person":"E999","role":"employee"} ADDDDD
GET /api/v1/users /api/v1/users - ADDDDD
POST /api/v1/users/{user}/revoke /api/v1/users/E999/revoke {"role":"employee"} ADDDDD
GET /api/v1/tokens /api/v1/tokens - ADDDDD
POST /api/v1/tokens/{id}/revoke /api/v1/tokens/999999/revoke - ADDDDD
GET /api/v1/audit /api/v1/audit - ADDDDD
GET /api/v1/audit/verify /api/v1/audit/verify - ADDDDD
GET /api/v1/audit/checkpoint /api/v1/audit/checkpoint - ADDDDD
POST /api/v1/sources /api/v1/sources {"args":["deploy"]} ADDDDD
GET /api/v1/sources /api/v1/sources - ADDDDD
POST /api/v1/sources/{source}/settings /api/v1/sources/nosuch/settings {"bot":["x"]} ADDDDD
POST /api/v1/sources/{source}/pause /api/v1/sources/nosuch/pause {"reason":"x"} ADDDDD
POST /api/v1/sources/{source}/resume /api/v1/sources/nosuch/resume - ADDDDD
POST /api/v1/sources/{source}/remove /api/v1/sources/nosuch/remove - ADDDDD
POST /api/v1/sources/{source}/rewind /api/v1/sources/nosuch/rewind {"reason":"x"} ADDDDD
POST /api/v1/sources/{source}/owner /api/v1/sources/nosuch/owner {"args":["search"]} ADDDDD
POST /api/v1/sources/{source}/readers /api/v1/sources/nosuch/readers {"with":"search"} ADDDDD
DELETE /api/v1/sources/{source}/readers/{with} /api/v1/sources/nosuch/readers/search - ADDDDD
POST /api/v1/services/mappings /api/v1/services/mappings {"args":["nosuch-svc"],"repo":"acme/x"} ADDDDD
GET /api/v1/services/mappings /api/v1/services/mappings - AAAAAA
GET /api/v1/services/unowned /api/v1/services/unowned - AAAAAA
GET /api/v1/services/owner-of /api/v1/services/owner-of?repo=acme/x&path=a - AAAAAA
POST /api/v1/ingest /api/v1/ingest - ADDDDD
GET /api/v1/events /api/v1/events - AAAAAA
GET /api/v1/identities/unmatched /api/v1/identities/unmatched - ADDDDD
GET /api/v1/reconcile /api/v1/reconcile - ADDDDD
GET /api/v1/sync/status /api/v1/sync/status - ADDDDD
POST /api/v1/metrics/{key}/values /api/v1/metrics/pr_throughput/values {"team":"search"} AAAAAA
POST /api/v1/dora /api/v1/dora {"team":"search"} AAAAAA
GET /api/v1/explain/{ref} /api/v1/explain/metric-value:999999 - ADDDDD
GET /api/v1/metrics/settings /api/v1/metrics/settings - AAAAAA
POST /api/v1/metrics/settings /api/v1/metrics/settings {"args":["failure_window_hours","x"]} ADDDDD
POST /api/v1/slos /api/v1/slos - ADDDDD
POST /api/v1/slos/{slo}/samples /api/v1/slos/nosuch/samples - ADDDDD
GET /api/v1/slos/status /api/v1/slos/status - AAAAAA
GET /api/v1/metrics/catalog /api/v1/metrics/catalog - AAAAAA
GET /api/v1/metrics/catalog/{key} /api/v1/metrics/catalog/lead_time - AAAAAA
POST /api/v1/metrics/catalog /api/v1/metrics/catalog - ADDDDD
GET /api/v1/metrics/proposals /api/v1/metrics/proposals - AAAAAA
POST /api/v1/metrics/catalog/{key}/approve /api/v1/metrics/catalog/nosuch/approve {"version":"1","function":"development"} AAADDD
POST /api/v1/metrics/catalog/{key}/object /api/v1/metrics/catalog/nosuch/object {"version":"1","function":"development","reason":"r"} AAADDD
POST /api/v1/metrics/catalog/{key}/retire /api/v1/metrics/catalog/nosuch/retire {"reason":"r"} ADDDDD
POST /api/v1/metrics/catalog/{key}/objectives /api/v1/metrics/catalog/nosuch/objectives {"objective":"x"} ADDDDD
DELETE /api/v1/metrics/catalog/{key}/objectives/{objective} /api/v1/metrics/catalog/nosuch/objectives/x - ADDDDD
POST /api/v1/metrics/catalog/{key}/reviewed /api/v1/metrics/catalog/nosuch/reviewed {} ADDDDD
GET /api/v1/metrics/review-due /api/v1/metrics/review-due - AAAAAA
GET /api/v1/metrics/suggest /api/v1/metrics/suggest?service=nosuch&audience=team - AAAAAA
GET /api/v1/objectives /api/v1/objectives - AAAAAA
POST /api/v1/objectives /api/v1/objectives {"args":["roles-objective"]} ADDDDD
POST /api/v1/services/{name}/stage /api/v1/services/nosuch/stage {"stage":"growth"} ADDDDD
GET /api/v1/dashboard /api/v1/dashboard - AAAAAA
POST /api/v1/dashboard/refresh /api/v1/dashboard/refresh {"team":"search"} ADDDDD
POST /api/v1/policy /api/v1/policy {} ADDDDD
GET /api/v1/policy /api/v1/policy - AAAAAA
GET /api/v1/policy/diff/{a}/{b} /api/v1/policy/diff/1/1 - AAAAAA
GET /api/v1/policy/export /api/v1/policy/export - AAAAAD
POST /api/v1/framework /api/v1/framework {} ADDDDD
GET /api/v1/framework /api/v1/framework - AAAAAA
GET /api/v1/framework/diff/{a}/{b} /api/v1/framework/diff/1/1 - AAAAAA
GET /api/v1/framework/export /api/v1/framework/export - AAAAAA
POST /api/v1/cycles /api/v1/cycles {"args":["roles-c"],"kind":"checkin","scope":["search"]} AADDDD
GET /api/v1/cycles /api/v1/cycles - AAAAAA
GET /api/v1/cycles/{cycle} /api/v1/cycles/nosuch - AAAAAA
POST /api/v1/cycles/{cycle}/advance /api/v1/cycles/nosuch/advance - AADDDD
POST /api/v1/cycles/{cycle}/nominations /api/v1/cycles/nosuch/nominations {"for":"E202","reviewer":"E201"} AAAAAA
POST /api/v1/cycles/{cycle}/decisions /api/v1/cycles/nosuch/decisions {"for":"E202","reviewer":"E201","decision":"approve"} AAAAAA
GET /api/v1/cycles/{cycle}/assignments /api/v1/cycles/nosuch/assignments - AAAAAA
GET /api/v1/cycles/{cycle}/calendar-check /api/v1/cycles/nosuch/calendar-check - AAAAAA
POST /api/v1/calendar /api/v1/calendar {"name":"roles-window","kind":"launch","from":"2027-01-04","to":"2027-01-05","team":"search"} AADDDD
GET /api/v1/calendar /api/v1/calendar - AAAAAA
DELETE /api/v1/calendar/{id} /api/v1/calendar/999999 - AADDDD
POST /api/v1/cycles/{cycle}/evaluations/{person} /api/v1/cycles/nosuch/evaluations/E202 {} AAAAAA
GET /api/v1/cycles/{cycle}/evaluations/{person} /api/v1/cycles/nosuch/evaluations/E202 - AAAAAA
GET /api/v1/people/{person}/evaluations /api/v1/people/E202/evaluations - AAAADD
GET /api/v1/cycles/{cycle}/scores/{person} /api/v1/cycles/nosuch/scores/E202 - AAAAAA
POST /api/v1/calibration/sessions /api/v1/calibration/sessions {"cycle":"nosuch","population":"search","facilitator":"M002"} AADDDD
GET /api/v1/calibration/sessions /api/v1/calibration/sessions - AAAAAA
GET /api/v1/calibration/sessions/{session} /api/v1/calibration/sessions/nosuch - AAAAAA
POST /api/v1/calibration/sessions/{session}/open /api/v1/calibration/sessions/nosuch/open {} AAAAAA
POST /api/v1/calibration/sessions/{session}/close /api/v1/calibration/sessions/nosuch/close {} AAAAAA
POST /api/v1/calibration/sessions/{session}/marks /api/v1/calibration/sessions/nosuch/marks {"person":"E202","mark":"agree"} AAAAAA
POST /api/v1/calibration/sessions/{session}/changes /api/v1/calibration/sessions/nosuch/changes {"person":"E202","dimension":"delivery","rating":"3","reason":"r","evidence":"link:x"} AAAAAA
GET /api/v1/calibration/sessions/{session}/raters /api/v1/calibration/sessions/nosuch/raters - AAAAAA
GET /api/v1/calibration/sessions/{session}/distribution /api/v1/calibration/sessions/nosuch/distribution - AAAAAA
GET /api/v1/calibration/sessions/{session}/ninebox /api/v1/calibration/sessions/nosuch/ninebox - AAAAAA
POST /api/v1/calibration/sessions/{session}/curve /api/v1/calibration/sessions/nosuch/curve {} AAAAAA
GET /api/v1/calibration/sessions/{session}/agreement /api/v1/calibration/sessions/nosuch/agreement - AAAAAA
GET /api/v1/cycles/{cycle}/packets/{person} /api/v1/cycles/nosuch/packets/E202?target-level=L4 - AAAAAA
POST /api/v1/cycles/{cycle}/feedback/{for} /api/v1/cycles/nosuch/feedback/E202 {} DAAAAA
GET /api/v1/cycles/{cycle}/feedback/{for} /api/v1/cycles/nosuch/feedback/E202 - DAAAAD
GET /api/v1/cycles/{cycle}/feedback/{for}/authors /api/v1/cycles/nosuch/feedback/E202/authors - DADDDD
GET /api/v1/me /api/v1/me - AAAAAA
GET /api/v1/me/export /api/v1/me/export - AAAAAA
GET /api/v1/mechanisms /api/v1/mechanisms - AAAAAA
POST /api/v1/mechanisms/{key}/approvals /api/v1/mechanisms/nope/approvals {"body":"works-council","reference":"x"} AADDDD
POST /api/v1/mechanisms/{key}/approvals/revoke /api/v1/mechanisms/nope/approvals/revoke {"body":"works-council"} AADDDD
POST /api/v1/consents/grant /api/v1/consents/grant {"person":"E101","mechanism":"nope"} ADDDDD
POST /api/v1/consents/withdraw /api/v1/consents/withdraw {"person":"E101","mechanism":"nope"} ADDDDD
GET /api/v1/consents /api/v1/consents - AAAAAA
GET /api/v1/policy/rules /api/v1/policy/rules - AAAAAA
GET /api/v1/policy/check /api/v1/policy/check - ADDDDD
POST /api/v1/signoffs /api/v1/signoffs {"args":["nosuch_metric"]} ADDDDD
POST /api/v1/signoffs/{id}/approve /api/v1/signoffs/999999/approve {"reason":"x"} DDDDDD
POST /api/v1/signoffs/{id}/reject /api/v1/signoffs/999999/reject {"reason":"x"} DDDDDD
GET /api/v1/signoffs /api/v1/signoffs - AAAAAA
GET /api/v1/retention/plan /api/v1/retention/plan - ADDDDD
POST /api/v1/holds /api/v1/holds {"person":"E202","reason":"roles"} AADDDD
GET /api/v1/holds /api/v1/holds - AADDDD
POST /api/v1/holds/{id}/release /api/v1/holds/1/release {"reason":"roles"} AADDDD
ROWS
)
# The web pages, by the same rules (a token signs a page request in as a session would).
pages=$(cat <<'ROWS'
GET / / - AAAAAA
GET /teams/{name} /teams/search - AAAAAA
GET /services/{name} /services/roles-svc - AAAAAA
GET /people/{id} /people/E202 - AAAADD
GET /people/{id} /people/E201 - AAAAAD
GET /catalog /catalog - AAAAAA
GET /catalog/{key} /catalog/lead_time - AAAAAA
GET /sources /sources - ADDDDD
GET /audit /audit - ADDDDD
ROWS
)

# Every listed route has a row.
http GET /api/v1 -H "Authorization: Bearer ${tok[admin]}"
expect_http 200
jq -r '.[] | "\(.method) \(.path)"' "$T/out" | sort >"$T/routes"
echo "$table" | awk '{print $1, $2}' | sort >"$T/rows"
missing=$(comm -23 "$T/routes" "$T/rows")
[ -z "$missing" ] || fail "routes without a row in this table: $missing"
extra=$(comm -13 "$T/routes" "$T/rows")
[ -z "$extra" ] || fail "rows for routes the server does not have: $extra"

checked=0
# One curl per row, its six requests in role order over one connection (--next), each
# answer in a file of its own: a sixth of the processes of one curl per request
# (docs/PERFORMANCE.md, "The test suite").
row=0
# answer_fail FILE MESSAGE: fail showing that request's answer as the stdout.
answer_fail() { cp "$1" "$T/out"; fail "$2"; }
while read -r method template sample body expect; do
	[ -n "$method" ] || continue
	row=$((row + 1))
	# Non-admins first: a refused request changes nothing, so the admin's runs last.
	req=()
	for i in 1 2 3 4 5 0; do
		[ "${#req[@]}" -eq 0 ] || req+=(--next)
		req+=(-s -o "$T/r$row.$i" -w '%{http_code}\n' -X "$method" -H "Authorization: Bearer ${tok[${users[$i]}]}")
		[ "$body" = - ] || req+=(-H 'Content-Type: application/json' -d "$body")
		req+=("$URL$sample")
	done
	echo "+ $method $sample as ${users[*]:1} ${users[0]}" >&2
	mapfile -t codes < <(curl "${req[@]}")
	[ "${#codes[@]}" -eq 6 ] || fail "$method $sample: curl answered ${#codes[@]} of 6 requests"
	denied_api=()
	for k in 0 1 2 3 4 5; do
		i=$(((k + 1) % 6)) # codes are in request order: users 1..5, then 0
		u=${users[$i]} got=${codes[$k]} out="$T/r$row.$i"
		[ -f "$out" ] || : >"$out" # curl writes no file for an empty body
		want=${expect:$i:1}
		if [ "$want" = H ]; then
			[ "$got" = 404 ] || answer_fail "$out" "$method $sample as $u: expected 404, got $got"
		elif [ "$want" = D ]; then
			[ "$got" = 403 ] || answer_fail "$out" "$method $sample as $u: expected 403, got $got"
			case $sample in
			/api/*) denied_api+=("$out") ;;
			*) grep -qi "permission denied" "$out" || answer_fail "$out" "$method $sample as $u: the 403 page does not say why" ;;
			esac
		else
			case $got in 401 | 403 | 000 | 5*) answer_fail "$out" "$method $sample as $u: expected allowed, got $got" ;; esac
		fi
		checked=$((checked + 1))
	done
	# Each refusal is a JSON error: one jq over the row's refusals, one code per file.
	if [ "${#denied_api[@]}" -gt 0 ]; then
		codes_seen=$(jq -r '.error.code' "${denied_api[@]}" | grep -c '^forbidden$')
		[ "$codes_seen" -eq "${#denied_api[@]}" ] ||
			fail "$method $sample: ${#denied_api[@]} refusals, $codes_seen with a JSON error (forbidden)"
	fi
done <<<"$table
$pages"
[ "$checked" -eq $((($(echo "$table" | wc -l) + $(echo "$pages" | wc -l)) * 6)) ] || fail "checked $checked requests"
# The pages' navigation offers each role only what it may open: every link in the header
# answers 200, and Sources and Audit are an admin's alone (they were a 403 for the rest),
# My data a person's (it was a 404 for the admin user).
for u in "${users[@]}"; do
	http GET / -H "Authorization: Bearer ${tok[$u]}"
	expect_http 200
	links=$(sed -n 's|.*<nav aria-label="Main"><ul>\(.*\)</ul></nav>.*|\1|p' "$T/out" | grep -o 'href="[^"]*"' | sed 's/href="\(.*\)"/\1/')
	for l in $links; do
		http GET "$l" -H "Authorization: Bearer ${tok[$u]}"
		[ "$HTTP_STATUS" = 200 ] || fail "$u's navigation links $l, which answers $HTTP_STATUS"
	done
	# The admin user is no person: no My data.
	case $u in admin) want="/ /catalog /sources /audit /reviews" ;; *) want="/ /catalog /reviews /me" ;; esac
	[ "$(echo $links)" = "$want" ] || fail "$u's navigation links: $(echo $links)"
done
stop_server
# Every refusal was audited as access.denied.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")" -ge 100 ] || fail "refusals not audited"
ok audit verify
