# An id names one event and one evaluation for good. On SQLite the largest id plus one was
# given to the next row, so when a consent withdrawal deleted the newest event, the next
# ingested event took its id, and an evaluation that cited the withdrawn event (event:N) then
# named the new one: its kind under the blameless rule. Evaluations likewise after retention,
# whose audit entries name them by id. Schema 24 never gives an id twice, and its upgrade
# starts past every id the database still names.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok source add pagerduty --name pd
ok ingest --source pd "$FIXTURES/pagerduty"
# The newest event, an incident, is E201's (with every other event of its account).
newest=$(sql "SELECT MAX(id) FROM events")
account=$(sql "SELECT account FROM events WHERE id = $newest")
[ -n "$account" ] || fail "the newest event has no account"
ok identity link pagerduty "$account" --person E201
awk '/key: incident_participation/ { inc = 1 } inc && /consent: not-required/ {
	print "    consent: required"; print "    without_consent: skip"; print "    on_withdrawal: delete"; inc = 0; next } { print }' \
	"$ROOT/examples/policy.yaml" >consent-policy.yaml
grep -q "on_withdrawal: delete" consent-policy.yaml || fail "the policy was not rewritten"
ok policy import consent-policy.yaml
ok --as E201 consent grant --mechanism incident_participation
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M002 --role manager
file e201.yaml <<YAML
ratings:
  technical_skill: {rating: 4, evidence: [{kind: event, ref: $newest}]}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"

# ids_after: the withdrawal deletes the newest event; events ingested after get new ids.
ids_after() {
	ok --as E201 consent withdraw --mechanism incident_participation
	[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $newest")" = 0 ] || fail "the withdrawal kept event $newest"
	{
		echo "id,service,environment,sha,ref,started,finished,status,actor"
		echo "$1,api,production,aaaaaa1,main,2026-11-02T10:00:00Z,2026-11-02T10:05:00Z,success,"
	} >"$T/$1.csv"
	ok ingest --source deploys "$T/$1.csv"
	got=$(sql "SELECT id FROM events WHERE external_id = '$1'")
	[ "$got" -gt "$newest" ] || fail "event $newest given again, to deployment $1"
	# The evaluation's citation still names nothing.
	ok --as M002 evaluation history --cycle a26 --person E201 --json
	expect_json '.versions[-1].ratings[] | select(.dimension == "technical_skill") | .evidence[0] | "\(.ref) \(.title) \(.date)"' \
		"$newest (removed when its person withdrew consent) null"
}
ok source add deploy --name deploys
ids_after D1

# The same from a database of schema 23, its newest event withdrawn before the upgrade: the
# counter starts past the id the evidence still cites.
ok --as E201 consent grant --mechanism incident_participation
sql "DELETE FROM events WHERE external_id = 'D1'"
ok ingest --source pd "$FIXTURES/pagerduty"
newest=$(sql "SELECT MAX(id) FROM events")
[ "$(sql "SELECT account FROM events WHERE id = $newest")" = "$account" ] || fail "the newest event is not E201's again"
sql "UPDATE evaluation_evidence SET ref = '$newest' WHERE kind = 'event'"
rated 3 >"$T/again.yaml"
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/again.yaml" --reason "a later version"
undo_schema_24
if [ "$PLUMB_TEST_ENGINE" = sqlite ]; then
	sql "SELECT sql FROM sqlite_master WHERE name = 'events'" | grep -q AUTOINCREMENT && fail "undo kept AUTOINCREMENT"
fi
# Withdrawn under schema 23, as that plumb deleted the events.
sql "DELETE FROM event_versions WHERE event_id IN (SELECT id FROM events WHERE account = '$account');
  DELETE FROM events WHERE account = '$account'"
# The newest evaluation deleted too, as retention deletes them: its id is left only in the
# audit log's evaluation.submit.
top_before=$(sql "SELECT MAX(id) FROM evaluations")
sql "DELETE FROM evaluation_evidence WHERE evaluation_id = $top_before;
  DELETE FROM evaluation_ratings WHERE evaluation_id = $top_before; DELETE FROM evaluations WHERE id = $top_before"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE object_type = 'evaluation' AND object_id = '$top_before'")" -ge 1 ] ||
	fail "no audit entry names evaluation $top_before"
if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
	sql "SELECT setval(pg_get_serial_sequence('evaluations', 'id'), (SELECT COALESCE(MAX(id), 1) FROM evaluations))" >/dev/null
fi
if [ "$PLUMB_TEST_ENGINE" = sqlite ]; then
	# An operator's own view on the tables rebuilt (SQLite's rename checked every view, and the
	# upgrade failed), and a reference broken before (a team whose parent is gone: the check
	# after the rebuild counted it, and no upgrade could pass).
	sql "CREATE VIEW my_events AS SELECT e.id, e.kind FROM events e JOIN evaluations v ON v.person_id = e.person_id;
	  INSERT INTO teams(name, parent_id, created_at) VALUES ('orphan', 999999, 0)"
else
	# A copy from SQLite before schema 24 set the sequence past the rows alone.
	sql "SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT MAX(id) FROM events))" >/dev/null
fi
ok org show
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
if [ "$PLUMB_TEST_ENGINE" = sqlite ]; then
	[ "$(sql "SELECT COUNT(*) FROM my_events")" -ge 0 ] || fail "the operator's view lost"
	sql "DROP VIEW my_events; DELETE FROM teams WHERE name = 'orphan'"
fi
newest_before=$newest
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D2,api,production,aaaaaa2,main,2026-11-03T10:00:00Z,2026-11-03T10:05:00Z,success,"
} >"$T/D2.csv"
ok ingest --source deploys "$T/D2.csv"
[ "$(sql "SELECT id FROM events WHERE external_id = 'D2'")" -gt "$newest_before" ] || fail "the upgrade gave event $newest_before again"

ok --as M002 evaluation submit --cycle a26 --person E201 "$T/again.yaml" --reason again
[ "$(sql "SELECT MAX(id) FROM evaluations")" -gt "$top_before" ] || fail "the upgrade gave evaluation $top_before again"

# Evaluations: the newest deleted (as retention deletes them), the next is a new id.
top=$(sql "SELECT MAX(id) FROM evaluations")
sql "DELETE FROM evaluation_evidence WHERE evaluation_id = $top; DELETE FROM evaluation_ratings WHERE evaluation_id = $top; DELETE FROM evaluations WHERE id = $top"
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/again.yaml" --reason again
[ "$(sql "SELECT MAX(id) FROM evaluations")" -gt "$top" ] || fail "evaluation $top given again"
ok audit verify
# An upgrade on a terminal says what it is doing while it runs (schema 24 rebuilds the events
# table: some 15 s a million events); not on a terminal, nothing.
undo_schema_24
script -qec "$(printf '%q ' "$PLUMB" org show)" "$T/typescript" >"$T/tty" 2>&1 </dev/null ||
	fail "plumb org show on a terminal: $(cat "$T/tty")"
tr '\r' '\n' <"$T/tty" | sed 's/\x1b\[K//g' >"$T/lines"
grep -qE "^upgrading the database to schema 25: 0/2 \(0%\)$" "$T/lines" || fail "no upgrade progress line: $(cat -v "$T/tty")"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
undo_schema_24
ok org show
[ ! -s "$T/err" ] || fail "progress written to a pipe: $(cat "$T/err")"
