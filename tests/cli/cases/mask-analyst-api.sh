# The HTTP API applies the same masking as the CLI: an analyst's answers over the real
# server hold no name, email, employee id or login of anyone, people appear as the same
# pseudonyms as in the CLI, small aggregates are suppressed, and after `plumb key rotate`
# every pseudonym is new.
demo_db --no-reviews
ok user add --person E024 --role analyst
ok dashboard refresh
# The analyst's own record is theirs in clear (docs/security.md), with its accounts' logins.
sql "SELECT name FROM people WHERE employee_id <> 'E024' UNION SELECT email FROM people WHERE employee_id <> 'E024'
  UNION SELECT employee_id FROM people WHERE employee_id <> 'E024'
  UNION SELECT login FROM identities WHERE person_id <> (SELECT id FROM people WHERE employee_id = 'E024')" >"$T/secrets"
[ "$(wc -l <"$T/secrets")" -gt 300 ] || fail "too few names to look for"
tok=$(token E024 read)
[ -n "$tok" ] || fail "no token"
serve
auth=(-H "Authorization: Bearer $tok")
# A team's value (the demo's evaluations stored people's values first: outside an analyst's scope).
value=$(sql "SELECT MIN(id) FROM metric_values WHERE scope = 'team'")
n=0
for path in "/api/v1/events?kind=commit&limit=0" "/api/v1/events?kind=pull_request&limit=0" \
	"/api/v1/events?kind=review&limit=0" "/api/v1/events?kind=incident&limit=0" \
	"/api/v1/events?kind=work_item&limit=0" /api/v1/people /api/v1/org /api/v1/org/tree \
	/api/v1/dashboard /api/v1/metrics/proposals /api/v1/metrics/catalog/lead_time \
	"/api/v1/explain/metric-value:$value" / /teams/search /people/E024; do
	http GET "$path" "${auth[@]}"
	expect_http 200
	# The pages' header names whoever is signed in: the analyst's own user, nobody else.
	sed -i 's|Signed in as <strong>E024</strong>|Signed in as <strong>(you)</strong>|' "$T/out"
	if grep -F -f "$T/secrets" "$T/out" >/dev/null; then
		fail "GET $path shows $(grep -o -F -f "$T/secrets" "$T/out" | sort -u | head -5 | tr '\n' ' ')"
	fi
	n=$((n + 1))
done
[ "$n" -eq 15 ] || fail "checked $n answers"
# The same pseudonyms as the CLI.
http GET "/api/v1/events?kind=commit&limit=0" "${auth[@]}"
jq -r '[.[] | .person // empty | select(. != "E024")] | unique | .[]' "$T/out" | sort >"$T/api.people"
[ "$(wc -l <"$T/api.people")" -gt 20 ] || fail "the API shows few people: $(wc -l <"$T/api.people")"
grep -vqE '^P-[0-9a-f]{16}$' "$T/api.people" && fail "not a pseudonym: $(grep -vE '^P-[0-9a-f]{16}$' "$T/api.people" | head -1)"
ok --as E024 events list --kind commit --limit 0 --json
json '[.[] | .person // empty | select(. != "E024")] | unique | .[]' | sort >"$T/cli.people"
cmp -s "$T/api.people" "$T/cli.people" || fail "the API and the CLI show different pseudonyms"
http GET /api/v1/people/E024 "${auth[@]}"
expect_http 200
expect_json .employee_id E024
# Suppressed in the API as in the CLI.
http GET /api/v1/dashboard "${auth[@]}"
expect_json '.teams[] | select(.team == "observability") | .keys.lead_time.suppressed' true
# dora stores values: a write token computes it.
wtok=$(token E024 write)
http POST /api/v1/dora -H "Authorization: Bearer $wtok" -H 'Content-Type: application/json' -d '{"team":"observability"}'
expect_http 200
expect_json '.keys.lead_time.value.suppressed' true
expect_json '.keys.lead_time.value.value' null
# The page of a small team says suppressed, not a value, and so does each week of its trend
# and the explain page of its value, with the reason (they read "none (nothing to measure)").
http GET /teams/observability "${auth[@]}"
expect_http 200
grep -q ">suppressed<" "$T/out" || fail "the team page shows no suppressed value"
sed -n 's|.*<h3>By week</h3>\(.*\)</tbody></table></div><h2>Services.*|\1|p' "$T/out" >"$T/weeks"
grep -q 'title="covers fewer than 5 people: suppressed for analysts (policy min_aggregate_people)">suppressed<' "$T/weeks" ||
	fail "the weekly values do not say suppressed: $(head -c 600 "$T/weeks")"
grep -q '>none<\|metric-values' "$T/weeks" && fail "a weekly value of a suppressed team is shown: $(head -c 600 "$T/weeks")"
small=$(sql "SELECT v.id FROM metric_values v JOIN teams t ON t.id = v.scope_id WHERE v.scope = 'team'
  AND t.name = 'observability' ORDER BY v.id DESC LIMIT 1")
http GET "/metric-values/$small" "${auth[@]}"
expect_http 200
grep -q '<dt>Value</dt><dd>suppressed: covers fewer than 5 people: suppressed for analysts' "$T/out" ||
	fail "the explain page does not say suppressed: $(grep -o '<dt>Value</dt><dd>[^<]*' "$T/out")"
grep -q 'nothing to measure\|over 0 items' "$T/out" && fail "the explain page shows a suppressed value as none"
run --as E024 explain "metric-value:$small"
expect_out "suppressed: covers fewer than 5 people"
# After a rotation the same people have new pseudonyms, on the running server too.
ok key rotate
http GET "/api/v1/events?kind=commit&limit=0" "${auth[@]}"
jq -r '[.[] | .person // empty | select(. != "E024")] | unique | .[]' "$T/out" | sort >"$T/api.rotated"
[ "$(wc -l <"$T/api.rotated")" -eq "$(wc -l <"$T/api.people")" ] || fail "another number of people after the rotation"
[ -z "$(comm -12 "$T/api.people" "$T/api.rotated")" ] || fail "pseudonyms survived the rotation: $(comm -12 "$T/api.people" "$T/api.rotated" | head -2)"
if grep -F -f "$T/secrets" "$T/out" >/dev/null; then fail "names after the rotation"; fi
ok --as E024 events list --kind commit --limit 0 --json
json '[.[] | .person // empty | select(. != "E024")] | unique | .[]' | sort >"$T/cli.rotated"
cmp -s "$T/api.rotated" "$T/cli.rotated" || fail "after the rotation the API and the CLI differ"
stop_server
ok audit verify
