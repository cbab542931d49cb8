# demo refuses a database that already holds people (exit 5), whether from an import or an earlier demo, and writes nothing.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
run demo --no-reviews
expect_status 5
expect_err "plumb: error: the database already holds people"
expect_err "detail: it holds 12 people"
expect_err "hint: create the demo in a new database"
expect_counts "$before"
d=$(extra_db d)
ok --db "$d" init
# An earlier demo's organization is enough to be refused: no source data needed for that.
ok --db "$d" demo --no-reviews --org-only --people 20
expect_out "demo organization created"
n=$(sql_db "$d" "SELECT COUNT(*) FROM audit_log")
run --db "$d" demo --no-reviews
expect_status 5
[ "$(sql_db "$d" "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "refused demo appended to the audit log"
# A data directory that holds anything is refused before anything is written (exit 5).
e=$(extra_db e)
ok --db "$e" init
mkdir -p "$T/used" && echo keep >"$T/used/mine.txt"
run --db "$e" demo --no-reviews --people 20 --data-dir "$T/used"
expect_status 5
expect_err "plumb: error: the demo's data directory $T/used is not empty"
expect_err "hint: remove it, or give another directory with --data-dir"
[ "$(sql_db "$e" "SELECT COUNT(*) FROM people")" = 0 ] || fail "a refused demo wrote people"
[ "$(cat "$T/used/mine.txt")" = keep ] || fail "the refused demo touched the directory"
# An empty one is used, and kept.
mkdir -p "$T/fresh"
ok --db "$e" demo --no-reviews --people 20 --data-dir "$T/fresh"
expect_out "from "
expect_out "files in $T/fresh, through 4 sources"
[ -d "$T/fresh/jira" ] || fail "no jira data in the given directory"
# The demo needs init first.
run --db "$(extra_db none)" demo
expect_status 4
expect_err "plumb init"
# --org-only writes the organization and no source data; --data-dir has nothing to do then.
o=$(extra_db o)
ok --db "$o" init
run --db "$o" demo --no-reviews --org-only --data-dir "$T/nodata"
expect_status 2
expect_err "--data-dir is for the source data --org-only leaves out"
ok --db "$o" demo --no-reviews --org-only
expect_no_out "events of about six months"
[ "$(sql_db "$o" "SELECT COUNT(*) FROM events")/$(sql_db "$o" "SELECT COUNT(*) FROM sources")" = 0/0 ] || fail "--org-only ingested"
[ "$(sql_db "$o" "SELECT COUNT(*) FROM people")" -gt 100 ] || fail "--org-only made no organization"
