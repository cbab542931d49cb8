# The commit graph kept in packs (schema 13, src/core/cgraph.h): publishing keeps them, the
# four keys read them, any other change to a commit drops them, and every answer is the one
# the events give.  The history is metrics-dora.sh's: D2 ships c2 and c3, D3 c4 and c5.
init_db
marker() { sql "SELECT COUNT(*) FROM commit_packs WHERE service_id = -1"; }
packed() { sql "SELECT COALESCE(SUM(p.commits), 0) FROM commit_packs p JOIN services s ON s.id = p.service_id WHERE s.name = 'api'"; }
# Forget what computations kept (changes, values, where they stood): the next one reads
# every commit.
forget() { sql "DELETE FROM deploy_changes; DELETE FROM metric_state; DELETE FROM metric_lineage; DELETE FROM metric_values"; }
answers() { jq -c '[.keys[] | .value | [.value, .n]], .merge_to_deploy.n' "$T/out"; }
four_keys() { ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json; }
# same_from_events WHAT: the answers just given (from the packs), again from the events.
same_from_events() {
	answers >"$T/packs.txt"
	forget
	sql "DELETE FROM commit_packs"
	four_keys
	[ "$(answers)" = "$(cat "$T/packs.txt")" ] || fail "$1: from the events $(answers), from the packs $(cat "$T/packs.txt")"
}
[ "$(marker)" = 1 ] || fail "a new database's packs (no commits) are not complete"
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
ok source add pagerduty --name pd
ok service map api --pagerduty PAPI
ok ingest --source gh "$FIXTURES/metrics/commits.json"
[ "$(packed)" = 5 ] || fail "publishing did not pack api's five commits: $(sql "SELECT service_id, part, commits FROM commit_packs")"
[ "$(marker)" = 1 ] || fail "publishing left the packs incomplete"
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
ok ingest --source pd "$FIXTURES/metrics/incidents.json"

# From the packs, then from the events (packs dropped): the same answers, and the packs back.
# The page lists children first: each parent is packed as the commit one position after it.
[ "$(sql "SELECT data FROM commit_packs WHERE service_id >= 0" | grep -o ',=-*[0-9]*,' | paste -sd' ')" = ",=1, ,=1, ,=1, ,=1," ] ||
	fail "parents not packed as positions: $(sql "SELECT data FROM commit_packs WHERE service_id >= 0")"
four_keys
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "36 4"
same_from_events "the metrics-dora history"
[ "$(marker) $(packed)" = "1 5" ] || fail "a full read from the events did not keep the packs: $(marker) $(packed)"

# A page with c6 (a child of c5) and c7 (of c6), and D5 shipping c7: publishing repacks api,
# and the walk of api alone reads its pack.  D5 follows D4's rollback to c4, so it ships c5
# again (48 h), c6 (12 h) and c7 (6 h): 6 12 24 24 48 48 60, median 24 over 7.
jq '[(.[0] | .sha = "c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7" | .parents = [{"sha": "c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6"}] |
	.commit.author.date = "2026-03-06T18:00:00Z" | .commit.message = "seven"),
	(.[0] | .sha = "c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6" | .parents = [{"sha": "c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"}] |
	.commit.author.date = "2026-03-06T12:00:00Z" | .commit.message = "six")]' "$FIXTURES/metrics/commits.json" >"$T/c6.json"
ok ingest --source gh "$T/c6.json"
[ "$(marker) $(packed)" = "1 7" ] || fail "publishing c6 and c7 did not repack api: $(marker) $(packed)"
# c6 and c7 came after every packed commit and were appended to api's one value, in the page's
# order (c7, then c6), c7 whole ("#"): c7's parent as c6's position (one after), c6's parent c5
# as a sha (packed by an earlier write).
[ "$(sql "SELECT COUNT(*) || ' ' || SUM(commits) FROM commit_packs p JOIN services s ON s.id = p.service_id WHERE s.name = 'api'")" = "1 7" ] ||
	fail "c6 and c7 not appended to api's one pack: $(sql "SELECT service_id, part, commits FROM commit_packs")"
api_pack=$(sql "SELECT data FROM commit_packs p JOIN services s ON s.id = p.service_id WHERE s.name = 'api'")
echo "$api_pack" | grep -q ',#[0-9]*,[0-9]*,0,40:c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7,-,1,=1,' ||
	fail "c7 not appended whole, its parent as c6's position: $api_pack"
