# policy rules lists the acceptable-use rules the core enforces, for every role, as a table
# and as JSON.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role employee
ok policy rules
for r in team-metric-on-person incident-negative-evidence metrics-only-evaluation \
	prohibited-mechanism incentive-needs-signoff forced-ranking-forbidden; do
	expect_out "$r"
done
ok --as E101 policy rules --json
expect_json 'length' 6
expect_json '.[] | select(.rule == "incentive-needs-signoff") | .forbids | test("compensation or promotion")' true
expect_json '[.[] | select(.applies_to == "" or .forbids == "")] | length' 0
