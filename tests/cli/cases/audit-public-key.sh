# verify --public-key with the key printed by 'audit checkpoint' passes without the key file; another key or a malformed one fails.
init_db
ok org import "$FIXTURES/org-small.csv"
ok audit checkpoint --json
pk=$(json .public_key)
key_id=$(json .key_id)
ok audit verify --public-key "$pk"
expect_out "verified"
expect_out "key $key_id"
# No key file at all: the public key alone verifies.
mv "$PLUMB_AUDIT_KEY" "$T/hidden.key"
ok audit verify --public-key "$pk"
run audit verify
expect_status 4
expect_err "hint: the audit signing key is created by 'plumb init'"
# The checkpoint without the key file still prints the head, but cannot vouch for the key.
ok audit checkpoint --json
expect_json .public_key null
mv "$T/hidden.key" "$PLUMB_AUDIT_KEY"

# Another key (from another installation).
other_db=$(extra_db other)
ok --db "$other_db" --audit-key "$T/other.key" init
ok --db "$other_db" --audit-key "$T/other.key" audit checkpoint --json
other=$(json .public_key)
[ "$other" != "$pk" ] || fail "two keys are the same"
run audit verify --public-key "$other"
expect_status 1
expect_err "was signed by another key"
run audit verify --public-key "$other" --json
expect_status 1
expect_json .verified false
# The same with --audit-key pointing to the other key file.
run --audit-key "$T/other.key" audit verify
expect_status 1
expect_err "signed by another key"
# A key with one digit flipped: a key id mismatch too.
if [ "${pk:0:1}" = 0 ]; then flipped="1${pk:1}"; else flipped="0${pk:1}"; fi
[ "$flipped" != "$pk" ] || fail "flip failed"
run audit verify --public-key "$flipped"
expect_status 1
# Malformed keys are usage errors.
run audit verify --public-key "${pk:0:63}"
expect_status 2
expect_err "invalid public key"
run audit verify --public-key "$(printf 'z%.0s' $(seq 64))"
expect_status 2
