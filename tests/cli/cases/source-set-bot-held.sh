# A bot's records are stored as they come, whoever they name. Taken off a source's --bot list,
# an account's stored events are a person's again, and under a policy that governs their
# kinds those matched to nobody are held pseudonymized, as ingestion holds an unmatched
# account's: not left with the login, email and name in clear. Linking the account resolves
# them. (Found in session 39.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$ROOT/examples/policy.yaml"
ok source add github --name gh --repo acme/widgets --bot alice
ok ingest --source gh "$FIXTURES/github"
n=$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND is_bot = 1 AND person_id IS NULL")
[ "$n" -ge 4 ] || fail "alice's events were not stored as a bot's: $n"
ok source set gh --unset bot
expect_out "0 events now marked as a bot's, $n no longer"
expect_out "$n of those no longer a bot's matched to nobody: held pseudonymized as the policy says"
[ "$(sql "SELECT COUNT(*) FROM events WHERE lower(account) = 'alice' OR lower(account_email) = 'alice@example.com' OR account_name = 'Alice Example'")" = 0 ] ||
	fail "events taken off the bot list still name alice"
pseudo=$(sql "SELECT DISTINCT account FROM events WHERE is_bot = 0 AND person_id IS NULL AND account LIKE 'H1-%' AND id IN (SELECT id FROM events WHERE kind = 'deployment')")
[ "$(echo "$pseudo" | wc -l)" = 1 ] || fail "alice's deployments are not held under one pseudonym: $pseudo"
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "source.set")][-1].detail | "\(.events_unmarked_bot) \(.events_held)"' "$n $n"
# Linked, they are alice's again, with her login.
ok identity link github alice --person E102
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E102' AND e.account = 'alice'")" = "$n" ] ||
	fail "linking alice did not resolve the held events"
ok audit verify
