# A write signed with a key other than the one the chain is signed with is refused (exit 3)
# before anything is written: the chain would no longer verify with either key.
init_db
ok org import "$FIXTURES/org-small.csv"
ok --audit-key "$T/other.key" --db "$T/other.db" init
before=$(counts)
run --audit-key "$T/other.key" service set ledger --team payments
expect_status 3
expect_err "is not the key this database's chain is signed with"
expect_counts "$before"
# Reads need no signature and still work; the right key still writes.
ok --audit-key "$T/other.key" org show
ok service set ledger --team payments
ok audit verify
