# Ingesting the same files again changes nothing (0 new, 0 updated, the same event rows, no
# new raw payloads, even from another path); an edited pull request (new title, later
# updated_at) is 1 updated: version 2, with one event_versions row keeping the old title; a
# stale copy (an older updated_at) changes nothing.
init_db
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
expect_out "15 new, 0 updated, 0 unchanged"
dump() { sql "SELECT * FROM events ORDER BY id"; }
before=$(dump)
raws=$(sql "SELECT id || ' ' || sha256 FROM raw_payloads ORDER BY id")

ok ingest --source gh "$FIXTURES/github"
expect_out "ingested 24 records from 11 documents into gh (run 2): 0 new, 0 updated, 15 unchanged"
expect_no_out "unmapped"
[ "$(dump)" = "$before" ] || fail "a second ingest of the same files changed events: $(diff <(echo "$before") <(dump))"
[ "$(sql "SELECT id || ' ' || sha256 FROM raw_payloads ORDER BY id")" = "$raws" ] || fail "the same payloads were stored twice"
[ "$(sql "SELECT COUNT(*) FROM event_versions")" = 0 ] || fail "versions written for unchanged events"
[ "$(sql "SELECT COUNT(*) FROM services")" = 1 ] || fail "a service was created again"
ok ingest --source gh --json "$FIXTURES/github"
expect_json '"\(.run) \(.documents) \(.records) \(.inserted) \(.updated) \(.unchanged) \(.services_created)"' "3 11 24 0 0 15 0"

# The same content under another name is the same payload.  (reviews.json: a file whose
# records no other file of the directory snapshots; see the report on pulls.json.)
mkdir copy
cp "$FIXTURES/github/reviews.json" copy/reviews-again.json
ok ingest --source gh copy/reviews-again.json
expect_out "0 new, 0 updated, 3 unchanged"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads")" = 11 ] || fail "a copy of a file was stored again"
[ "$(dump)" = "$before" ] || fail "a copy changed events"

# An edited pull request: a new title and a later updated_at (a page of that one pull request).
jq '[.[] | select(.number == 103) | .title = "Metrics page" | .updated_at = "2024-03-10T09:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >copy/pulls-edited.json
ok ingest --source gh copy/pulls-edited.json
expect_out "ingested 1 record from 1 document into gh (run 5): 0 new, 1 updated, 0 unchanged"
ok events list --kind pull_request --json
expect_json '.[] | select(.external_id == "acme/widgets#103") | "\(.version) \(.title) \(.updated_at)"' \
	"2 Metrics page 2024-03-10T09:00:00.000Z"
expect_json '[.[] | select(.version != 1)] | length' 1
id=$(sql "SELECT id FROM events WHERE kind = 'pull_request' AND external_id = 'acme/widgets#103'")
# The old version: its title and its updated_at (2024-03-04T09:00:00Z in epoch milliseconds).
[ "$(sql "SELECT version || '|' || title || '|' || updated_at FROM event_versions")" = "1|WIP: metrics page|1709542800000" ] ||
	fail "event_versions: $(sql "SELECT * FROM event_versions")"
[ "$(sql "SELECT event_id FROM event_versions")" = "$id" ] || fail "the version belongs to another event"
[ "$(sql "SELECT COUNT(*) FROM event_versions WHERE title = 'WIP: metrics page' AND version = 1")" = 1 ] || fail "the old title is not kept"
# The old version keeps the old raw payload; the event now points at the edited file's.
[ "$(sql "SELECT r.origin FROM event_versions v JOIN raw_payloads r ON r.id = v.raw_id")" = "$FIXTURES/github/pulls.json" ] ||
	fail "the old version's raw payload"
[ "$(sql "SELECT r.sha256 FROM events e JOIN raw_payloads r ON r.id = e.raw_id WHERE e.id = $id")" = "$(sha256sum copy/pulls-edited.json | cut -d' ' -f1)" ] ||
	fail "the event's raw payload is not the edited file"
# Nothing else moved.
[ "$(sql "SELECT * FROM events WHERE id <> $id ORDER BY id")" = "$(echo "$before" | grep -v "^$id|")" ] || fail "other events changed"

