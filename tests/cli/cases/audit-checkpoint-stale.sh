# audit checkpoint offers for publishing only a checkpoint that signs the log's head as it
# stands, with a signature the key verifies. It printed the newest row of audit_checkpoints
# as it found it (found hunting): with the newest checkpoint deleted it offered an older
# head, so an entry written before the publication could later be cut off and verify
# --head still passed; a checkpoint row forged by hand was offered with the public key
# beside it, as if that key had signed it.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set ledger --team payments
ok audit checkpoint --json
head=$(json .head)
last=$(json .seq)
[ "$head" = "$last:$(sql "SELECT hash FROM audit_log WHERE seq = $last")" ] || fail "the head is not the log's newest entry"
IFS='|' read -r hash at key_id sig < <(sql "SELECT hash, at, key_id, signature FROM audit_checkpoints WHERE seq = $last")
disable_audit_triggers

# 1. The newest checkpoint deleted: the head it would offer is an older one.
sql "DELETE FROM audit_checkpoints WHERE seq = $last"
run audit checkpoint
expect_status 1
expect_err "plumb: error: the newest checkpoint does not sign the head of the audit log"
expect_err "the log ends at entry $last and the newest checkpoint signs entry "
expect_no_out "publish this line"
run audit checkpoint --json
expect_status 1
[ -s "$T/out" ] && fail "a head was offered for publishing: $(cat "$T/out")"
# The attack it let through: publish that older head, then cut the entry off.
older=$(sql "SELECT seq || ':' || hash FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")
sql "DELETE FROM audit_log WHERE seq = $last"
ok audit verify --head "$older" # the cut is invisible against a head published after it
sql "INSERT INTO audit_checkpoints(seq, hash, at, key_id, signature) VALUES ($last, '$hash', $at, '$key_id', '$sig')"
run audit checkpoint
expect_status 1
expect_err "the log ends at entry $((last - 1)) and the newest checkpoint signs entry $last"
run audit verify --head "$head"
expect_status 1

# 2. Restored from the saved rows, it is offered again.
reset_db
"$PLUMB" init >/dev/null && "$PLUMB" org import "$FIXTURES/org-small.csv" >/dev/null &&
	"$PLUMB" service set ledger --team payments >/dev/null || fail "setup"
disable_audit_triggers
ok audit checkpoint --json
last=$(json .seq)
sig=$(json .signature)
# 3. Its signature replaced: the row no longer verifies with the key, so it is not offered.
forged=$(printf '%0128d' 0)
sql "UPDATE audit_checkpoints SET signature = '$forged' WHERE seq = $last"
run audit checkpoint
expect_status 1
expect_err "plumb: error: the newest checkpoint's signature does not verify"
expect_no_out "public key:"
sql "UPDATE audit_checkpoints SET signature = '$sig' WHERE seq = $last"
ok audit checkpoint
expect_out "publish this line"
expect_out "public key: "

# 4. An entry appended by hand with a checkpoint row of its own: no key signed it.
ns() { printf '%d:%s,' "${#1}" "$1"; }
IFS='|' read -r seq at prev < <(sql "SELECT seq + 1, at, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
detail='{"team":"payments"}'
fhash=$({ ns "$seq"; ns "$at"; ns admin; printf '~,'; ns service.create; ns service; ns forged; ns "$detail"; ns "$prev"; } | sha256sum | cut -d' ' -f1)
sql "INSERT INTO audit_log(seq, at, actor, action, object_type, object_id, detail, prev_hash, hash) VALUES ($seq, $at, 'admin', 'service.create', 'service', 'forged', '$detail', '$prev', '$fhash')"
sql "INSERT INTO audit_checkpoints(seq, hash, at, key_id, signature) SELECT $seq, '$fhash', at, key_id, signature FROM audit_checkpoints WHERE seq = $last"
run audit checkpoint
expect_status 1
expect_err "the newest checkpoint's signature does not verify"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $seq"
# Without a key at hand only the head is checked; that one is the log's.
PLUMB_AUDIT_KEY="$T/none.key" ok audit checkpoint --json
expect_json .seq "$seq"
expect_json .public_key null
