# Rewriting an entry and recomputing its hash keeps the chain consistent, but the signed
# checkpoint catches it, and no later write signs over a forged or rewritten entry.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
disable_audit_triggers
# The canonical encoding is netstrings of seq, at, actor, os_user (~ for null), action,
# object_type, object_id, detail, prev_hash; the hash is its SHA-256.
ns() { printf '%d:%s,' "${#1}" "$1"; }
# An entry appended outside plumb with a correct hash: verify reports it uncovered, and every
# write (an audited read too) is refused rather than signing it, writing nothing.
IFS='|' read -r seq at prev < <(sql "SELECT seq + 1, at, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
forged='{"purpose":"forged"}'
hash=$({ ns "$seq"; ns "$at"; ns admin; printf '~,'; ns consent.grant; ns person; ns E201; ns "$forged"; ns "$prev"; } | sha256sum | cut -d' ' -f1)
sql "INSERT INTO audit_log(seq, at, actor, action, object_type, object_id, detail, prev_hash, hash) VALUES ($seq, $at, 'admin', 'consent.grant', 'person', 'E201', '$forged', '$prev', '$hash')"
run audit verify
expect_status 1
expect_err "are not covered by a signed checkpoint"
run service set forged-cover --team payments
expect_status 1
expect_err "the audit log was changed outside plumb after its last signed checkpoint"
expect_err "the log ends at entry $seq and the last valid checkpoint signs entry $((seq - 1))"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name='forged-cover'")" = 0 ] || fail "the refused write landed"
run --as E201 me
expect_err "the audit log was changed outside plumb"
[ "$(sql "SELECT MAX(seq) FROM audit_log")" = "$seq" ] || fail "a refused command appended"
run audit verify
expect_status 1
# With the forged entry gone the head is the signed one again, and writes go on.
sql "DELETE FROM audit_log WHERE seq = $seq"
ok service set ledger --team payments
ok audit verify
last=$(sql "SELECT MAX(seq) FROM audit_log")
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
# Without its checkpoint the rewritten entry is only "not covered"; a later write must not
# sign over it (verify would then pass).
sql "DELETE FROM audit_checkpoints WHERE seq=$last"
run audit verify
expect_status 1
expect_err "are not covered by a signed checkpoint"
run service set forged-cover --team payments
expect_status 1
expect_err "the audit log was changed outside plumb after its last signed checkpoint"
[ "$(sql "SELECT MAX(seq) FROM audit_log")" = "$last" ] || fail "the refused write appended"
run audit verify
expect_status 1
