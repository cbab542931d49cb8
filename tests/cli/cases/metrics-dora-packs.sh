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
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "36 4"
answers >"$T/packs.txt"
forget
sql "DELETE FROM commit_packs"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(answers)" = "$(cat "$T/packs.txt")" ] || fail "from the events: $(answers), from the packs: $(cat "$T/packs.txt")"
[ "$(marker) $(packed)" = "1 5" ] || fail "a full read from the events did not keep the packs: $(marker) $(packed)"

# A page with c6 (a child of c5) and D5 shipping it: publishing repacks api, and the walk of
# api alone reads its pack.  D5 follows D4's rollback to c4, so it ships c5 again (48 h) and
# c6 (12 h): 12 24 24 48 48 60, median 36 over 6.
jq '[.[0] | .sha = "c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6" | .parents = [{"sha": "c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5c5"}] |
	.commit.author.date = "2026-03-06T12:00:00Z" | .commit.message = "six"]' "$FIXTURES/metrics/commits.json" >"$T/c6.json"
ok ingest --source gh "$T/c6.json"
[ "$(marker) $(packed)" = "1 6" ] || fail "publishing c6 did not repack api: $(marker) $(packed)"
printf 'id,service,environment,sha,ref,started,finished,status\nD5,api,production,%s,main,2026-03-06T23:50:00Z,2026-03-07T00:00:00Z,success\n' \
	c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6 >"$T/d5.csv"
ok ingest --source deploys "$T/d5.csv"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n)"' "36 6"
answers >"$T/c6.txt"
forget
sql "DELETE FROM commit_packs"
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(answers)" = "$(cat "$T/c6.txt")" ] || fail "with c6 from the events: $(answers), from the packs: $(cat "$T/c6.txt")"

# Writes that change nothing a walk reads of a commit keep the packs; an in-place edit of one
# (the revert flag comes from the title) and a deletion (retention, consent) drop them all,
# so no copy of a deleted commit stays behind.
sql "UPDATE events SET person_id = NULL WHERE kind = 'commit'"
[ "$(marker) $(packed)" = "1 6" ] || fail "an attribution change dropped the packs"
sql "UPDATE events SET title = 'Revert \"four\"' WHERE kind = 'commit' AND external_id = 'c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4c4'"
[ "$(sql "SELECT COUNT(*) FROM commit_packs")" = 0 ] || fail "an edited commit left the packs: $(sql "SELECT service_id, commits FROM commit_packs")"
forget
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
answers >"$T/revert.txt"
[ "$(marker) $(packed)" = "1 6" ] || fail "the packs were not kept again after the edit"
forget
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(answers)" = "$(cat "$T/revert.txt")" ] || fail "after the edit, packs $(answers) and events $(cat "$T/revert.txt") disagree"
sql "DELETE FROM events WHERE kind = 'commit' AND external_id = 'c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6c6'"
[ "$(sql "SELECT COUNT(*) FROM commit_packs")" = 0 ] || fail "a deleted commit left the packs"
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'commit'")" = 5 ] || fail "c6 not deleted"

# A pack that does not read (edited by hand): the events answer, and the packs are rebuilt.
forget
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
answers >"$T/five.txt"
sql "UPDATE commit_packs SET data = '1,2,' WHERE service_id >= 0"
forget
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(answers)" = "$(cat "$T/five.txt")" ] || fail "a damaged pack changed the answers: $(answers) against $(cat "$T/five.txt")"
[ "$(sql "SELECT COUNT(*) FROM commit_packs WHERE data = '1,2,'")" = 0 ] || fail "the damaged pack was not rebuilt"
[ "$(marker) $(packed)" = "1 5" ] || fail "the packs were not rebuilt whole: $(marker) $(packed)"

# A database from before schema 13 with commits gets its packs at its next full computation.
undo_schema_13
forget
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 13 ] || fail "not migrated"
[ "$(answers)" = "$(cat "$T/five.txt")" ] || fail "after the upgrade: $(answers) against $(cat "$T/five.txt")"
[ "$(marker) $(packed)" = "1 5" ] || fail "the upgraded database's packs were not kept: $(marker) $(packed)"