# The edited file again, and a stale copy of the same pull request (older updated_at): no change.
after=$(dump)
ok ingest --source gh copy/pulls-edited.json
expect_out "0 new, 0 updated, 1 unchanged"
jq '[.[] | select(.number == 103) | .title = "Stale title" | .updated_at = "2024-03-05T00:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >copy/pulls-stale.json
ok ingest --source gh copy/pulls-stale.json
expect_out "0 new, 0 updated, 1 unchanged"
[ "$(dump)" = "$after" ] || fail "a stale snapshot changed events"
[ "$(sql "SELECT COUNT(*) FROM event_versions")" = 1 ] || fail "expected one version row"
[ "$(sql "SELECT COUNT(*) FROM ingest_runs WHERE status = 'published'")" = 7 ] || fail "runs: $(sql "SELECT id, status FROM ingest_runs")"
ok audit verify

# Single files of a directory already read, in any order: records that several formats
# describe (a pull request from its page and from webhooks, a commit from its page and a
# push) neither flip back and forth nor lose what the other format gave.
for f in pulls.json webhook-pull_request.closed-merged.json commits.json webhook-push.json \
	webhook-deployment_status.failure.json pulls.json webhook-push.json commits.json; do
	ok ingest --source gh "$FIXTURES/github/$f"
	expect_out "0 new, 0 updated"
done
[ "$(dump)" = "$after" ] || fail "re-reading single files changed events"
[ "$(sql "SELECT COUNT(*) FROM event_versions")" = 1 ] || fail "re-reading single files made versions"
ok events list --kind pull_request --json
expect_json '[.[] | select(.external_id == "acme/widgets#101")][0].attrs.additions' 120
ok events list --kind commit --json
expect_json '[.[] | select(.attrs.parents != null and .attrs.distinct != null)] | length' 2

# A new pull request among stored ones, in one page: only it is inserted, and the stored
# ones spend no event id (PostgreSQL takes an id before an ON CONFLICT check would skip
# the row), so ids stay dense on both engines.
jq '. + [.[0] | .number = 199 | .id = 1800000199 | .title = "Brand new"]' \
	"$FIXTURES/github/pulls.json" >copy/pulls-plus-one.json
ok ingest --source gh copy/pulls-plus-one.json
expect_out "1 new, 0 updated"
[ "$(sql "SELECT COUNT(*) || ' ' || MAX(id) FROM events")" = "16 16" ] ||
	fail "event ids after one new event: $(sql "SELECT COUNT(*) || ' ' || MAX(id) FROM events")"

# A renamed repository (acme/widgets to acme/widgets-v2): pull request #101 keeps GitHub's id,
# so it stays one event under its new key, the earlier version keeping the old owner; its
# reviews follow; the old pages read again change nothing (a stale snapshot of the record).
jq '[.[] | select(.number == 101) | .base.repo.full_name = "acme/widgets-v2" |
	.html_url = "https://github.com/acme/widgets-v2/pull/101" | .updated_at = "2024-03-20T00:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >copy/pulls-renamed.json
old_service=$(sql "SELECT s.name FROM service_mappings m JOIN services s ON s.id = m.service_id WHERE m.system = 'github' AND m.key = 'acme/widgets' AND m.path_prefix = ''")
[ -n "$old_service" ] || fail "acme/widgets is mapped to no service"
ok ingest --source gh copy/pulls-renamed.json
expect_out "0 new, 1 updated, 0 unchanged"
expect_out "1 record moved upstream"
# The renamed repository keeps its service (and so its team), mapped to it, not a new
# unowned one.
expect_out "1 repository renamed upstream kept its service"
expect_no_out "became a service"
[ "$(sql "SELECT s.name FROM events e JOIN services s ON s.id = e.service_id WHERE e.external_id = 'acme/widgets-v2#101'")" = "$old_service" ] ||
	fail "the renamed repository's pull request left $old_service"
ok service mappings --json
expect_json '.[] | select(.key == "acme/widgets-v2") | .service' "$old_service"
ok audit log --json
expect_json '[.[] | select(.action == "service.map" and .object_id == "github:acme/widgets-v2") | "\(.detail.reason) \(.detail.renamed_from)"] | join(",")' \
	"renamed upstream acme/widgets"
