# PostgreSQL's counterparts of a missing file and a foreign file: a database that does not
# exist is not found (exit 4, hint createdb) and nothing is created on the server; init
# refuses a database that holds other tables and adds none.
[ "$(engine)" = postgres ] || skip "postgres only: server databases"
gone="$PLUMB_PG_URL/plumb_no_such_db"
for cmd in "org show" "init" "audit verify"; do
	# shellcheck disable=SC2086 # cmd is words
	run --db "$gone" $cmd
	expect_status 4
	expect_err "no plumb database at $gone"
	expect_err "createdb"
done
[ "$(pg_admin "SELECT COUNT(*) FROM pg_database WHERE datname = 'plumb_no_such_db'")" = 0 ] || fail "a database was created"
# Unreachable server: a clear error naming the URL, exit 1.
run --db postgres://plumb@127.0.0.1:1/plumb org show
expect_status 1
expect_err "cannot connect to PostgreSQL"
# A password on the command line is refused before connecting.
run --db "postgres://plumb:hunter2@127.0.0.1:1/plumb" org show
expect_status 2
expect_err "a password in the database URL is refused"
grep -q hunter2 "$T/err" && fail "the password was echoed"
# A database with other tables.
sql "CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine');"
run init
expect_status 5
expect_err "is not a plumb database"
expect_err "it already holds other tables"
[ "$(sql "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()")" = 1 ] || fail "tables were added"
# Without init, commands refuse it too.
run org show
expect_status 4
expect_err "is not a plumb database"
