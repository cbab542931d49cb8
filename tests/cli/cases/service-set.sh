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
