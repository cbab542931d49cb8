# plumb key rotate: admin only; a new key generation, audited (the generation, never key
# material) in the same transaction; analysts then see new pseudonyms, stable between
# rotations (of the analyst's manager: their own record is theirs in clear); the old ring
# stays in force when the rotation is refused.
ok init
ok org import "$FIXTURES/org-small.csv"
ok user add --person E204 --role analyst
ok user add --person E201 --role employee
key="$T/pseudonym.key"
[ -f "$key" ] || fail "plumb init made no pseudonym key beside the audit key"
before=$(sha256sum <"$key")
ok --as E204 person show E204 --json
p1=$(json .manager_id)
[[ $p1 =~ ^P-[0-9a-f]{16}$ ]] || fail "not a pseudonym: $p1"
ok --as E204 person show E204 --json
expect_json .manager_id "$p1"
# Refused for anyone but an admin, and audited; the key is untouched.
run --as E201 key rotate
expect_status 3
expect_err "needs the admin role"
run --as E204 key rotate --json
expect_status 3
[ "$(sha256sum <"$key")" = "$before" ] || fail "a refused rotation changed the key"
[ ! -e "$key.new" ] || fail "a refused rotation left $key.new"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'key.rotate'")" = 2 ] ||
	fail "refusals not audited"
ok key rotate
expect_out "pseudonym key rotated: generation 2 in $key"
[ ! -e "$key.new" ] || fail "$key.new left behind"
[ "$(stat -c %a "$key")" = 600 ] || fail "the key file is not mode 0600"
[ "$(grep -c '^[0-9a-f]\{64\}$' "$key")" = 2 ] || fail "the ring does not hold two keys"
ok key rotate --json
expect_json .generation 3
expect_json .path "$key"
# The audit entries hold the generation and nothing of the key.
ok audit log --json
expect_json '[.[] | select(.action == "key.rotate") | .detail.generation] | join(",")' "2,3"
for k in $(cat "$key" | grep '^[0-9a-f]\{64\}$'); do
	grep -q "$k" "$T/out" && fail "key material in the audit log"
	[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%$k%'")" = 0 ] || fail "key material in audit_log"
done
# New pseudonyms after the rotation, stable until the next.
ok --as E204 person show E204 --json
p3=$(json .manager_id)
[[ $p3 =~ ^P-[0-9a-f]{16}$ ]] || fail "not a pseudonym after the rotation: $p3"
[ "$p3" != "$p1" ] || fail "the pseudonym did not change"
ok --as E204 person show E204 --json
expect_json .manager_id "$p3"
# A rotation whose new ring cannot be written fails and leaves the old ring in force
# (a directory where the new ring would go; the tests may run as root).
mkdir "$key.new" && touch "$key.new/x"
run key rotate
[ "$status" -ne 0 ] || fail "a rotation that could not write its new ring succeeded"
rm -r "$key.new"
[ "$(grep -c '^[0-9a-f]\{64\}$' "$key")" = 3 ] || fail "the ring changed after a failed rotation"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'key.rotate'")" = 2 ] || fail "a failed rotation was audited"
ok --as E204 person show E204 --json
expect_json .manager_id "$p3"
ok audit verify
