# A run bringing at least 10,000 new events, and at least as many as events holds, drops
# the table's indexes and builds them again after its insert (SQLite only; insert_new in
# src/ingest/run.c). Its rows are those of runs that keep the indexes, and the indexes come
# back as the schema made them.
sqlite_only "PostgreSQL keeps its indexes: DROP INDEX there locks readers out until commit"
command -v python3 >/dev/null || skip "python3 is needed to generate the pages"
python3 "$ROOT/bench/gen-events.py" 12000 pages "$ROOT/tests/fixtures/github" >/dev/null ||
	fail "could not generate the pages"
mkdir first second
for p in pages/*.json; do
	n=$(basename "$p" | sed 's/^p0*\([0-9]\)/\1/; s/-.*//')
	if [ "$n" -lt 60 ]; then cp "$p" first/; else cp "$p" second/; fi
done
indexes() { sql "SELECT name || ': ' || COALESCE(sql, '(constraint)') FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name"; }
rows() {
	sql "SELECT e.kind, e.external_id, e.version, e.owner_key, s.name, e.team_id, e.person_id, e.account, e.is_bot, e.occurred_at, e.ended_at, e.status, e.environment, e.sha, e.title, e.attrs FROM events e LEFT JOIN services s ON s.id = e.service_id ORDER BY e.kind, e.external_id"
}
schema_version() { sql "PRAGMA schema_version"; }

# Two runs of 6,000: each keeps the indexes (the schema is not touched).
init_db
ok source add github --name gh --org acme
made=$(indexes)
[ -n "$made" ] || fail "no indexes on events"
v0=$(schema_version)
ok ingest --source gh first
expect_out "6000 new"
ok ingest --source gh second
expect_out "6000 new"
[ "$(schema_version)" = "$v0" ] || fail "a run of fewer than 10,000 events changed the schema"
kept=$(rows)

# One run of 12,000 into the empty table: dropped and built again.
reset_db
ok init
ok source add github --name gh --org acme
v0=$(schema_version)
ok ingest --source gh pages
expect_out "12000 new"
[ "$(schema_version)" -gt "$v0" ] || fail "the first run of 12,000 events did not build the indexes after its insert"
[ "$(indexes)" = "$made" ] || fail "the indexes came back different: $(diff <(echo "$made") <(indexes))"
[ "$(rows)" = "$kept" ] || fail "the rows differ from those of runs that kept the indexes: $(diff <(echo "$kept") <(rows) | head)"
[ "$(sql "PRAGMA integrity_check")" = ok ] || fail "integrity check: $(sql "PRAGMA integrity_check")"
# A read through an index built again (events_kind_time) gives every deployment.
ok events list --kind deployment --source gh --json
[ "$(json length)" = "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment'")" ] || fail "events list misses deployments"

# The same pages again: nothing new, nothing dropped.
v1=$(schema_version)
ok ingest --source gh pages
expect_out "0 new, 0 updated, 12000 unchanged"
[ "$(schema_version)" = "$v1" ] || fail "a run with no new events changed the schema"
ok audit verify
