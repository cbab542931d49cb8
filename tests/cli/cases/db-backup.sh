# backup FILE while other processes read and write gives a copy that opens with --db and verifies; an existing FILE is a conflict (exit 5).
init_db
ok org import "$FIXTURES/org-small.csv"
# Keep the database busy: a reader holding a read transaction and a writer changing services.
(echo "BEGIN; SELECT COUNT(*) FROM people;"; sleep 4; echo "COMMIT;") | sql_session >/dev/null 2>&1 &
reader=$!
(
	for i in 1 2 3 4 5 6; do
		"$PLUMB" service set "svc-$i" --team payments --effective 2026-01-01 || echo "writer failed: $i"
	done
) >"$T/writer.out" 2>&1 &
writer=$!
sleep 0.3
ok backup "$T/copy.db"
expect_out "backup written to $T/copy.db; its audit chain verified"
wait "$writer"
wait "$reader"
grep -q "writer failed" "$T/writer.out" && fail "a concurrent write failed: $(cat "$T/writer.out")"
grep -qE 'Sanitizer|runtime error' "$T/writer.out" && fail "sanitizer report from the writer"

# The copy opens as is and its chain verifies; the backup's own entry, which says whether a
# verified copy was made, is in the source (it is written when the backup ends).
ok --db "$T/copy.db" audit verify
expect_out "verified"
ok --db "$T/copy.db" audit log --json
expect_json '[.[] | select(.action == "db.backup")] | length' 0
# (Looked up by object: a concurrent write may come after it.)
ok audit log --json --object "backup:$T/copy.db"
expect_json 'length' 1
expect_json '.[0].action + " " + .[0].object_type + ":" + .[0].object_id' "db.backup backup:$T/copy.db"
expect_json '.[0].detail.ok' true
ok --db "$T/copy.db" org show --json
expect_json .people_active 11
ok --db "$T/copy.db" person show E102 --json
expect_json .name "Nguyen, Minh"
# The original is still fine and has every concurrent write.
ok audit verify
ok service list --json
expect_json 'length' 6

# Never overwrite: a second backup to the same file is a conflict and leaves the copy alone.
before=$(sha256sum <"$T/copy.db")
run backup "$T/copy.db"
expect_status 5
expect_err "plumb: error: $T/copy.db already exists"
expect_err "hint:"
[ "$(sha256sum <"$T/copy.db")" = "$before" ] || fail "backup overwrote an existing file"
ok audit log --json --limit 1
expect_json '.[0].action + " " + (.[0].detail.ok | tostring)' "db.backup false"

# An employee may not take a backup.
run backup "$T/other.db"
expect_status 0
ok user add --person E101 --role employee
run --as E101 backup "$T/mine.db"
expect_status 3
[ -e "$T/mine.db" ] && fail "a refused backup wrote a file"
true
