# A bot an earlier plumb stored with a no-break space at an end (deploy actors and bots were
# trimmed of ASCII spaces only) still marks the deploy events of its actor, which are read
# without the space now (they counted as a person's), and is not checked again when another
# setting of its source changes (the source could not be changed at all, the stored bot named
# as if given): found in review. A bot given with one is refused as before.
init_db
ok source add deploy --name deploys --bot "Release Bot"
# As an earlier plumb stored it: "Release Bot" and a no-break space.
nbsp=$([ "$(engine)" = postgres ] && echo 'chr(160)' || echo 'char(160)')
sql "UPDATE sources SET config = replace(config, 'Release Bot', 'Release Bot' || $nbsp) WHERE name = 'deploys'" >/dev/null
stored=$(printf 'Release Bot\302\240')
ok source list --json
expect_json '.[0].config.bots | join(",")' "$stored"
file deploys.json <<'JSON'
[{"id": "D1", "service": "billing", "environment": "production", "started": "2024-05-06T10:00:00Z", "status": "success", "actor": "Release Bot\u00a0"},
 {"id": "D2", "service": "billing", "environment": "production", "started": "2024-05-07T10:00:00Z", "status": "success", "actor": "alice"}]
JSON
ok ingest --source deploys deploys.json
[ "$(sql "SELECT external_id || ':' || account || ':' || is_bot FROM events ORDER BY external_id" | paste -sd,)" = "D1:Release Bot:1,D2:alice:0" ] ||
	fail "bots: $(sql "SELECT external_id, account, is_bot FROM events")"
ok source set deploys --webhook-secret-env DEPLOY_SECRET
ok source list --json
expect_json '.[0] | "\(.webhook_secret_env) \(.config.bots | join(","))"' "DEPLOY_SECRET $stored"
# Kept beside a new one; given anew it is refused, and nothing is stored.
ok source set deploys --bot "$stored" --bot "Deploy Bot"
ok source list --json
expect_json '.[0].config.bots | join(",")' "$stored,Deploy Bot"
run source set deploys --bot "$(printf 'Other Bot\302\240')"
expect_status 2
expect_err "--bot 'Other Bot"
ok source list --json
expect_json '.[0].config.bots | join(",")' "$stored,Deploy Bot"
run source add deploy --name deploys2 --bot "$stored"
expect_status 2
expect_err "expected a deploy account, one line without spaces around it"
ok audit verify
