# init refuses a SQLite file that holds other tables, and writes no file without a key path;
# reads leave another program's database and an empty file as they were; a database in a
# directory this user may not write is refused with a hint.
sqlite_only "a SQLite file that holds other tables, and no file left behind"
sqlite3 other.db "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine');"
run --db other.db init
expect_status 5
expect_err "other.db is not a plumb database"
expect_err "it already holds other tables"
[ "$(sqlite3 other.db "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")" = 1 ] || fail "tables were added"
# Reading one is refused too, and leaves it as it was: no switch to WAL (plumb checks that a
# file is its own before it writes to it), nor does an empty file become a database.
sum=$(sha256sum <other.db)
run --db other.db org show
expect_status 4
expect_err "other.db is not a plumb database"
[ "$(sqlite3 other.db "PRAGMA journal_mode")" = delete ] || fail "reading it changed its journal mode"
[ "$(sha256sum <other.db)" = "$sum" ] || fail "reading it changed the file"
: >empty.db
run --db empty.db org show
expect_status 4
expect_err "empty.db is not a plumb database"
[ ! -s empty.db ] || fail "reading an empty file made it a database of $(stat -c %s empty.db) bytes"
# init makes an empty file a plumb database in WAL.
ok --db empty.db init
[ "$(sqlite3 empty.db "PRAGMA journal_mode")" = wal ] || fail "init left the new database out of WAL"
# A plumb database in a directory this user may not write (here as another user, when the
# case runs as root): WAL reads need the -shm file beside it, so plumb says what to check.
mkdir ro
ok --db ro/plumb.db init
chmod 555 ro
as_other=()
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$T"
	as_other=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
if "${as_other[@]}" test -x "$PLUMB"; then
	"${as_other[@]}" "$PLUMB" --db ro/plumb.db org show >"$T/out" 2>"$T/err"
	status=$?
	expect_status 1
	expect_err "attempt to write a readonly database"
	expect_err "hint: check that this user may write the database file and its directory"
fi
chmod 755 ro
unset PLUMB_AUDIT_KEY HOME XDG_CONFIG_HOME
run --db new.db init
expect_status 2
expect_err "no audit key path"
[ ! -e new.db ] || fail "init left a database file behind"
