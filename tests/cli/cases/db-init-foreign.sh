# init refuses a SQLite file that holds other tables, and writes no file without a key path.
sqlite_only "a SQLite file that holds other tables, and no file left behind"
sqlite3 other.db "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine');"
run --db other.db init
expect_status 5
expect_err "other.db is not a plumb database"
expect_err "it already holds other tables"
[ "$(sqlite3 other.db "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")" = 1 ] || fail "tables were added"
unset PLUMB_AUDIT_KEY HOME XDG_CONFIG_HOME
run --db new.db init
expect_status 2
expect_err "no audit key path"
[ ! -e new.db ] || fail "init left a database file behind"