echo "$api_pack" | grep -q ',40:c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6,-,1,40:c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5,$' ||
	fail "c6's parent not packed as c5's sha: $api_pack"
printf 'id,service,environment,sha,ref,started,finished,status\nD5,api,production,%s,main,2026-03-06T23:50:00Z,2026-03-07T00:00:00Z,success\n' \
	c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7c7 >"$T/d5.csv"
ok ingest --source deploys "$T/d5.csv"
four_keys
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "24 7"
answers >"$T/c6.txt"
same_from_events "with c6 and c7"
# A run that updates a packed commit packs its service again: c5 edited upstream into a revert.
jq '[.[0] | .commit.message = "Revert \"four\""]' "$FIXTURES/metrics/commits.json" >"$T/c5-revert.json"
ok ingest --source gh "$T/c5-revert.json"
[ "$(sql "SELECT version FROM events WHERE kind = 'commit' AND external_id = 'c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5'")" = 2 ] ||
	fail "c5 not updated in place"
[ "$(marker) $(packed)" = "1 7" ] || fail "updating c5 did not pack api again: $(marker) $(packed)"
[ "$(sql "SELECT data FROM commit_packs p JOIN services s ON s.id = p.service_id WHERE s.name = 'api'" | grep -c ',1,40:c5c5')" = 1 ] ||
	fail "api's pack does not hold c5 as a revert: $(sql "SELECT data FROM commit_packs WHERE service_id >= 0")"
four_keys
[ "$(answers)" != "$(cat "$T/c6.txt")" ] || fail "c5 as a revert changed no answer"
same_from_events "with c5 a revert"

# Writes that change nothing a walk reads of a commit keep the packs; an in-place edit of one
# (the revert flag comes from the title) and a deletion (retention, consent) drop them all,
# so no copy of a deleted commit stays behind.
sql "UPDATE events SET person_id = NULL WHERE kind = 'commit'"
[ "$(marker) $(packed)" = "1 7" ] || fail "an attribution change dropped the packs"
sql "UPDATE events SET title = 'Revert \"four\"' WHERE kind = 'commit' AND external_id = 'c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4'"
[ "$(sql "SELECT COUNT(*) FROM commit_packs")" = 0 ] || fail "an edited commit left the packs: $(sql "SELECT service_id, commits FROM commit_packs")"
forget
four_keys
answers >"$T/revert.txt"
[ "$(marker) $(packed)" = "1 7" ] || fail "the packs were not kept again after the edit"
forget
four_keys
[ "$(answers)" = "$(cat "$T/revert.txt")" ] || fail "after the edit, packs $(answers) and events $(cat "$T/revert.txt") disagree"
sql "DELETE FROM events WHERE kind = 'commit' AND external_id = 'c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6'"
[ "$(sql "SELECT COUNT(*) FROM commit_packs")" = 0 ] || fail "a deleted commit left the packs"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'commit'")" = 6 ] || fail "c6 not deleted"

# A pack that does not read (edited by hand): the events answer, and the packs are rebuilt.
forget
four_keys
answers >"$T/five.txt"
sql "UPDATE commit_packs SET data = '1,2,' WHERE service_id >= 0"
forget
four_keys
[ "$(answers)" = "$(cat "$T/five.txt")" ] || fail "a damaged pack changed the answers: $(answers) against $(cat "$T/five.txt")"
[ "$(sql "SELECT COUNT(*) FROM commit_packs WHERE data = '1,2,'")" = 0 ] || fail "the damaged pack was not rebuilt"
[ "$(marker) $(packed)" = "1 6" ] || fail "the packs were not rebuilt whole: $(marker) $(packed)"

# A database from before schema 13 with commits gets its packs at its next computation, even
# one that would have walked only what a publish touched (found in review: only a full walk
# kept them, so an upgraded database read the events at every computation).
undo_schema_13
printf 'id,service,environment,sha,ref,started,finished,status\nD6,api,production,%s,main,2026-03-07T11:50:00Z,2026-03-07T12:00:00Z,success\n' \
	c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5 >"$T/d6.csv"
ok ingest --source deploys "$T/d6.csv"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
[ "$(sql "SELECT COUNT(*) FROM commit_packs")" = 0 ] || fail "an upgraded database with commits has packs before any read"
four_keys
[ "$(marker) $(packed)" = "1 6" ] || fail "the upgraded database's packs were not kept: $(marker) $(packed)"
same_from_events "after the upgrade"