ok ingest --source gh --json "$FIXTURES/github/pulls.json" "$FIXTURES/github/reviews.json"
expect_json '"\(.inserted) \(.updated) \(.moved)"' "0 0 0"
ok events list --kind pull_request --json
expect_json '[.[] | select(.attrs.id == "1800000101") | "\(.external_id) \(.version) \(.url)"] | join(",")' \
	"acme/widgets-v2#101 2 https://github.com/acme/widgets-v2/pull/101"
[ "$(sql "SELECT v.owner_key || ' ' || v.url FROM event_versions v JOIN events e ON e.id = v.event_id WHERE e.external_id = 'acme/widgets-v2#101'")" = \
	"acme/widgets https://github.com/acme/widgets/pull/101" ] || fail "the earlier version: $(sql "SELECT * FROM event_versions")"
ok events list --kind review --json
expect_json 'map(.parent_id) | unique | join(",")' "acme/widgets-v2#101"
ok metrics show pr_throughput --from 2024-03-01 --to 2024-03-08 --json
expect_json '.value.n' 2 # #101 and #199
ok metrics show review_turnaround --from 2024-03-01 --to 2024-03-08 --json
expect_json '.value | "\(.n) \(.value)"' "1 4"
# The old reviews page alone (found in review): its reviews name #101 by the old key, which no
# event has now. The pull request's earlier version had it, so they name the key #101 has now
# and change nothing; review turnaround still counts #101 (it counted nothing).
ok ingest --source gh --json "$FIXTURES/github/reviews.json"
expect_json '"\(.inserted) \(.updated)"' "0 0"
ok events list --kind review --json
expect_json 'map(.parent_id) | unique | join(",")' "acme/widgets-v2#101"
ok metrics show review_turnaround --from 2024-03-01 --to 2024-03-08 --json
expect_json '.value | "\(.n) \(.value)"' "1 4"

# A Jira issue moved to another project (PLAT-101 to OPS-55, id 10101): one event, also when
# the stored one was written by an earlier plumb (no attrs.id: its url, the API's self, names
# the id), and when both snapshots come in one run.
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
ok ingest --source jira "$FIXTURES/jira"
sql "UPDATE events SET attrs = REPLACE(attrs, '\"id\":\"10101\",', '') WHERE external_id = 'PLAT-101'"
[ "$(sql "SELECT COUNT(*) FROM events WHERE attrs LIKE '%10101%'")" = 0 ] || fail "attrs.id not removed"
jq '.issues |= [.[0] | .key = "OPS-55" | .fields.project.key = "OPS" | .fields.updated = "2020-07-01T00:00:00.000+0000"]' \
	"$FIXTURES/jira/search-changelog.json" >copy/jira-moved.json
ok ingest --source jira copy/jira-moved.json
expect_out "0 new, 1 updated, 0 unchanged"
ok events list --kind work_item --json
expect_json 'map("\(.external_id) \(.number) \(.version)") | join(",")' "OPS-55 OPS-55 2,PLAT-102 PLAT-102 1,OPS-7 OPS-7 1"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value.n' 1
ok source add jira --name jira2 --url https://acme.atlassian.net --project PLAT
ok ingest --source jira2 --json copy/jira-moved.json "$FIXTURES/jira"
expect_json '"\(.records) \(.inserted) \(.merged)"' "4 3 1"
ok events list --kind work_item --source jira2 --json
expect_json 'map(.external_id) | join(",")' "OPS-55,PLAT-102,OPS-7"
# Many issues sharing one creation time (a migration or a CSV import): a second batch is all
# new and moves none of the first; issues of the first moved to another project among them
# (one stored by an earlier plumb, with no attrs.id) are still found, each once.
ok source add jira --name jira3 --url https://acme.atlassian.net --project PLAT
same_time() { # FIRST COUNT: issues FIRST.. all created at one time
	jq --argjson s "$1" --argjson n "$2" '.issues[0] as $t | .total = $n | .maxResults = $n |
		.issues = [range($s; $s + $n) | . as $i | $t | .id = ($i | tostring) | .key = "PLAT-\($i)" |
		.self = "https://x/rest/api/3/issue/\($i)" | .fields.created = "2019-01-01T00:00:00.000+0000"]' \
		"$FIXTURES/jira/search-changelog.json"
}
same_time 500000 300 >copy/jira-batch-a.json
ok ingest --source jira3 --json copy/jira-batch-a.json
expect_json '"\(.inserted) \(.updated) \(.moved)"' "300 0 0"
same_time 600000 300 >copy/jira-batch-b.json
ok ingest --source jira3 --json copy/jira-batch-b.json
expect_json '"\(.inserted) \(.updated) \(.moved)"' "300 0 0"
sql "UPDATE events SET attrs = REPLACE(attrs, '\"id\":\"500011\",', '') WHERE external_id = 'PLAT-500011'"
[ "$(sql "SELECT COUNT(*) FROM events WHERE attrs LIKE '%\"500011\"%'")" = 0 ] || fail "attrs.id not removed"
jq '.issues |= [.[] | select(.id == "500007" or .id == "500011") | .key = "OPS-\(.id)" |
	.fields.project.key = "OPS" | .fields.updated = "2020-07-01T00:00:00.000+0000"] |
	.issues += input.issues[:5]' copy/jira-batch-a.json copy/jira-batch-b.json >copy/jira-batch-moved.json
