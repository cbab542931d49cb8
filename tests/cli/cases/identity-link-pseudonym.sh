# A policy holds the events of an account matched to nobody, or of a person without a required
# consent, under a keyed hash of the account (H<gen>-...), which identity unmatched lists.  Such a
# pseudonym is not an account: identity link and the org import refuse it, nothing written, and
# the list says to link the real login (found in acceptance: 'identity link github H1-...' was
# accepted, and the next org import gave the person the events of another person who had not
# consented, under that person's pseudonym).
init_db
ok org import "$FIXTURES/org-small.csv"
file policy.yaml <<'YAML'
name: pseudonym test
mechanisms:
  - key: delivery_pipeline
    name: CI runs and deployments
    purpose: Change failure rate.
    categories: [events]
    event_kinds: [deployment, ci_run]
    enabled: true
    consent: required
    without_consent: pseudonymize
    on_withdrawal: keep
YAML
policy_retention >>"$T/policy.yaml"
ok policy import policy.yaml
ok source add github --name gh --repo acme/widgets
ok identity link github bob --person E103 # without consent: bob's CI run is pseudonymized
ok ingest --source gh "$FIXTURES/github"
ok identity unmatched --json
pseudo=$(json '[.[] | select(.login | startswith("H1-"))][0].login')
[ -n "$pseudo" ] && [ "$pseudo" != null ] || fail "no pseudonym listed"
ok identity unmatched
expect_out "H<generation>-... are accounts the policy holds pseudonymized"
# The pseudonym, in any case: refused, nothing written.
before=$(counts)
for p in "$pseudo" "$(echo "$pseudo" | tr a-z A-Z)" "$(echo "$pseudo" | tr A-Z a-z)"; do
	run identity link github "$p" --person E103
	expect_status 2
	expect_err "'$p' is an account pseudonym, not an account"
	expect_err "hint: link the account's own login or email address"
	run identity link jenkins "$p" --person E103
	expect_status 2
done
expect_counts "$before"
# An org file naming one is refused, naming the line and field.
{ cat "$FIXTURES/org-small.csv"; echo "E301,Nora Hale,nora.hale@acme.example,M002,search,Software Engineer,L3,ic,backend,US,2026-01-05,,$pseudo,,,"; } >org.csv
run org import org.csv
expect_status 1
expect_err "org.csv:14: github_login: '$pseudo' is an account pseudonym, not an account"
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account LIKE 'H1-%' AND person_id IS NOT NULL")" = 0 ] ||
	fail "a pseudonymized event got a person"
# A login that only looks alike (no 16 hex digits) is an account as any other.
ok identity link github h1-release --person E104
