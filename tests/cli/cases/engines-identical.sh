# The same demo on SQLite and on PostgreSQL gives bit-identical --json output for every read,
# as every role sees it, and the same audit trail (apart from its clock times and hashes).
[ "$(engine)" = postgres ] || skip "compares the engines: runs in the postgres pass"
export PLUMB_NOW=2026-10-01T00:00:00Z
export PLUMB_DEMO_AS_OF=2026-10-01 # the demo's data up to this week, not past the pinned day
lite="$T/lite.db"
ok init
ok --db "$lite" init
ok demo --no-reviews --seed 11
ok --db "$lite" demo --no-reviews --seed 11
n=0
compare() { # ARGS...: the same command on both databases, outputs byte for byte
	n=$((n + 1))
	ok "$@" --json
	cp "$T/out" "$T/pg.$n"
	ok --db "$lite" "$@" --json
	cmp -s "$T/pg.$n" "$T/out" || fail "'plumb $*' differs between engines: $(diff "$T/pg.$n" "$T/out" | head -8)"
	[ -s "$T/out" ] || fail "'plumb $*' printed nothing"
}
compare org show
compare org tree
compare org tree engineering
compare person list
compare person list --team payments
compare service list
compare user list
for p in E001 E005 E020 E042 E077 E100; do compare person show "$p"; done
compare identity resolve github "$(sql "SELECT login FROM identities WHERE system = 'github' ORDER BY login LIMIT 1")"
# Each role's view: a leader, a manager, an employee.
compare --as E002 person list
compare --as E005 person list
compare --as E020 person show E020
# A run of writes on both, then the reads again.
file moves.csv <<CSV
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
E020,$(sql "SELECT name FROM people WHERE employee_id = 'E020'"),$(sql "SELECT email FROM people WHERE employee_id = 'E020'"),E005,search,Senior Engineer,L4,ic,backend,DE,2020-01-01
CSV
ok org import moves.csv --effective 2026-09-01
ok --db "$lite" org import moves.csv --effective 2026-09-01
compare person show E020
compare org tree
# The audit trails record the same actions on the same objects with the same details; only
# db.init names its engine.
trail='map({seq, actor, os_user, action, object_type, object_id, detail} |
  if .action == "db.init" then .object_id = "ENGINE" | .detail.engine = "ENGINE" else . end)'
ok audit log --json --limit 100000
jq "$trail" "$T/out" >"$T/pg.trail"
ok --db "$lite" audit log --json --limit 100000
jq "$trail" "$T/out" >"$T/lite.trail"
cmp -s "$T/pg.trail" "$T/lite.trail" || fail "audit trails differ: $(diff "$T/pg.trail" "$T/lite.trail" | head -8)"
[ "$(jq length "$T/pg.trail")" -gt 300 ] || fail "expected the demo's audit trail"
expect_json '.[0].action + " " + .[0].detail.engine' "db.init sqlite"
ok audit log --json --limit 100000
expect_json '.[0].action + " " + .[0].detail.engine' "db.init postgres"