ok ingest --source jira3 --json copy/jira-batch-moved.json
expect_json '"\(.inserted) \(.updated) \(.unchanged) \(.moved)"' "0 2 5 2"
moved3() { sql "SELECT e.external_id || ' ' || e.version FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'jira3' AND (e.external_id LIKE 'OPS-%' OR e.external_id IN ('PLAT-500007', 'PLAT-500011')) ORDER BY e.external_id"; }
[ "$(moved3 | tr '\n' ',')" = "OPS-500007 2,OPS-500011 2," ] || fail "moved issues: $(moved3)"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'jira3'")" = 600 ] ||
	fail "jira3 events: $(sql "SELECT COUNT(*) FROM events e JOIN sources s ON s.id = e.source_id WHERE s.name = 'jira3'")"
# reconcile finds the moved records under their new keys: the old pages hold the old keys,
# which are not mismatches but records moved upstream (found in review: exit 1, "PLAT-101 is
# in a raw payload but not in events").
ok reconcile --json
expect_json '"\(.mismatches) \([.sources[] | "\(.source):\(.moved_upstream)"] | join(","))"' "0 gh:1,jira:1,jira2:1,jira3:2"
# Lineage: an event's raw_id must name a payload of its own source that holds its key (found
# in review: one pointing at another source's payload, or at none, passed).
pr_raw=$(sql "SELECT raw_id FROM events WHERE external_id = 'acme/widgets#102'")
jira_raw=$(sql "SELECT MIN(r.id) FROM raw_payloads r JOIN sources s ON s.id = r.source_id WHERE s.name = 'jira'")
sql "UPDATE events SET raw_id = $jira_raw WHERE external_id = 'acme/widgets#102'"
run reconcile gh
expect_status 1
expect_out "lineage: pull_request acme/widgets#102 points at raw payload $jira_raw, which is source jira's"
reviews_raw=$(sql "SELECT id FROM raw_payloads WHERE origin = '$FIXTURES/github/reviews.json'")
sql "UPDATE events SET raw_id = $reviews_raw WHERE external_id = 'acme/widgets#102'"
run reconcile gh
expect_status 1
expect_out "lineage: pull_request acme/widgets#102 points at raw payload $reviews_raw, which does not hold it"
if [ "$(engine)" = sqlite ]; then # PostgreSQL checks the reference itself
	sql "PRAGMA foreign_keys = OFF; UPDATE events SET raw_id = 999999 WHERE external_id = 'acme/widgets#102'"
	run reconcile gh
	expect_status 1
	expect_out "lineage: pull_request acme/widgets#102 points at raw payload 999999, which does not exist"
