# Retention redacts old audit entries, never deletes them: actor, os_user and detail become
# placeholders, seq, time, action, object and hashes stay, redacted names the rule and the
# retention entry that vouches for the batch.  audit verify still passes and counts them; a
# category hold on audit_log stops it; editing a redacted entry, editing a kept one, or
# marking an entry redacted by hand to hide an edit is still caught.
NOW=$(date -u +%s)
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
# An entry whose detail names E101 (plumb me finds it through audit_people, schema 17).
ok identity link github e101-second --person E101
[ "$(sql "SELECT COUNT(*) FROM audit_people WHERE employee_id = 'E101'")" = 1 ] || fail "the link is not indexed by E101"
# Audit entries are kept 30 days here.
sed 's/audit_log: {days: 3650, action: anonymize}/audit_log: {days: 30, action: anonymize}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q "audit_log: {days: 30" "$T/policy.yaml" || fail "policy edit"
ok policy import "$T/policy.yaml"
ok hold add --category audit_log --reason "audit of the audit"
total=$(sql "SELECT COUNT(*) FROM audit_log")

# Held: nothing redacted.  (The hold's own entry, who placed it and why, is not even due
# while the hold stands.)
ok retention plan --as-of "$ASOF" --json
expect_json '[.lines[] | select(.category == "audit_log")][0] | "\(.due) \(.affected) \(.held) \(.holds[0].covers)"' \
	"$((total - 1)) 0 $((total - 1)) category audit_log"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE redacted IS NOT NULL")" = 0 ] || fail "held entries redacted"

# A hold in force keeps its own entries whatever it holds (found in review: a person hold's
# hold.add was redacted, so who placed it and why was lost while it stood).
ok hold add --category events --reason "inquiry 12"
ok hold release 1 --reason "done"
due=$(($(sql "SELECT COUNT(*) FROM audit_log") - 1))
ok retention plan --as-of "$ASOF" --json
expect_json '[.lines[] | select(.category == "audit_log")][0] | "\(.due) \(.affected) \(.action)"' "$due $due redact"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --batch 7 --json
expect_json '[.lines[] | select(.category == "audit_log")][0] | .affected' "$due"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE redacted IS NOT NULL")" = "$due" ] || fail "not every old entry redacted"
[ "$(sql "SELECT action || ' ' || COALESCE(redacted, 'kept') FROM audit_log WHERE object_type = 'hold' AND object_id = '2'")" = "hold.add kept" ] ||
	fail "the entry of hold 2, in force, was redacted"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE redacted IS NOT NULL AND (actor <> 'redacted' OR os_user IS NOT NULL OR detail NOT LIKE '{\"redacted\":%')")" = 0 ] ||
	fail "a redacted entry kept its actor or detail"
sql "SELECT detail FROM audit_log WHERE redacted IS NOT NULL" | grep -q "E101\|dismissal\|Lukas" && fail "redacted details remain"
# Nor does the index say whom a redacted entry named.
[ "$(sql "SELECT COUNT(*) FROM audit_people")" = 0 ] || fail "audit_people still names people of redacted entries"
# Each redacted entry's rows are found by its seq, not by reading the table (found in review:
# a retention run over a long history read audit_people once per entry).
if [ "$(engine)" = sqlite ]; then
	sql "EXPLAIN QUERY PLAN DELETE FROM audit_people WHERE seq = 1" | grep -q "USING .*INDEX audit_people_seq" ||
		fail "the redaction's delete reads audit_people whole: $(sql "EXPLAIN QUERY PLAN DELETE FROM audit_people WHERE seq = 1")"
fi
# The first entry keeps its place, its action and its hash.
[ "$(sql "SELECT action, object_type FROM audit_log WHERE seq = 1")" = "db.init|db" ] || fail "seq 1 lost its action"
sql "SELECT redacted FROM audit_log WHERE seq = 1" | grep -qE '^audit_log: 30 days, anonymize #[0-9]+$' || fail "redacted names no rule"
ok audit verify
expect_out "; $due redacted by retention)"
ok audit verify --json
expect_json '"\(.verified) \(.redacted)"' "true $due"
# The retention entries themselves are never redacted, so a second apply finds nothing.
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
expect_json .affected 0
ok audit log --object retention:audit_log --json
expect_json 'length' "$(( (due + 6) / 7 ))"
expect_json '.[0].detail | "\(.count) \(.first_id) \(.last_id) \(.redacted_count)"' "7 1 7 7"
ok audit log --json
expect_json '[.[] | select(.redacted != null)] | length' "$due"

