# A head published with 'audit checkpoint' verifies later, and a rewritten chain fails against it.
init_db
ok org import "$FIXTURES/org-small.csv"
ok audit checkpoint
expect_out "plumb audit verify --head "
head=$(sed -n 's/.*verify --head \([0-9]*:[0-9a-f]*\).*/\1/p' "$T/out")
pub=$(sed -n 's/^public key: //p' "$T/out")
[ -n "$head" ] && [ -n "$pub" ] || fail "checkpoint printed no head or public key"
ok service set ledger --team payments
# Later writes keep the published head valid; the public key alone is enough.
ok audit verify --head "$head" --public-key "$pub"
expect_out "verified"
run audit verify --head "12:nothex"
expect_status 2
expect_err "invalid head"
# A sequence number as printed, digits only: one past any entry's range, or with a sign, is a
# mistyped head, not a log cut off (found hunting: exit 1, "the end of the log was cut off").
for bad in "99999999999999999999" "+${head%%:*}" " ${head%%:*}" "0"; do
	run audit verify --head "$bad:${head#*:}"
	expect_status 2
	expect_err "invalid head '$bad:${head#*:}'"
done
# An entry at or before the head rewritten with a correct hash (the attacker has no key,
# so the checkpoints stay): the head no longer matches.
seq=${head%%:*}
disable_audit_triggers
sql "UPDATE audit_log SET hash = '$(printf '0%.0s' $(seq 64))' WHERE seq = $seq"
run audit verify --head "$head"
expect_status 1
expect_err "audit chain broken at sequence number $seq"
