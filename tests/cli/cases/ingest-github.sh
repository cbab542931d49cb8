# ingest reads a directory of GitHub REST pages and webhook bodies into one run: the summary
# counts them, events list shows each kind with its external ids and RFC 3339 UTC times, the
# repository became an unowned service of its own, every event points at the raw payload it
# came from (the file's own sha256), bots are marked, and the audit log holds the run's
# service.create, service.map and ingest.publish entries and still verifies.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok ingest --source gh "$FIXTURES/github"
expect_out "ingested 24 records from 11 documents into gh (run 1): 15 new, 0 updated, 0 unchanged"
expect_out "1 unmapped thing became a service of its own"
expect_out "4 accounts matched to nobody"
[ "$(sql "SELECT COUNT(*) FROM events")" = 15 ] || fail "expected 15 events"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = 11 ] || fail "expected one raw payload per file"
[ "$(sql "SELECT status || ' ' || documents || ' ' || records || ' ' || inserted FROM ingest_runs")" = "published 11 24 15" ] ||
	fail "ingest_runs: $(sql "SELECT * FROM ingest_runs")"

# Per kind: the external ids, oldest first.
ids() { ok events list --kind "$1" --json; json 'map(.external_id) | join(",")'; }
[ "$(ids commit)" = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1,9f1c0d2e3a4b5c6d7e8f90a1b2c3d4e5f6a7b8c9" ] || fail "commits: $(ids commit)"
[ "$(ids pull_request)" = "acme/widgets#101,acme/widgets#102,acme/widgets#103,acme/widgets#104" ] || fail "pull requests"
[ "$(ids review)" = "2001,2002,2003" ] || fail "reviews"
[ "$(ids deployment)" = "9001,9002" ] || fail "deployments"
[ "$(ids ci_run)" = "8000000001,8000000002,8000000003,8000000004" ] || fail "ci runs"
for k in incident work_item; do [ "$(ids $k)" = "" ] || fail "no $k expected from github"; done

# Times are RFC 3339 UTC with milliseconds; nobody is attributed yet, the service is acme.widgets.
for k in commit pull_request review deployment ci_run; do
	ok events list --kind $k --json
	expect_json '[.[] | .occurred_at, (.ended_at // empty), (.updated_at // empty)
		| select(test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$") | not)] | length' 0
	expect_json '[.[] | select(.service != "acme.widgets" or .team != null or .person != null or .source != "gh")] | length' 0
	expect_json '[.[] | select(.raw_id == null or .version != 1)] | length' 0
done
ok events list --kind pull_request --json
expect_json '.[] | select(.external_id == "acme/widgets#101") | "\(.status) \(.occurred_at) \(.ended_at) \(.account)"' \
	"merged 2024-03-01T09:00:00.000Z 2024-03-02T10:29:59.000Z alice"
expect_json '.[] | select(.external_id == "acme/widgets#103") | .occurred_at' "2024-03-04T08:00:00.250Z"
# Bots: dependabot's pull request and workflow run are marked, people's are not.
expect_json '.[] | select(.account == "dependabot[bot]") | "\(.external_id) \(.bot)"' "acme/widgets#104 true"
expect_json '[.[] | select(.bot) | .external_id] | length' 1
ok events list --kind ci_run --json
expect_json '[.[] | select(.bot) | .account] | join(",")' "dependabot[bot]"
ok events list --kind review --json
expect_json '.[] | select(.external_id == "2001") | "\(.status) \(.account) \(.parent_id)"' "changes_requested bob acme/widgets#101"

# The service the repository became: unowned, mapped, audited.
ok service list --json
expect_json 'map("\(.name) \(.team)") | join(",")' "acme.widgets null"
ok service owner-of --repo acme/widgets
expect_out acme.widgets

# raw_id points at the payload each event came from; the payload's sha256 is the file's.
[ "$(sql "SELECT COUNT(*) FROM events e LEFT JOIN raw_payloads r ON r.id = e.raw_id WHERE r.id IS NULL")" = 0 ] ||
	fail "an event's raw_id points at no raw payload"
n=0
while IFS='|' read -r origin sha size; do
	[ -f "$origin" ] || fail "raw payload origin '$origin' is not the file given"
	[ "$(sha256sum "$origin" | cut -d' ' -f1)" = "$sha" ] || fail "sha256 of $origin differs from the stored $sha"
	[ "$(wc -c <"$origin")" -eq "$size" ] || fail "size of $origin"
	n=$((n + 1))
done < <(sql "SELECT origin, sha256, size FROM raw_payloads ORDER BY id")
[ "$n" = 11 ] || fail "checked $n payloads"
raw_of() { sql "SELECT r.origin FROM events e JOIN raw_payloads r ON r.id = e.raw_id WHERE e.kind = '$1' AND e.external_id = '$2'"; }
[ "$(raw_of pull_request 'acme/widgets#103')" = "$FIXTURES/github/pulls.json" ] || fail "PR 103 raw: $(raw_of pull_request 'acme/widgets#103')"
[ "$(raw_of review 2001)" = "$FIXTURES/github/reviews.json" ] || fail "review 2001 raw"
[ "$(raw_of deployment 9001)" = "$FIXTURES/github/deployments.json" ] || fail "deployment 9001 raw"
[ "$(sql "SELECT format FROM raw_payloads WHERE origin = '$FIXTURES/github/pulls.json'")" = github-pulls ] || fail "detected format"
ok events list --kind review --json
raw=$(json '.[] | select(.external_id == "2002") | .raw_id')
[ "$(sql "SELECT sha256 FROM raw_payloads WHERE id = $raw")" = "$(sha256sum "$FIXTURES/github/reviews.json" | cut -d' ' -f1)" ] ||
	fail "events list raw_id $raw is not reviews.json"

# The audit log: what the run did, in order, and it still verifies.
ok audit log --json
jq -r --argjson from "$entries" '[.[] | select(.seq > $from) | .action + " " + .object_id] | join(",")' "$T/out" >"$T/actions"
[ "$(cat "$T/actions")" = "service.create acme.widgets,service.map github:acme/widgets,ingest.publish gh" ] ||
	fail "audit entries of the run: $(cat "$T/actions")"
ok audit log --json --object source:gh
expect_json '.[-1].action' ingest.publish
expect_json '.[-1].detail | "\(.run) \(.mode) \(.documents) \(.records) \(.inserted) \(.merged) \(.services_created)"' "1 file 11 24 15 9 1"
ok audit verify
