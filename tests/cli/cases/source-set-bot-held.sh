# A bot's records are stored as they come, whoever they name, while under a policy that
# governs their kinds an account matched to nobody is held pseudonymized. Put on a source's
# --bot list, an account's held events are a bot's: marked, with the login back, no longer
# listed as unmatched. Taken off the list, its events are a person's again, and those matched
# to nobody are held again: not left with the login, email and name in clear. Linking the
# account resolves them. (Found in session 39: putting an account on the list marked none of
# its held events, and taking it off left them in clear.)
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$ROOT/examples/policy.yaml"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
n=$(sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND account_system = 'github'
  AND account = (SELECT account FROM events WHERE kind = 'deployment' LIMIT 1)") # alice deployed
[ "$n" -ge 4 ] || fail "alice's events were not held: $n"
ok key rotate # held under the first key's pseudonym, found all the same
ok source set gh --bot Alice
expect_out "$n events now marked as a bot's, 0 no longer"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice' AND is_bot = 1 AND person_id IS NULL")" = "$n" ] ||
	fail "alice's held events are not a bot's with her login"
ok identity unmatched --json
expect_json "[.[] | select(.events == $n)] | length" 0
ok source set gh --unset bot
expect_out "0 events now marked as a bot's, $n no longer"
expect_out "$n of those no longer a bot's matched to nobody: held pseudonymized as the policy says"
[ "$(sql "SELECT COUNT(*) FROM events WHERE lower(account) = 'alice' OR lower(account_email) = 'alice@example.com' OR account_name = 'Alice Example'")" = 0 ] ||
	fail "events taken off the bot list still name alice"
pseudo=$(sql "SELECT DISTINCT account FROM events WHERE is_bot = 0 AND person_id IS NULL AND kind = 'deployment'")
echo "$pseudo" | grep -qxE 'H2-[0-9a-f]{16}' || fail "alice's deployments are not held under one pseudonym of the newest key: $pseudo"
ok audit log --json --object source:gh
expect_json '[.[] | select(.action == "source.set")][-1].detail | "\(.events_unmarked_bot) \(.events_held)"' "$n $n"
# Linked, they are alice's again, with her login.
ok identity link github alice --person E102
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E102' AND e.account = 'alice'")" = "$n" ] ||
	fail "linking alice did not resolve the held events"
ok audit verify
