# Governance records hold names and free text too: an analyst reads sign-offs, mechanism
# approvals and consents with every person a pseudonym and no reasons, references or notes,
# and a refused vote does not list the approvers.  Jira attributes name people (the
# reporter, each transition's author): a record stored pseudonymized keeps none of them,
# nor does an event retention anonymizes (the transitions metrics read stay), and events
# list shows no attributes of an event whose person the reader may not see.
init_db
ok org import "$FIXTURES/org-small.csv"
# The example policy, with approvers from this org, work items under consent (stored
# pseudonymized without it) and events anonymized after a year.
sed -e 's/approvers: \[E001, E002, E003\]/approvers: [H001, M001, M002]/' \
	-e 's/events: {days: 1095, action: delete}/events: {days: 365, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >policy.yaml
awk '/key: work_items/ { w = 1 } w && /consent: not-required/ {
	print "    consent: required"; print "    without_consent: pseudonymize"; print "    on_withdrawal: keep"; w = 0; next } { print }' \
	policy.yaml >policy2.yaml
grep -q "without_consent: pseudonymize" policy2.yaml || fail "the policy was not edited"
ok policy import policy2.yaml
ok user add --person H001 --role leader
ok user add --person M001 --role manager --role leader:payments # a sign-off approver below
ok user add --person M002 --role people-partner:search
ok user add --person E203 --role analyst
ok user add --person E104 --role admin

# A sign-off with a vote and its reason; an approval with a reference; consents with notes,
# recorded by people (an admin who is an employee, a people partner).
ok metrics define "$FIXTURES/aup/bonus-prs.yaml"
ok metrics approve bonus_prs --version 1 --function development
ok --as E104 signoff request bonus_prs
ok --as H001 signoff approve 1 --reason "Dana checked it with finance"
ok --as E104 mechanism approve commit_metadata --body works-council --country DE --reference "BV 12 signed by Jonas Becker"
ok --as M002 consent grant --person E203 --mechanism work_items --note "told Priya at the 1:1"
ok --as M002 consent grant --person E201 --mechanism work_items --note "form from Arjun"

# What names anyone: employee ids, names, emails, logins and the free text above; but the
# analyst's own record, theirs in clear (docs/security.md).
sql "SELECT name FROM people WHERE employee_id <> 'E203' UNION SELECT email FROM people WHERE employee_id <> 'E203'
  UNION SELECT employee_id FROM people WHERE employee_id <> 'E203' UNION SELECT login FROM identities" >"$T/secrets"
printf '%s\n' "Dana checked it" "BV 12" "Jonas Becker" "told Priya" "form from Arjun" >>"$T/secrets"
[ "$(wc -l <"$T/secrets")" -gt 40 ] || fail "too few names to look for"
no_secrets() {
	if grep -F -f "$T/secrets" "$1" >/dev/null; then
		fail "$2 shows $(grep -o -F -f "$T/secrets" "$1" | sort -u | head -5 | tr '\n' ' ')"
	fi
}
# The same reads as an admin show them (so the checks below can fail).
ok signoff list --json
expect_json '.[0] | "\(.requested_by) \(.votes[0].approver) \(.votes[0].reason)"' "E104 H001 Dana checked it with finance"
ok mechanism list --json
expect_out "BV 12 signed by Jonas Becker"
ok consent list --json
expect_out "told Priya at the 1:1"
expect_json '.[0].recorded_by' M002

for form in "" --json; do
	ok --as E203 signoff list $form
	no_secrets "$T/out" "signoff list $form"
	ok --as E203 mechanism list $form
	no_secrets "$T/out" "mechanism list $form"
	ok --as E203 consent list $form
	no_secrets "$T/out" "consent list $form"