# A later entry, not redacted.
ok hold add --person E101 --reason "case 7"
h=$(sql "SELECT MAX(seq) FROM audit_log")
ok audit verify
# Tampering, after dropping the triggers as an operator would.
disable_audit_triggers
broken_at() { # broken_at SEQ TEXT: verify fails at SEQ saying TEXT
	run audit verify
	expect_status 1
	expect_err "audit chain broken at sequence number $1"
	expect_err "$2"
}
intact() { ok audit verify; expect_out "; $due redacted by retention)"; }
# 1. A redacted entry's kept fields, or its redaction, edited.
obj=$(sql "SELECT object_id FROM audit_log WHERE seq = 3")
rec=$(sql "SELECT redacted FROM audit_log WHERE seq = 3" | sed 's/.*#//')
sql "UPDATE audit_log SET object_id = 'someone' WHERE seq = 3"
broken_at "$rec" "not the ones it vouches for"
sql "UPDATE audit_log SET object_id = '$obj' WHERE seq = 3"
intact
sql "UPDATE audit_log SET actor = 'admin' WHERE seq = 3"
broken_at "$rec" "not the ones it vouches for"
sql "UPDATE audit_log SET actor = 'redacted' WHERE seq = 3"
intact
# 2. A kept entry edited is caught as ever ...
detail=$(sql "SELECT detail FROM audit_log WHERE seq = $h")
sql "UPDATE audit_log SET detail = '{\"person\":\"E102\",\"reason\":\"case 7\"}' WHERE seq = $h"
broken_at "$h" "its content does not match its hash"
# ... and marking it redacted to hide the edit does not help: no later record vouches for it,
sql "UPDATE audit_log SET redacted = 'audit_log: 30 days, anonymize #$rec' WHERE seq = $h"
broken_at "$h" "names no later retention record"
sql "UPDATE audit_log SET redacted = 'audit_log: 30 days, anonymize #99999' WHERE seq = $h"
broken_at "$h" "no retention record vouches for it"
sql "UPDATE audit_log SET redacted = NULL, detail = '$detail' WHERE seq = $h"
intact
# 3. A redacted entry moved under another real record: both digests stop matching.
red=$(sql "SELECT redacted FROM audit_log WHERE seq = 3")
sql "UPDATE audit_log SET redacted = 'audit_log: 30 days, anonymize #$((rec + 1))' WHERE seq = 3"
broken_at "$rec" "not the ones it vouches for"
sql "UPDATE audit_log SET redacted = '$red' WHERE seq = 3"
intact
# 4. The retention record's own count edited.
rdetail=$(sql "SELECT detail FROM audit_log WHERE seq = $rec")
sql "UPDATE audit_log SET detail = replace(detail, '\"redacted_count\":7', '\"redacted_count\":6') WHERE seq = $rec"
broken_at "$rec" "its content does not match its hash"
sql "UPDATE audit_log SET detail = '$rdetail' WHERE seq = $rec"
intact
# 5. A redacted entry's stored hash replaced: the next entry no longer links to it.
hash=$(sql "SELECT hash FROM audit_log WHERE seq = 3")
sql "UPDATE audit_log SET hash = '$(printf '%064d' 0)' WHERE seq = 3"
broken_at 4 "prev_hash does not match"
sql "UPDATE audit_log SET hash = '$hash' WHERE seq = 3"
intact

# 6. Redaction does not launder an edit made before it: an entry edited by hand (the triggers
# dropped) is not redacted; retention stops with the entry named and redacts nothing.
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$T/policy.yaml"
disable_audit_triggers
sql "UPDATE audit_log SET object_id = 'FORGED' WHERE seq = 2"
run audit verify
expect_status 1
PLUMB_NOW="$ASOF" run retention apply --as-of "$ASOF"
expect_status 1
expect_err "audit entry 2 does not match its hash: the log was edited, so retention will not redact it"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE redacted IS NOT NULL")" = 0 ] || fail "a batch with an edited entry was redacted"
run audit verify
expect_status 1
expect_err "its content does not match its hash"