fi
sql "UPDATE events SET raw_id = $pr_raw WHERE external_id = 'acme/widgets#102'"
ok reconcile gh
# A payload that no longer decodes is one mismatch, named by the raw check, not one more for
# each of its events (found in acceptance: every record of a corrupt page was listed as "in
# events but in no raw payload", burying the rest past the 50 shown).
body=$(sql "SELECT body FROM raw_payloads WHERE id = $reviews_raw")
reviews=$(sql "SELECT COUNT(*) FROM events WHERE raw_id = $reviews_raw")
[ "$reviews" -ge 2 ] || fail "the reviews page should hold several events, has $reviews"
sql "UPDATE raw_payloads SET body = 'AAAA' WHERE id = $reviews_raw"
run reconcile gh --json
expect_status 1
expect_json '"\(.mismatches) \([.details[].check] | join(","))"' "1 raw"
expect_json '.details[0].message' "raw payload $reviews_raw ($FIXTURES/github/reviews.json): a stored payload is not a zstd frame"
sql "UPDATE raw_payloads SET body = '$body' WHERE id = $reviews_raw"
ok reconcile gh
# Publish wrote without row-by-row foreign key checks on SQLite: every reference holds.
expect_references_intact

# The same documents give the same records however they are split into runs: PagerDuty's
# incidents page and two webhook events about one of its incidents (one older than the
# page), one file a run and then the directory in one run, against the directory alone.
pd_rows() {
	local where="FROM events WHERE source_id = (SELECT id FROM sources WHERE name = '$1') ORDER BY external_id"
	sql "SELECT external_id, occurred_at, ended_at, updated_at, status, account $where"
	sql "SELECT attrs $where" | jq -cS .
}
ok source add pagerduty --name pd1
for f in "$FIXTURES"/pagerduty/*.json; do ok ingest --source pd1 "$f"; done
ok ingest --source pd1 "$FIXTURES/pagerduty"
expect_out "0 new, 0 updated"
ok source add pagerduty --name pd2
ok ingest --source pd2 "$FIXTURES/pagerduty"
[ "$(pd_rows pd1)" = "$(pd_rows pd2)" ] || fail "split into runs: $(diff <(pd_rows pd1) <(pd_rows pd2))"

# A repository renamed within one run (acme/solo becomes acme/solo-v2; its one pull request
# keeps GitHub's id): the record folds into the new key, and the old repository, left with
# no event, becomes no service.
jq '[.[0] | .number = 301 | .id = 1800000301 | .base.repo.full_name = "acme/solo" |
	.html_url = "https://github.com/acme/solo/pull/301"]' "$FIXTURES/github/pulls.json" >solo.json
jq '[.[0] | .base.repo.full_name = "acme/solo-v2" | .html_url = "https://github.com/acme/solo-v2/pull/301" |
	.updated_at = "2024-04-01T00:00:00Z"]' solo.json >solo-v2.json
ok source add github --name renamed --repo acme/solo --repo acme/solo-v2
ok ingest --source renamed --json solo.json solo-v2.json
expect_json '"\(.records) \(.inserted) \(.merged) \(.services_created)"' "2 1 1 1"
[ "$(sql "SELECT name FROM services WHERE name LIKE 'acme.solo%' ORDER BY name")" = "acme.solo-v2" ] ||
	fail "services of the renamed repository: $(sql "SELECT name FROM services WHERE name LIKE 'acme.solo%'")"

# Pull requests created in the same second, one renamed twice, the files newest first and
# the reviews naming #101 by its first key: one record per pull request under its newest
# key, the reviews moved with it (fold_group, which compared every row of such a group with
# every other, walks each id's rows once).
ok source add github --name ghfold --repo acme/widgets --repo acme/widgets-v2 --repo acme/widgets-v3
jq '[.[] | select(.number == 101 or .number == 102) | .created_at = "2024-03-01T09:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >old.json
jq 'map(.base.repo.full_name = "acme/widgets-v2" | .html_url |= sub("/widgets/"; "/widgets-v2/") |
	.updated_at = "2024-03-20T00:00:00Z")' old.json >v2.json
jq '[.[] | select(.number == 101) | .base.repo.full_name = "acme/widgets-v3" |
	.html_url |= sub("/widgets-v2/"; "/widgets-v3/") | .updated_at = "2024-03-25T00:00:00Z"]' v2.json >v3.json
ok ingest --source ghfold v3.json old.json v2.json "$FIXTURES/github/reviews.json"
ok events list --kind pull_request --source ghfold --json
expect_json 'map(.external_id) | sort | join(",")' "acme/widgets-v2#102,acme/widgets-v3#101"
ok events list --kind review --source ghfold --json
expect_json 'map(.parent_id) | unique | join(",")' "acme/widgets-v3#101"
