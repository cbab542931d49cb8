# An upgrade of an existing database is a write: it needs the audit key, and its db.migrate
# entry lands in the migration's own transaction, once, however many processes open the old
# database at the same time.  A new database records its schema in db.init instead.
ok init
ok org import "$FIXTURES/org-small.csv"
ok audit log --json
expect_json '[.[] | select(.action == "db.migrate")] | length' 0
# Back to schema 1, as an older plumb left it.
undo_schema_7
for t in webhook_deliveries api_tokens sessions user_credentials sli_samples slos metric_state deploy_changes metric_lineage metric_values service_stages metric_settings metric_objectives objectives \
	metric_approvals metric_defs person_merges event_versions events ingest_staging run_cursors sync_cursors run_documents raw_payloads \
	ingest_runs service_mappings; do
	sql "DROP TABLE $t"
done
sql "DROP INDEX identities_lower"
sql "DROP INDEX people_email_lower"
sql "DROP TABLE sources"
sql "UPDATE meta SET value = '1' WHERE key = 'schema_version'"
entries=$(sql "SELECT COUNT(*) FROM audit_log")
# Without the key the upgrade cannot be recorded, so it does not happen.
PLUMB_AUDIT_KEY="$T/no-such.key" run org show
expect_status 4
expect_err "needs upgrading from schema 1 to 2"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 1 ] || fail "migrated without an entry"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "audit log changed"
# Under --as the acting user is not checked yet, so an upgrade is refused there.
run --as NOSUCH org show
expect_status 3
expect_err "runs as the admin, not under --as"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 1 ] || fail "migrated under --as"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "audit log changed under --as"
# With another install's key: the upgrade would sign the chain with the wrong key.
ok --audit-key "$T/other.key" --db "$T/other.db" init
run --audit-key "$T/other.key" org show
expect_status 3
expect_err "is not the key this database's chain is signed with"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 1 ] || fail "migrated under another key"
# Four commands at once: one migration, one entry.
pids=()
for i in 1 2 3 4; do
	"$PLUMB" org show >"$T/open-$i.out" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || fail "a command failed during the upgrade: $(cat "$T"/open-*.out)"; done
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
ok audit log --json
expect_json '[.[] | select(.action == "db.migrate")] | length' 24
expect_json '[.[] | select(.action == "db.migrate")][0].detail | "\(.from) \(.to) \(.migration)"' "1 2 data sources"
expect_json '[.[] | select(.action == "db.migrate")][1].detail | "\(.from) \(.to) \(.migration)"' "2 3 service mappings"
expect_json '[.[] | select(.action == "db.migrate")][2].detail | "\(.from) \(.to)"' "3 4"
expect_json '[.[] | select(.action == "db.migrate")][3].detail | "\(.from) \(.to)"' "4 5"
expect_json '[.[] | select(.action == "db.migrate")][4].detail | "\(.from) \(.to)"' "5 6"
expect_json '[.[] | select(.action == "db.migrate")][0].object_type' db
ok audit verify
ok source list
