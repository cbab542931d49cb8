# Two copies into one new SQLite file at once, and two backups to one file: each time one
# lands whole and the other refuses (exit 5) and leaves it alone. A copy writes a new file
# under a name of its own and puts it in place once whole; a backup makes its file
# exclusively. (Before, both could take the file as theirs, and the loser removed the
# winner's finished copy.)
sqlite_only "the targets are SQLite files; the source's engine makes no difference"
init_db
ok org import "$FIXTURES/org-small.csv"
# twice WHAT ARGS...: plumb ARGS twice at once; exactly one must succeed and the other exit 5.
twice() {
	local what=$1 s1 s2
	shift
	"$PLUMB" "$@" >"$T/$what.1" 2>&1 &
	local p1=$!
	"$PLUMB" "$@" >"$T/$what.2" 2>&1 &
	wait "$!"
	s2=$?
	wait "$p1"
	s1=$?
	! grep -qE 'Sanitizer|runtime error' "$T/$what.1" "$T/$what.2" || fail "sanitizer report from a $what"
	[ "$s1$s2" = 05 ] || [ "$s1$s2" = 50 ] ||
		fail "try $try: the two ${what}s exited $s1 and $s2, expected one 0 and one 5: $(cat "$T/$what.1" "$T/$what.2")"
	grep -qE "already (exists|holds a plumb database)" "$T/$what.1" "$T/$what.2" || fail "try $try: the refusal: $(cat "$T/$what.1" "$T/$what.2")"
}
copies=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'db.copy'")
tries=6
for try in $(seq $tries); do
	rm -f "$T"/copy.db* "$T"/backup.db*
	twice copy db copy --from "$PLUMB_DB" --to "$T/copy.db"
	[ -f "$T/copy.db" ] || fail "try $try: the copy that succeeded is gone"
	twice backup backup "$T/backup.db"
	[ -f "$T/backup.db" ] || fail "try $try: the backup that succeeded is gone"
	ls "$T"/copy.db.copy-* >/dev/null 2>&1 && fail "try $try: a staged copy was left behind: $(ls "$T")"
done
# What stayed is whole.
ok --db "$T/copy.db" audit verify
ok --db "$T/backup.db" audit verify
# The source records each copy that landed, and only those.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'db.copy'")" = $((copies + tries)) ] || fail "db.copy entries in the source"
ok --db "$T/copy.db" org show --json
expect_json .people_active 11
true
