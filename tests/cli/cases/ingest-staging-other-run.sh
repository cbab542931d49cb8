# Publishing a run deletes its own staging rows and no other run's: with another source's
# run still staging (a sync in progress), its row survives the publish; a run staging alone
# leaves the staging table empty (emptied whole).
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
ok audit verify
