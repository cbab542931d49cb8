# Rewriting an entry and recomputing its hash keeps the chain consistent, but the signed checkpoint catches it.
init_db
ok org import "$FIXTURES/org-small.csv"
last=$(sql "SELECT MAX(seq) FROM audit_log")
disable_audit_triggers
# The canonical encoding is netstrings of seq, at, actor, os_user (~ for null), action,
# object_type, object_id, detail, prev_hash; the hash is its SHA-256.
ns() { printf '%d:%s,' "${#1}" "$1"; }
IFS='|' read -r seq at actor action otype oid prev < <(sql "SELECT seq, at, actor, action, object_type, object_id, prev_hash FROM audit_log WHERE seq=$last")
forged='{"file":"forged.csv"}'
hash=$({ ns "$seq"; ns "$at"; ns "$actor"; printf '~,'; ns "$action"; ns "$otype"; ns "$oid"; ns "$forged"; ns "$prev"; } | sha256sum | cut -d' ' -f1)
# Check the encoding on an untouched entry first, so the forgery is a real one.
IFS='|' read -r s2 at2 ac2 a2 t2 o2 d2 p2 h2 < <(sql "SELECT seq, at, actor, action, object_type, object_id, detail, prev_hash, hash FROM audit_log WHERE seq=2")
[ "$({ ns "$s2"; ns "$at2"; ns "$ac2"; printf '~,'; ns "$a2"; ns "$t2"; ns "$o2"; ns "$d2"; ns "$p2"; } | sha256sum | cut -d' ' -f1)" = "$h2" ] ||
	fail "test's hash encoding does not match plumb's"
sql "UPDATE audit_log SET detail='$forged', hash='$hash' WHERE seq=$last"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $last"
expect_err "the entry's hash differs from the signed checkpoint (history was rewritten and rehashed)"
# Forging the checkpoint too needs the signing key: a changed hash breaks its signature.
sql "UPDATE audit_checkpoints SET hash='$hash' WHERE seq=$last"
run audit verify
expect_status 1
expect_err "audit chain broken at sequence number $last"
expect_err "the checkpoint's signature does not verify"
