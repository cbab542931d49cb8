# A database from before schema 5 gets the built-in catalogue when it is upgraded, inside the
# migration's transaction; its db.migrate entry says what was seeded.
init_db
ok org import "$FIXTURES/org-small.csv"
undo_schema_7
for t in webhook_deliveries api_tokens sessions user_credentials sli_samples slos metric_state deploy_changes metric_lineage metric_values service_stages metric_settings metric_objectives objectives \
	metric_approvals metric_defs; do
	sql "DROP TABLE $t"
done
sql "UPDATE meta SET value = '4' WHERE key = 'schema_version'"
ok org show
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
[ "$(sql "SELECT COUNT(*) FROM metric_defs WHERE status = 'active' AND builtin = 1")" = 11 ] || fail "built-ins not seeded"
[ "$(sql "SELECT COUNT(*) FROM objectives")" = 5 ] || fail "objectives not seeded"
ok audit log --json
expect_json '[.[] | select(.action == "db.migrate")][0].detail | "\(.from) \(.to) \(.seeded.metric_catalogue.definitions | length)"' "4 5 11"
ok audit verify
ok metrics catalog --json
expect_json 'length' 11
