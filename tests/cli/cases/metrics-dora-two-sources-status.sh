# One deployment read by two GitHub sources counts as the copy that heard the latest of its
# statuses, not the one whose deployment record says it was updated last: GitHub need not
# move a deployment's updated_at when a status arrives, so a source that read the deployment
# alone ties with (or beats) one that read its success, and the first stored copy won, which
# knew of no success: the deployment left the frequency and the lead time.  DORA counts a
# deployment to production that succeeded (dora.dev, "Deployment frequency": how often an
# organization successfully releases to production); docs/metrics.md, "One record, however
# many sources read it".  The fixture's production deployment 9002 of 9f1c0d2e, a success
# at 2024-03-02T11:04:30Z, its record's updated_at the same instant.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set widgets --team payments --effective 2024-01-01
ok service map widgets --repo acme/widgets
ok source add github --name gh --repo acme/widgets
ok source add github --name gh-org --org acme
ok ingest --source gh "$FIXTURES/github/deployments.json"
ok ingest --source gh-org "$FIXTURES/github/deployments.json" "$FIXTURES/github/deployment-statuses.json"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND environment = 'production'")" = 2 ] ||
	fail "setup: expected the production deployment stored by both sources"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND environment = 'production' AND status IS NULL")" = 1 ] ||
	fail "setup: expected one copy that read no status"
ok dora --team payments --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 1

# The copy without statuses updated later upstream (GitHub moved the record after the
# status the other source read): it still knows no status, and the copy that heard the
# success counts.
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set widgets --team payments --effective 2024-01-01
ok service map widgets --repo acme/widgets
ok source add github --name gh --repo acme/widgets
ok source add github --name gh-org --org acme
jq 'map(.updated_at = "2024-03-02T11:30:00Z")' "$FIXTURES/github/deployments.json" >moved.json
ok ingest --source gh-org "$FIXTURES/github/deployment-statuses.json"
ok ingest --source gh moved.json
ok dora --team payments --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 1

# A count: definition asks its where of the same copy: the successful production deployments
# are the one the copy that heard the success knows of.
file deploys.yaml <<'YAML'
key: good_deploys
name: Successful deployments
description: Deployments to production that succeeded.
unit: deployments
direction: higher
indicator: leading
scopes: [org, team]
stakeholders: [development]
owner: developer-experience
formula:
  count: deployment
  where:
    status: success
    environment: production
YAML
ok metrics define deploys.yaml
ok metrics approve good_deploys --version 1 --function development
ok metrics show good_deploys --team payments --from 2024-03-01 --to 2024-03-08 --json
expect_json '.value.n' 1

# A copy that heard a later status but not how the deployment ended (a source added after
# the success, which read only the inactive GitHub gives it once a newer deployment
# succeeds) says nothing of its end: the copy that heard the success counts, and the
# deployment finished at that success (docs/metrics.md, "Deployment": its first success
# status).
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set widgets --team payments --effective 2024-01-01
ok service map widgets --repo acme/widgets
ok source add github --name gh --repo acme/widgets
ok source add github --name gh-org --org acme
ok ingest --source gh-org "$FIXTURES/github/deployments.json" "$FIXTURES/github/deployment-statuses.json"
jq '[.[] | select(.id == 77003) | .id = 77009 | .state = "inactive" |
	.created_at = "2024-03-02T12:00:00Z" | .updated_at = .created_at]' \
	"$FIXTURES/github/deployment-statuses.json" >inactive.json
ok ingest --source gh inactive.json
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment' AND status = 'inactive'")" = 1 ] ||
	fail "setup: expected gh's copy to hold the inactive status alone"
ok dora --team payments --from 2024-03-01 --to 2024-03-08 --json
expect_json '.keys.deployment_frequency.value.n' 1
ok explain "$(json '.keys.deployment_frequency.value.id')" --json
expect_json '[.inputs[] | "\(.source) \(.ended_at)"] | join(",")' "gh-org 2024-03-02T11:04:30.000Z"
