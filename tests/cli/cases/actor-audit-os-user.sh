# Every --as read leaves an audit entry naming the acting user, the OS user (id -un) and, where
# there is one, the record read; a read refused by scope leaves its access.denied entry instead.
init_db
ok demo --org-only
emp=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\1/p' "$T/out")
other=$(sed -n 's/.*--as \([A-Z0-9]*\) person show \([A-Z0-9]*\) .*refused.*/\2/p' "$T/out")
mgr=$(sed -n 's/.*--as \([A-Z0-9]*\) person list .*reporting chain.*/\1/p' "$T/out")
me=$(id -un)
n0=$(sql "SELECT MAX(seq) FROM audit_log")
ok --as "$emp" person show "$emp"
run --as "$emp" person show "$other"
expect_status 3
ok --as "$emp" person list
ok --as "$mgr" person list --json
ok --as "$emp" org show
ok --as "$emp" service list
# Without --as, reads leave no entry.
ok person list
ok org show
# (Checked with SQL, as an auditor would read the table.)
q() { sql "SELECT $1 FROM audit_log WHERE $2 ORDER BY seq" | paste -sd, -; }
# Each use leaves one entry: its operation's, or access.denied for the refusal.
ops="seq > $n0 AND action != 'access.denied'"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE $ops")" = 5 ] || fail "expected 5 read entries"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE seq > $n0 AND action = 'access.denied' AND actor = '$emp' AND os_user = '$me'")" = 1 ] ||
	fail "the refused read left no access.denied entry"
[ "$(q "object_type || ':' || object_id" "$ops AND action = 'person.show'")" = "person:$emp" ] ||
	fail "person.show entry does not name the record read"
[ "$(sql "SELECT DISTINCT os_user FROM audit_log WHERE seq > $n0 AND os_user IS NOT NULL")" = "$me" ] || fail "os_user is not $me: $(q os_user "seq > $n0")"
[ "$(q actor "$ops")" = "$emp,$emp,$mgr,$emp,$emp" ] || fail "actors: $(q actor "$ops")"
[ "$(q action "$ops")" = "person.show,person.list,person.list,org.show,service.list" ] ||
	fail "actions: $(q action "$ops")"
total=$(sql "SELECT COUNT(*) FROM audit_log WHERE seq > $n0")
# Entries written before any --as carry no OS user.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE seq <= $n0 AND os_user IS NOT NULL")" = 0 ] || fail "os_user on plain entries"
ok audit log --json --since 2000-01-01 --object op:person.list
expect_json '[.[] | .actor + "/" + .os_user] | join(",")' "$emp/$me,$mgr/$me"
ok audit log
expect_out "$emp (as, by $me)"
ok audit verify
expect_out "verified $((n0 + total)) entries"

# Every use of --as is on the record, whatever became of it (found in review: a write that
# failed under --as, and policy rules, which only checked its permission, left no entry): a
# failure inside an operation or before it began, as a failed read is, and a success.
n1=$(sql "SELECT MAX(seq) FROM audit_log")
run --as "$mgr" metrics show lead_time --team nosuch
expect_status 4
run --as "$emp" framework import nofile.yaml
expect_status 4
ok --as "$emp" policy rules
run metrics show lead_time --team nosuch # without --as, no entry
expect_status 4
[ "$(q "actor || '/' || os_user || ' ' || action || ' ' || object_type || ':' || object_id || ' ' || detail" "seq > $n1")" = \
	"$mgr/$me metric.compute op:metric.compute {\"ok\":false},$emp/$me framework.import op:framework.import {\"ok\":false},$emp/$me policy.rules op:policy.rules {\"ok\":true}" ] ||
	fail "--as uses not recorded: $(q "actor || ' ' || action || ' ' || detail" "seq > $n1")"
ok audit verify

# serve under --as is on the record too once it listens, naming where (it left no entry), and
# a start that fails (the port is taken) is recorded failed.
n2=$(sql "SELECT MAX(seq) FROM audit_log")
serve --as admin
first=$URL
stop_server
serve
run --as admin serve --listen "${URL#http://}"
expect_status 1
expect_err "cannot listen on"
stop_server
[ "$(q "actor || '/' || os_user || ' ' || action || ' ' || object_type || ':' || object_id || ' ' || detail" "seq > $n2")" = \
	"admin/$me server.run server:$first {\"ok\":true},admin/$me server.run op:server.run {\"ok\":false}" ] ||
	fail "serve under --as not recorded: $(q "actor || ' ' || action || ' ' || object_id || ' ' || detail" "seq > $n2")"
ok audit verify
