# Six inits of one new database at once: the schema is made once (migrations run under the
# write lock and re-check the version), one init wins, the others are conflicts (exit 5).
pids=()
for i in 1 2 3 4 5 6; do
	"$PLUMB" init >"$T/init-$i.out" 2>&1 &
	pids+=($!)
done
won=0 lost=0
for i in 1 2 3 4 5 6; do
	if wait "${pids[$((i - 1))]}"; then
		won=$((won + 1))
	else
		code=$?
		[ "$code" -eq 5 ] || fail "init $i: exit $code, expected 0 or 5: $(cat "$T/init-$i.out")"
		grep -q "is already a plumb database" "$T/init-$i.out" || fail "init $i: $(cat "$T/init-$i.out")"
		lost=$((lost + 1))
	fi
	grep -qE 'Sanitizer|runtime error' "$T/init-$i.out" && fail "sanitizer report from init $i"
done
[ "$won" -eq 1 ] && [ "$lost" -eq 5 ] || fail "expected one init to win, got $won won and $lost lost"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "schema version"
# One row each: the schema version and the pseudonym ring's id (pseudonym.h).
[ "$(sql "SELECT COUNT(*) FROM meta")" = 2 ] &&
	[ "$(sql "SELECT COUNT(*) FROM meta WHERE key IN ('schema_version', 'pseudonym_key_id')")" = 2 ] ||
	fail "meta rows: $(sql "SELECT key FROM meta")"
[ "$(sql "SELECT COUNT(*) FROM users WHERE name = 'admin'")" = 1 ] || fail "the seeded admin user doubled"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = 1 ] || fail "expected one db.init entry"
ok audit verify
