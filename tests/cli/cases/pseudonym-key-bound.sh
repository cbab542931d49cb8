# A database is bound to the pseudonym key ring its pseudonyms were made with: init records
# the ring's id (its first key's, which rotation keeps), and another ring is refused (exit 3,
# nothing written), as another audit key is. Found in review: a link under another install's
# ring resolved none of the account's held events and said "already linked" under the right
# one afterwards, so they stayed held. A database without the id (made before it was kept)
# records it at its first write that loads the ring.
init_db
[ "$(sql "SELECT COUNT(*) FROM meta WHERE key = 'pseudonym_key_id'")" = 1 ] || fail "init did not record the ring's id"
ok org import "$FIXTURES/org-small.csv"
ok policy import "$FIXTURES/policy-pr-activity.yaml"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
held() { sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND person_id IS NULL"; }
before=$(held)
[ "$before" -ge 1 ] || fail "no held events to resolve"

# Another install's ring (made by its own init).
PLUMB_PSEUDONYM_KEY="$T/other.key" ok --db "$T/other.db" --audit-key "$T/other-audit.key" init
[ -f "$T/other.key" ] || fail "no other ring: $(ls "$T")"
entries=$(sql "SELECT COUNT(*) FROM audit_log")
PLUMB_PSEUDONYM_KEY="$T/other.key" run identity link github carol --person E201
expect_status 3
expect_err "is not the ring this database's pseudonyms were made with"
expect_err "nothing was written"
[ "$(held)" = "$before" ] || fail "held events changed under another ring"
[ "$(sql "SELECT COUNT(*) FROM identities WHERE login = 'carol'")" = 0 ] || fail "the link was written under another ring"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a refused link wrote to the audit log"
# Under the right ring the link resolves them.
ok identity link github carol --person E201
[ "$(held)" -lt "$before" ] || fail "the link under the right ring resolved nothing ($(held) of $before held)"
ok audit log --json --limit 1
expect_json '.[0].action' consent.resolve-held

# Rotation keeps the id: the rotated ring is the same ring.
ok key rotate
ok identity unlink github carol
ok identity link github carol --person E201
# A database without the id takes it at its first write that loads the ring, not at a read.
sql "DELETE FROM meta WHERE key = 'pseudonym_key_id'"
PLUMB_PSEUDONYM_KEY="$T/other.key" ok --as admin person list
[ "$(sql "SELECT COUNT(*) FROM meta WHERE key = 'pseudonym_key_id'")" = 0 ] || fail "a read recorded a ring"
ok ingest --source gh "$FIXTURES/github"
[ "$(sql "SELECT COUNT(*) FROM meta WHERE key = 'pseudonym_key_id'")" = 1 ] || fail "the first write did not record the ring"
PLUMB_PSEUDONYM_KEY="$T/other.key" run identity link github dave --person E202
expect_status 3
ok audit verify
