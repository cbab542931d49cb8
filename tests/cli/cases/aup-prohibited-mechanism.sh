# Rule prohibited-mechanism: a policy that enables a prohibited mechanism is refused at import
# (exit 3, the rule named), no version is stored, and the refusal is audited as policy.refused.
init_db
sed -e '/key: keystroke_analytics/,/prohibited: true/ s/enabled: false/enabled: true/' \
	"$FIXTURES/aup/policy.yaml" >bad.yaml
grep -q 'enabled: true' bad.yaml && ! grep -A5 keystroke_analytics bad.yaml | grep -q 'enabled: false' ||
	fail "the fixture was not changed as meant"
run policy import bad.yaml
expect_status 3
expect_err "refused by acceptable-use rule prohibited-mechanism: mechanism keystroke_analytics is prohibited and cannot be enabled"
[ "$(sql "SELECT COUNT(*) FROM policies")" = 0 ] || fail "a refused policy was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_type = 'rule' AND object_id = 'prohibited-mechanism'")" = 1 ] ||
	fail "the refusal was not audited"
[ "$(sql "SELECT detail FROM audit_log WHERE action = 'policy.refused'" | jq -r .op)" = policy.import ] ||
	fail "the refusal does not name the operation"
# The same over JSON: the error code says it was policy.
run policy import bad.yaml --json
expect_status 3
# The good policy imports; a prohibited mechanism that stays disabled is fine.
ok policy import "$FIXTURES/aup/policy.yaml"
expect_out "policy version 1 imported"
ok audit verify
