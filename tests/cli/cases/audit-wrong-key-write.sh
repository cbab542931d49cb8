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
# A key path that is a named pipe is refused at once, not waited on for good (found in review:
# writes, audit verify and key rotate hung); so is an import file that is one.
mkfifo -m 600 "$T/key.fifo" "$T/org.csv"
before=$(counts)
# Bounded, so that a hang fails the case rather than the suite.
printf '#!/bin/sh\nexec timeout 20 "%s" "$@"\n' "$PLUMB" >"$T/bounded"
chmod +x "$T/bounded"
run_bounded() { PLUMB="$T/bounded" run "$@"; }
run_bounded --audit-key "$T/key.fifo" service set ledger2 --team payments
expect_status 1
expect_err "audit key $T/key.fifo is not a regular file"
run_bounded --audit-key "$T/key.fifo" audit verify
expect_status 1
PLUMB_PSEUDONYM_KEY="$T/key.fifo" PLUMB="$T/bounded" run key rotate
expect_status 1
expect_err "pseudonym key $T/key.fifo is not a regular file"
run_bounded org import "$T/org.csv"
expect_status 1
expect_err "$T/org.csv is a named pipe, not a file"
expect_counts "$before"
