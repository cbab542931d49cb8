# reconcile's reporting check: the commit graph the four keys read from the packs publishing
# keeps (core/cgraph.h), against the commits events hold. A commit written past publishing,
# one edited or deleted behind the packs' triggers, and a pack that does not decode are each
# a mismatch; what only the packs hold names no source.
init_db
ok source add github --name gh --repo acme/widgets
ok source add jira --name jr --url https://acme.atlassian.net --project PAY
ok ingest --source gh "$FIXTURES/github"
commits=$(sql "SELECT COUNT(*) FROM events WHERE kind = 'commit'")
[ "$commits" -gt 1 ] || fail "the fixtures hold $commits commits"
ok reconcile --json
expect_json '.mismatches' 0
expect_json '.reporting | "\(.commit_packs) \(.commits_in_events) \(.commits_in_packs) \(.mismatches)"' "kept $commits $commits 0"
ok reconcile
expect_out "reporting: $commits commits in events, $commits in the commit packs the four keys read: 0 mismatches"

# A service's packs copied under another service: the packs hold each of its commits twice.
# Each is one mismatch, of its source, that says so (not that events lack it).
svc=$(sql "SELECT MIN(service_id) FROM commit_packs WHERE service_id >= 0")
twice=$(sql "SELECT SUM(commits) FROM commit_packs WHERE service_id = $svc")
[ "$twice" -gt 0 ] || fail "no commits in the packs of service $svc"
sql "INSERT INTO commit_packs (service_id, part, commits, parents, last_id, data) SELECT 999999, part, commits, parents, last_id, data FROM commit_packs WHERE service_id = $svc" >/dev/null
run reconcile --json
expect_status 1
expect_json '"\(.mismatches) \(.reporting.mismatches) \(.reporting.commits_in_packs)"' "$twice $twice $((commits + twice))"
expect_json '[.details[] | select(.check == "reporting" and .source == "gh" and (.message | test("is held more than once in the commit packs")))] | length' "$twice"
sql "DELETE FROM commit_packs WHERE service_id = 999999" >/dev/null
ok reconcile

# Without the packs' triggers, as a writer other than publishing would leave it.
drop_pack_triggers() {
	if [ "$(engine)" = postgres ]; then
		sql "DROP TRIGGER commit_packs_update ON events; DROP TRIGGER commit_packs_delete ON events" >/dev/null
	else
		sql "DROP TRIGGER commit_packs_update; DROP TRIGGER commit_packs_delete" >/dev/null
	fi
}
first=$(sql "SELECT MIN(id) FROM events WHERE kind = 'commit'")
sha=$(sql "SELECT external_id FROM events WHERE id = $first")
drop_pack_triggers
# A commit written straight into events: the four keys would never walk it.
sql "INSERT INTO events (source_id, kind, external_id, version, owner_system, owner_key, service_id, team_id, is_bot, occurred_at, title, parent_id, attrs, raw_id, run_id, first_seen, last_changed) SELECT source_id, kind, 'f00dfeed', version, owner_system, owner_key, service_id, team_id, is_bot, occurred_at, title, parent_id, attrs, raw_id, run_id, first_seen, last_changed FROM events WHERE id = $first" >/dev/null
added=$(sql "SELECT id FROM events WHERE external_id = 'f00dfeed'")
# One edited in place, and one deleted.
sql "UPDATE events SET occurred_at = occurred_at + 1000 WHERE id = $first" >/dev/null
gone=$(sql "SELECT MAX(id) FROM events WHERE kind = 'commit' AND id <> $added")
gone_sha=$(sql "SELECT external_id FROM events WHERE id = $gone")
sql "DELETE FROM events WHERE id = $gone" >/dev/null

# The normalized check finds two of them too (no payload holds f00dfeed; one holds the
# deleted commit), each once.
run reconcile --json
expect_status 1
expect_json '.mismatches' 5
expect_json '.reporting | "\(.commit_packs) \(.commits_in_events) \(.commits_in_packs) \(.mismatches)"' "kept $commits $commits 3"
expect_json '[.sources[] | select(.source == "gh") | .mismatches] | .[0]' 4
expect_json '[.details[] | select(.check == "reporting" and .source == "gh") | .message] | map(select(test("f00dfeed .event '"$added"'. is in events but not in the commit packs"))) | length' 1
expect_json '[.details[] | select(.check == "reporting" and .source == "gh") | .message] | map(select(test("'"$sha"' .event '"$first"'.: the commit packs the four keys read hold another author time than events"))) | length' 1
expect_json '[.details[] | select(.check == "reporting" and .source == null) | .message] | map(select(test("'"$gone_sha"' .event '"$gone"'. is in the commit packs the four keys read but not in events"))) | length' 1
run reconcile
expect_status 1
expect_out "(no source): reporting: commit $gone_sha (event $gone) is in the commit packs"
expect_err "5 mismatches"
# Another source's reconcile names none of gh's commits, but still what only the packs hold.
run reconcile jr --json
expect_status 1
expect_json '.mismatches' 1
expect_json '[.details[] | .source] | unique | map(tostring) | join(",")' "null"

# A pack that does not decode: the four keys read the events instead.
sql "UPDATE commit_packs SET data = 'not a pack' WHERE service_id >= 0" >/dev/null
run reconcile --json
expect_status 1
expect_json '.reporting | "\(.commit_packs) \(.mismatches)"' "damaged 1"
expect_json '[.details[] | select(.check == "reporting") | .message] | .[0] | test("the commit packs could not be read")' true

# Packs not kept: the four keys read the events, so there is nothing to compare.
# (The normalized check's two are left.)
sql "DELETE FROM commit_packs" >/dev/null
run reconcile --json
expect_status 1
expect_json '"\(.mismatches) \(.reporting.commit_packs) \(.reporting.mismatches) \(.reporting.commits_in_events) \(.reporting.commits_in_packs)"' "2 not kept 0 $(sql "SELECT COUNT(*) FROM events WHERE kind = 'commit'") null"
run reconcile
expect_out "reporting: the commit packs are not kept (the four keys read the events): nothing to compare"
