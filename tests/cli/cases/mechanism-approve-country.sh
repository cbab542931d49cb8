# A country approval stands in only where the policy names one of its own for that country;
# elsewhere the company-wide approval counts (docs/governance.md, "Approvals"). Recording one
# for a country without is refused, with nothing written, and one recorded before that refusal
# existed lets no record through: ingestion and mechanism list agree. (Found in session 39's
# governance hunt: ingestion collected a DE person's records on a DE approval the policy did
# not ask for, while mechanism list said the mechanism waited.)
init_db
ok org import "$FIXTURES/org-small.csv"
file policy.yaml <<'YAML'
name: company-wide approval
mechanisms:
  - key: commit_metadata
    name: Commit metadata
    purpose: Lead time and deployment frequency of teams.
    categories: [events]
    event_kinds: [commit]
    enabled: true
    consent: not-required
    approval: works-council
YAML
policy_retention >>"$T/policy.yaml"
ok policy import policy.yaml
before=$(sql "SELECT (SELECT COUNT(*) FROM mechanism_approvals)||' '||(SELECT COUNT(*) FROM audit_log)")
run mechanism approve commit_metadata --body works-council --country DE --reference "BV 3"
expect_status 2
expect_err "the policy names no approval of commit_metadata of its own for DE"
expect_err "hint: record it without --country"
[ "$(sql "SELECT (SELECT COUNT(*) FROM mechanism_approvals)||' '||(SELECT COUNT(*) FROM audit_log)")" = "$before" ] ||
	fail "a refused approval wrote something"
# One recorded before the refusal existed: the DE author's commit waits all the same.
sql "INSERT INTO mechanism_approvals(mechanism, country, body, reference, approved_at, recorded_by)
  VALUES ('commit_metadata', 'DE', 'works-council', 'BV 3', 1700000000000, 'admin')" >/dev/null
ok mechanism list --json
expect_json '.mechanisms[0].state' waiting
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E101 # DE
ok ingest --source gh "$FIXTURES/github" --json
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E101' AND e.kind = 'commit'")" = 0 ] ||
	fail "a DE commit was collected on an approval the policy does not ask for"
# The company-wide approval lets it through.
ok mechanism approve commit_metadata --body works-council --reference "Konzernbetriebsvereinbarung 1"
ok ingest --source gh "$FIXTURES/github"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E101' AND e.kind = 'commit'")" -ge 1 ] ||
	fail "the company-wide approval did not let the DE commit through"