done
ok --as E203 signoff list --json
expect_json '.[0].votes[0] | "\(.approver | test("^P-[0-9a-f]{16}$")) \(.reason) \(.decision)"' "true null approved"
ok --as E203 mechanism list --json
expect_json '.mechanisms[0].countries[0].approval | "\(.reference) \(.recorded_by | test("^P-[0-9a-f]{16}$"))"' "null true"
ok --as E203 signoff list --json
expect_json '.[0].requested_by | test("^P-[0-9a-f]{16}$")' true
# The analyst's own consent: the person theirs in clear, who recorded it a pseudonym, no note.
ok --as E203 consent list --json
expect_json 'length' 1
expect_json '.[0] | "\(.person == "E203") \(.recorded_by | test("^P-[0-9a-f]{16}$")) \(.note) \(.state)"' "true true null granted"
# A refused vote names no approver to an analyst (the actor's own user name only).
run --as E203 signoff approve 1 --reason "why not"
expect_status 3
expect_err "only the policy's sign-off approvers may approve"
expect_err "user 'E203' is not among them"
grep -qE "H001|M001|M002" "$T/err" && fail "a refused vote lists the approvers: $(cat "$T/err")"
run --as M001 signoff reject 1 --reason "not me" # M001 is an approver: votes
expect_status 0
# Who imported a policy or a framework version is a person's user too (E104, an admin
# who is an employee): an analyst sees a pseudonym, an admin the id.
sed 's/required: 2/required: 1/' policy2.yaml >policy3.yaml
ok --as E104 policy import policy3.yaml
ok --as E104 framework import "$FIXTURES/review/framework-minimal.yaml"
ok policy show --json
expect_json '.imported_by' E104
ok framework show --json
expect_json '.imported_by' E104
for form in "" --json; do
	ok --as E203 policy show $form
	no_secrets "$T/out" "policy show $form"
	ok --as E203 framework show $form
	no_secrets "$T/out" "framework show $form"
done
ok --as E203 policy show --json
expect_json '.imported_by | test("^P-[0-9a-f]{16}$")' true
ok --as E203 framework show --json
expect_json '.imported_by | test("^P-[0-9a-f]{16}$")' true

# The API answers the same.
tok=$(token E203 read)
serve
for path in /api/v1/signoffs /api/v1/mechanisms /api/v1/consents /api/v1/policy /api/v1/framework; do
	http GET "$path" -H "Authorization: Bearer $tok"
	expect_http 200
	no_secrets "$T/out" "GET $path"
done

# Jira: PLAT-101's assignee (E102, no consent) is stored pseudonymized; OPS-7's (E201,
# consented) as it is.  The fixture's account ids, as the identities table maps them.
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok identity link jira 5b10ac8d82e05b22cc7d4ef5 --person E102
ok identity link jira 557058:f58131cb-b67d-43c7-b30d-6b58d40bd077 --person E201
ok ingest --source jira "$FIXTURES/jira"
[ "$(sql "SELECT account FROM events WHERE external_id = 'PLAT-101'" | grep -cE '^H[0-9]+-[0-9a-f]{16}$')" = 1 ] ||
	fail "PLAT-101 not pseudonymized: $(sql "SELECT account FROM events WHERE external_id = 'PLAT-101'")"
attrs=$(sql "SELECT attrs FROM events WHERE external_id = 'PLAT-101'")
echo "$attrs" | grep -qE '5b10ac8d|557058' && fail "a pseudonymized record's attrs name people: $attrs"
# What metrics read stays: the status and each transition's time, from and to.
[ "$(echo "$attrs" | jq -c '[.status, (.transitions | length), (.transitions[0] | keys)]')" = '["Done",2,["at","from","to"]]' ] ||
	fail "PLAT-101's attrs lost more than the people: $attrs"
sql "SELECT attrs FROM events WHERE external_id = 'OPS-7'" | grep -q '"transitions"' || fail "OPS-7 has no attrs"

# A manager out of E201's chain sees OPS-7 without its person, account or attributes.
ok --as M001 events list --kind work_item --json
expect_json '.[] | select(.external_id == "OPS-7") | "\(.person) \(.account) \(.attrs)"' "null null null"
ok --as M002 events list --kind work_item --json
expect_json '.[] | select(.external_id == "OPS-7") | .attrs != null' true

# Retention anonymizes the 2020 work items: no one left in their attributes or versions.
sql "SELECT attrs FROM events WHERE kind = 'work_item'" | grep -q 557058 || fail "nothing to anonymize"
ok retention apply --json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'work_item' AND person_id IS NULL AND account IS NULL")" = 3 ] ||
	fail "work items not anonymized"
sql "SELECT attrs FROM events UNION ALL SELECT attrs FROM event_versions" | grep -E '5b10ac8d|557058' &&
	fail "an anonymized event's attrs still name people"
[ "$(sql "SELECT attrs FROM events WHERE external_id = 'PLAT-101'" | jq -c '[.transitions[] | .to]')" = "$(echo "$attrs" | jq -c '[.transitions[] | .to]')" ] ||
	fail "anonymizing lost the transitions"
ok audit verify
