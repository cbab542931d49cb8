# Anonymizing an event takes out its branch name with its person (a branch often carries its
# author's login: alice/fix-login), but for a deployment's, which says what was deployed; a
# re-ingest does not bring it back.  A raw payload past its own cutoff is emptied once only
# anonymized events refer to it: it would name whom they no longer do (found in review: the
# branch names were kept, and the payloads of anonymized events without end).
NOW=$(date -u +%s)
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok identity link github alice --person E101 # DE: events anonymized after 730 days
sed -e 's/events: {days: 730, action: delete}/events: {days: 730, action: anonymize}/' \
	-e 's/raw_payloads: {days: 400, action: delete}/raw_payloads: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q 'events: {days: 730, action: anonymize}' "$T/policy.yaml" || fail "the DE rule was not rewritten"
ok policy import "$T/policy.yaml"
ok mechanism approve pull_request_activity --body works-council --country DE --reference "WC-2026-4"
ok ingest --source gh "$FIXTURES/github"
alice="SELECT kind || ' ' || external_id || ' ' || COALESCE(ref, '-') FROM events e JOIN people p ON p.id = e.person_id WHERE p.employee_id = 'E101' ORDER BY 1"
before=$(sql "$alice")
echo "$before" | grep -q "^pull_request acme/widgets#101 widget-cache$" || fail "alice's pull request: $before"
echo "$before" | grep -q "^deployment 9001 widget-cache$" || fail "alice's deployment: $before"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ -z "$(sql "$alice")" ] || fail "alice's events kept their person: $(sql "$alice")"
refs() { sql "SELECT kind || ' ' || COALESCE(ref, '-') FROM events WHERE external_id = '$1'"; }
[ "$(refs acme/widgets#101)" = "pull_request -" ] || fail "the pull request kept its branch: $(refs acme/widgets#101)"
[ "$(refs 9001)" = "deployment widget-cache" ] || fail "the deployment lost its ref: $(refs 9001)"
[ "$(sql "SELECT COUNT(*) FROM event_versions v JOIN events e ON e.id = v.event_id WHERE e.anonymized_at IS NOT NULL AND e.kind <> 'deployment' AND v.ref IS NOT NULL")" = 0 ] ||
	fail "an earlier version kept a branch"
# Payloads: each that an event keeping its person refers to is whole; one only anonymized
# events refer to is emptied (the deployment statuses of alice's deployments, say).
[ "$(sql "SELECT COUNT(*) FROM raw_payloads r WHERE r.encoding = 'deleted' AND EXISTS (SELECT 1 FROM events e WHERE e.raw_id = r.id AND e.anonymized_at IS NULL)")" = 0 ] ||
	fail "a payload an event with its person refers to was emptied"
anon_only="SELECT COUNT(*) FROM raw_payloads r WHERE EXISTS (SELECT 1 FROM events e WHERE e.raw_id = r.id) AND NOT EXISTS (SELECT 1 FROM events e WHERE e.raw_id = r.id AND e.anonymized_at IS NULL)"
[ "$(sql "$anon_only")" -ge 1 ] || fail "no payload is referred to by anonymized events alone"
[ "$(sql "$anon_only AND r.encoding <> 'deleted'")" = 0 ] || fail "a payload of anonymized events alone was kept"
ok audit verify
# The same files again: the branch stays out, the deployment's ref stays in.
ok ingest --source gh "$FIXTURES/github"
[ "$(refs acme/widgets#101)" = "pull_request -" ] || fail "re-ingesting brought the branch back: $(refs acme/widgets#101)"
[ "$(refs 9001)" = "deployment widget-cache" ] || fail "the deployment lost its ref on re-ingest"
