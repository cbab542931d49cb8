# A bot's records are stored as they come, consent or not: bots are not people. An account on
# a source's --bot list that is linked to a person is that person's, though: its records are
# stored as theirs, so their consent decides (found hunting: alice, linked to E102 and put on
# the bot list, had her pull request stored as E102's without E102's consent). A bot linked to
# nobody is stored as before.
init_db
ok org import "$FIXTURES/org-small.csv"
awk '/key: pull_request_activity/ { w = 1 } w && /consent: not-required/ {
	print "    consent: required"; print "    without_consent: skip"; print "    on_withdrawal: keep"; w = 0; next } { print }' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "without_consent: skip" policy.yaml || fail "the policy was not edited"
ok policy import policy.yaml
ok source add github --name gh --repo acme/widgets --bot alice
ok identity link github alice --person E102
ok ingest --source gh "$FIXTURES/github"
alice_prs() {
	sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id
	  WHERE e.account = 'alice' AND e.kind IN ('pull_request', 'review') AND p.employee_id = 'E102'"
}
[ "$(alice_prs)" = 0 ] || fail "E102's pull requests were stored without consent: $(alice_prs)"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'dependabot[bot]' AND kind = 'pull_request'")" -ge 1 ] ||
	fail "the unlinked bot's pull request was not stored"
# Granted, the next ingest stores them as E102's, still marked a bot's.
ok consent grant --person E102 --mechanism pull_request_activity
ok ingest --source gh "$FIXTURES/github"
[ "$(alice_prs)" -ge 1 ] || fail "E102's pull requests were not stored after the grant"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND kind = 'pull_request' AND is_bot = 0")" = 0 ] ||
	fail "alice's pull request is no longer a bot's"
ok audit verify
