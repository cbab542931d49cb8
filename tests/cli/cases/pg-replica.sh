# A hot standby streaming from the primary: plain reads there give the primary's answers;
# writes and audited reads (whose entry is a write) are refused with a hint to use the
# primary; db copy from the replica works and warns that the source could not record it.
[ "$(engine)" = postgres ] || skip "postgres only: streaming replication"
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set ledger --team payments --effective 2026-01-01
# Under /tmp, not $T: the server's user must reach it.
rdir=$(mktemp -d /tmp/plumb-replica.XXXXXXXX)
at_exit '"$ROOT/scripts/pg-cluster" stop "$rdir" >/dev/null 2>&1'
"$ROOT/scripts/pg-cluster" replica "$PLUMB_PG_URL" "$rdir" >"$T/replica.out" 2>&1 ||
	fail "no replica: $(cat "$T/replica.out")"
# shellcheck disable=SC1091
. "$rdir/env"
replica="$PLUMB_PG_REPLICA_URL/${PLUMB_DB##*/}"
want=$(sql "SELECT COUNT(*) FROM audit_log")
# Until the replica has replayed every entry: it replays the whole cluster's WAL, and on CI
# the case beside this one may be writing a demo there (bounded: 60 s).
caught_up() { [ "$(sql_db "$replica" "SELECT COUNT(*) FROM audit_log" 2>/dev/null)" = "$want" ]; }
wait_until 60 caught_up
[ "$(sql_db "$replica" "SELECT COUNT(*) FROM audit_log")" = "$want" ] || fail "the replica did not catch up"
[ "$(sql_db "$replica" "SELECT pg_is_in_recovery()")" = t ] || fail "not a standby"
for r in "org show" "org tree" "person list" "service list" "audit log"; do
	# shellcheck disable=SC2086 # r is words
	ok $r --json
	cp "$T/out" "$T/primary.json"
	# shellcheck disable=SC2086
	ok --db "$replica" $r --json
	cmp -s "$T/primary.json" "$T/out" || fail "'$r' differs on the replica"
done
ok --db "$replica" audit verify
expect_out "verified $want entries"
# Writes go to the primary.
run --db "$replica" service set billing --team payments --effective 2026-02-01
expect_status 1
expect_err "is a read-only server (a replica?); writes go to the primary"
# An audited read must leave its entry, which a replica cannot take: refused, nothing shown.
run --db "$replica" person show H001
expect_status 1
expect_err "read-only"
[ -s "$T/out" ] && fail "an audited read showed its result without its audit entry"
# An offline copy from the replica.
ok db copy --from "$replica" --to "$T/offline.db" --json
expect_json .recorded_in_source false
expect_json .rows.audit_log "$want"
expect_err "warning: the copy is not recorded in the source's audit log"
ok --db "$T/offline.db" audit verify
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$want" ] || fail "the primary changed"
