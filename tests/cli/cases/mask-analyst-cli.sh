# An analyst sees people only as stable pseudonyms, in CLI text, --json and --csv: no name,
# email, employee id or account login of anyone in the demo but their own record appears in
# any output, the same person has the same pseudonym in every command, and no title, url or
# branch shows.  Their own employee id and record are theirs in clear, as their own work in a
# review cycle is (they were a pseudonym in person list and their real id in cycle
# assignments, found in review).
demo_db --no-reviews
ok user add --person E024 --role analyst
ok dashboard refresh
# Everything that names a person: names, emails, employee ids and every account login.
# The analyst's own record is theirs in clear (docs/security.md), with its accounts' logins and
# their own events' accounts (found in review: their own logins were account pseudonyms).
me="(SELECT id FROM people WHERE employee_id = 'E024')"
sql "SELECT name FROM people WHERE employee_id <> 'E024' UNION SELECT email FROM people WHERE employee_id <> 'E024'
  UNION SELECT employee_id FROM people WHERE employee_id <> 'E024' UNION SELECT login FROM identities WHERE person_id <> $me" >"$T/secrets"
sql "SELECT DISTINCT account FROM events WHERE account IS NOT NULL AND is_bot = 0 AND (person_id IS NULL OR person_id <> $me)" >>"$T/secrets"
own_login=$(sql "SELECT login FROM identities WHERE person_id = $me AND system = 'github'")
[ -n "$own_login" ] || fail "E024 has no GitHub login"
! grep -qx "$own_login" "$T/secrets" || fail "the analyst's own login is among them"
[ "$(wc -l <"$T/secrets")" -gt 300 ] || fail "too few names to look for: $(wc -l <"$T/secrets")"
! grep -qx "Connor Jones" "$T/secrets" || fail "the analyst's own name is among them"
# no_secrets FILE: none of the names appears in it (whole file, fixed strings).
no_secrets() {
	if grep -F -f "$T/secrets" "$1" >"$T/leak"; then
		fail "a person's name, email, id or login in $1: $(grep -o -F -f "$T/secrets" "$1" | sort -u | head -5 | tr '\n' ' ')"
	fi
}
n=0
# each_form ARGS...: the command as text, --json, and --csv where it has it.
each_form() {
	local form
	for form in "" --json --csv; do
		run --as E024 "$@" $form
		if [ "$form" = --csv ] && grep -q "has no --csv output" "$T/err"; then continue; fi
		[ "$status" -eq 0 ] || fail "plumb --as E024 $* $form: exit $status: $(cat "$T/err")"
		n=$((n + 1))
		cat "$T/out" "$T/err" >"$T/form.$n"
		no_secrets "$T/form.$n"
	done
}
# README's example: its rows show people as pseudonyms (P-...), and a bot (no person) by
# its account, in the account column.
readme=$(grep -o -- '--as E024 events list [^#]*' "$ROOT/README.md")
[ -n "$readme" ] || fail "README.md has no analyst's events list"
# shellcheck disable=SC2086 # the README's words, as a shell would split them
ok $readme
grep -Eq ' P-[0-9a-f]{16} ' "$T/out" || fail "README's 'plumb $readme' shows no pseudonym: $(cat "$T/out")"
grep -q '\[bot\]' "$T/out" || fail "README's 'plumb $readme' shows no bot: $(cat "$T/out")"
for kind in commit pull_request review deployment incident work_item ci_run; do
	each_form events list --kind "$kind" --limit 0
done
each_form person list
each_form person show E024
each_form org show
each_form org tree
each_form dashboard
each_form dora
each_form dora --team search
each_form metrics show lead_time --by week --team search
each_form metrics proposals
each_form metrics catalog
each_form metrics show-def lead_time
each_form service list
each_form slo status
# A team's value (the demo's evaluations stored people's values first: outside an analyst's scope).
each_form explain "metric-value:$(sql "SELECT MIN(id) FROM metric_values WHERE scope = 'team'")"
[ "$n" -ge 40 ] || fail "only $n outputs checked"
# A person's own value is outside an analyst's scope, and the refusal does not say whose it
# is: counting through value ids would otherwise list the employee id behind each (found in
# review).
ok metrics define "$ROOT/examples/metrics/prs-merged.yaml"
ok metrics approve prs_merged --version 1 --function development
ok metrics show prs_merged --person E030 --json
value=$(sql "SELECT MAX(id) FROM metric_values WHERE scope = 'individual'")
[ -n "$value" ] || fail "no individual value to explain"
run --as E024 explain "metric-value:$value"
expect_status 3
expect_err "permission denied: metric value $value is outside your scope"
! grep -q E030 "$T/err" || fail "the refusal names the person: $(cat "$T/err")"
# An unknown id is refused in the same words, as it is to any reader who does not see everyone.
run --as E024 explain "metric-value:$((value + 100000))"
expect_status 3
expect_err "permission denied: metric value $((value + 100000)) is outside your scope"

# People are there, as pseudonyms: every commit's person is P- and 16 hex digits.
ok --as E024 events list --kind commit --limit 0 --json
[ "$(json '[.[] | select(.person != null)] | length')" -gt 1000 ] || fail "analyst sees no attributed commits"
expect_json '[.[] | select(.person != null and .person != "E024") | .person | test("^P-[0-9a-f]{16}$") | not] | any' false
expect_json '[.[] | select(.account != null and .bot == false and .person != "E024") | .account | test("^H[0-9]+-[0-9a-f]{16}$") | not] | any' false
expect_json '[.[] | select(.person != "E024") | .title, .url, .ref, .attrs | select(. != null)] | length' 0
# The analyst's own record in clear, with their logins, and their own commits under their id
# with their account and titles; their manager a pseudonym.
ok --as E024 person show E024 --json
expect_json '"\(.employee_id) \(.name) \(.manager_id | test("^P-[0-9a-f]{16}$"))"' "E024 Connor Jones true"
expect_json '.identities[] | select(.system == "github") | .login' "$own_login"
ok --as E024 events list --kind commit --limit 0 --json
[ "$(json '[.[] | select(.person == "E024")] | length')" -gt 0 ] || fail "the analyst's commits are not under E024"
expect_json '[.[] | select(.person == "E024" and (.account != "'"$own_login"'" or .title == null))] | length' 0
expect_json '[.[] | select(.person != null and .person != "E024") | .person | test("^P-[0-9a-f]{16}$") | not] | any' false
# The same pseudonym for the same person in CSV as in JSON.
# The first commit not the analyst's own (their own is theirs in clear).
who=$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.kind = 'commit' AND p.employee_id <> 'E024' ORDER BY e.occurred_at, e.id LIMIT 1")
ok --as E024 events list --kind commit --limit 0 --json
first=$(json '[.[] | select(.person != null and .person != "E024")][0].person')
ok --as E024 events list --kind commit --limit 0 --csv
grep -qF "$first" "$T/out" || fail "CSV shows another pseudonym than JSON for the first commit"
[ "$first" != "$who" ] || fail "the first commit shows the employee id"
# An admin still sees the real person.
ok events list --kind commit --limit 0 --json
expect_json '[.[] | select(.person != null and .person != "E024")][0].person' "$who"
ok audit verify
