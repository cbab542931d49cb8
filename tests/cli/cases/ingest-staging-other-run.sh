# Publishing a run deletes its own staging rows and no other run's: with another source's
# run still staging (a sync in progress), its row survives the publish; a run staging alone
# leaves the staging table empty (emptied whole); a payload a run that never published
# shared with one that did moves to the one that did.
init_db
ok source add github --name gh --repo acme/widgets
ok source add deploy --name other
sql "INSERT INTO ingest_runs(source_id, mode, actor, status, started_at) SELECT id, 'sync', 'test', 'staging', 1 FROM sources WHERE name = 'other'"
other=$(sql "SELECT MAX(id) FROM ingest_runs")
sql "INSERT INTO ingest_staging(run_id, seq, kind, external_id, is_bot, occurred_at, raw_id) VALUES ($other, 1, 'deployment', 'still-staging', 0, 1, 0)"
ok ingest --source gh "$FIXTURES/github"
expect_out "15 new, 0 updated, 0 unchanged"
[ "$(sql "SELECT run_id || ' ' || external_id FROM ingest_staging")" = "$other still-staging" ] ||
	fail "another run's staging rows changed: $(sql "SELECT run_id, seq, external_id FROM ingest_staging")"
expect_references_intact
sql "DELETE FROM ingest_staging WHERE run_id = $other"
# Alone: an edited pull request, so the run stages and publishes a row.
jq '[.[] | select(.number == 103) | .title = "Metrics page" | .updated_at = "2024-03-10T09:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >pulls-edited.json
ok ingest --source gh pulls-edited.json
expect_out "0 new, 1 updated, 0 unchanged"
[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" = 0 ] || fail "staging rows left after a lone run"
expect_references_intact
# A payload that two runs read at once (raw payloads are shared by content) belongs to the
# run that stored it first; if that run then ends without publishing, the payload stays
# for the run that published from it and moves to that run, so no event traces back to a
# failed run, and the run that ended is recorded failed for the reason it had.
sql "INSERT INTO ingest_runs(source_id, mode, actor, status, started_at) SELECT id, 'file', 'test', 'staging', 1 FROM sources WHERE name = 'gh'"
dead=$(sql "SELECT MAX(id) FROM ingest_runs")
raw=$(sql "SELECT MIN(raw_id) FROM events")
reader=$(sql "SELECT MIN(run_id) FROM run_documents WHERE raw_id = $raw")
sql "UPDATE raw_payloads SET run_id = $dead WHERE id = $raw"
ok ingest --source gh pulls-edited.json
expect_out "0 new, 0 updated, 1 unchanged"
[ "$(sql "SELECT status || ' ' || error FROM ingest_runs WHERE id = $dead")" = "failed abandoned: it ended without publishing or removing what it staged (found by run $((dead + 1)))" ] ||
	fail "the run left staging: $(sql "SELECT status, error FROM ingest_runs WHERE id = $dead")"
[ "$(sql "SELECT run_id FROM raw_payloads WHERE id = $raw")" = "$reader" ] ||
	fail "the shared payload's run: $(sql "SELECT run_id FROM raw_payloads WHERE id = $raw"), expected $reader"
[ "$(sql "SELECT COUNT(*) FROM events e JOIN raw_payloads p ON p.id = e.raw_id JOIN ingest_runs r ON r.id = p.run_id WHERE r.status <> 'published'")" = 0 ] ||
	fail "events whose payload's run did not publish: $(sql "SELECT e.id, p.id, r.id, r.status FROM events e JOIN raw_payloads p ON p.id = e.raw_id JOIN ingest_runs r ON r.id = p.run_id WHERE r.status <> 'published'")"
expect_references_intact
ok audit verify
