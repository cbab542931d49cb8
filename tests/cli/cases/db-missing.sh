# Every command on a missing database exits 4 with a hint naming 'plumb init', and creates nothing.
sqlite_only "database files that do not exist"
for cmd in "org show" "org tree" "person list" "person show E1" "audit verify" "audit log" \
	"org import x.csv" "demo" "backup copy.db" "user list"; do
	run $cmd
	expect_status 4
	expect_err "plumb: error: no plumb database at $PLUMB_DB"
	expect_err "hint: create one with 'plumb init"
	[ -e "$PLUMB_DB" ] && fail "'plumb $cmd' created the database"
done
run --db "$T/elsewhere.db" org show
expect_status 4
expect_err "no plumb database at $T/elsewhere.db"
expect_err "plumb init --db $T/elsewhere.db"
[ -e "$T/copy.db" ] && fail "backup of a missing database wrote a file"
true
