# service set creates a service, is idempotent, moves ownership from a date on (history kept), and refuses bad names, unknown teams and backdated moves.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set ledger --team payments --description "double-entry ledger" --effective 2026-03-01
expect_out "service ledger created"
n=$(sql "SELECT COUNT(*) FROM audit_log")
ok service set ledger --team payments
expect_out "service ledger unchanged"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "an unchanged service set was audited"
ok service set ledger --team search --effective 2026-04-01
expect_out "service ledger updated"
ok service list --json
expect_json '.[0] | .name + "@" + .team + "@" + .owned_since + "@" + .description' \
	"ledger@search@2026-04-01T00:00:00.000Z@double-entry ledger"
[ "$(sql "SELECT COUNT(*) FROM service_owners WHERE valid_to = $(( $(date -u -d 2026-04-01 +%s) * 1000 ))")" = 1 ] ||
	fail "the old ownership was not closed at 2026-04-01"
ok org tree search --json
expect_json '.[0].services' 1
ok audit log --object service:ledger --json
expect_json '[.[] | .action] | join(",")' service.create,service.update
expect_json '.[1].detail.team' search

before=$(counts)
run service set ledger --team payments --effective 2026-01-01
expect_status 5
expect_err "ownership change effective 2026-01-01 precedes the current owner's start 2026-04-01"
run service set ledger --team nosuch
expect_status 4
expect_err "no team 'nosuch'"
run service set other
expect_status 2
expect_err "needs --team"
# Names follow the import's rule (letters, digits, - _ .): an empty name or one with spaces is refused.
for bad in "" "bad name, really"; do
	run service set "$bad" --team payments
	[ "$status" -eq 1 ] || [ "$status" -eq 2 ] || fail "service set '$bad' exited $status, expected a refusal"
done
expect_counts "$before"

# A service ingest made unowned, claimed without --effective (today): its
# events stay unowned.  Naming the same team again with the real start moves
# the start back and re-attributes them; it was "unchanged" and could not be
# undone.  A start over another team's ownership is refused.
ok source add github --name gh --org acme
ok ingest --source gh "$FIXTURES/github/pulls.json"
ok service set acme.widgets --team payments
ok events list --kind pull_request --json
expect_json '[.[] | .team] | unique | map(tostring) | join(",")' null
ok service set acme.widgets --team payments --effective 2024-01-01
expect_out "service acme.widgets updated"
ok events list --kind pull_request --json
expect_json '[.[] | .team] | unique | join(",")' payments
ok service list --json
expect_json '.[] | select(.name == "acme.widgets") | .owned_since' 2024-01-01T00:00:00.000Z
ok audit log --object service:acme.widgets --json
expect_json '.[-1].detail.effective' 2024-01-01T00:00:00.000Z
ok service set acme.widgets --team payments --effective 2024-02-01
expect_out "service acme.widgets unchanged"
before=$(counts)
run service set ledger --team search --effective 2026-03-15
expect_status 5
expect_err "ownership from 2026-03-15 would overlap that of payments, which ended 2026-04-01"
expect_counts "$before"
# An owner given on the day the current owner's row starts replaces that row, and one taken
# back to the owner before joins their row again: no row from a day to the same day, no
# owner's time split in two (found in review).
owners() { sql "SELECT t.name || ' ' || CAST(o.valid_from AS TEXT) || ' ' || COALESCE(CAST(o.valid_to AS TEXT), '-') FROM service_owners o JOIN teams t ON t.id = o.team_id JOIN services s ON s.id = o.service_id WHERE s.name = 'sameday' ORDER BY o.valid_from" | tr '\n' ';'; }
ok service set sameday --team payments --effective 2026-08-01
ok service set sameday --team search --effective 2026-09-01
ok service set sameday --team payments --effective 2026-09-01
aug=$(sql "SELECT valid_from FROM service_owners o JOIN services s ON s.id = o.service_id WHERE s.name = 'sameday'")
[ "$(owners)" = "payments $aug -;" ] || fail "taken back on its day: $(owners)"
ok service set sameday --team search --effective 2026-09-01
ok service set sameday --team engineering --effective 2026-09-01
sep=$(sql "SELECT MAX(valid_from) FROM service_owners o JOIN services s ON s.id = o.service_id WHERE s.name = 'sameday'")
[ "$(owners)" = "payments $aug $sep;engineering $sep -;" ] || fail "replaced on its day: $(owners)"
ok audit verify
