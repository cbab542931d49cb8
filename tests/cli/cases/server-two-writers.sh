# Two `plumb serve` processes on one database, with concurrent writers through both (on
# PostgreSQL in the PostgreSQL pass, as a shared deployment runs): every write lands once,
# none is answered with an error, and the audit chain verifies.
init_db
ok org import "$FIXTURES/org-small.csv"
tok=$(token admin write)
serve
url1=$URL pid1=$SERVE_PID err1=$SERVE_ERR
serve
url2=$URL pid2=$SERVE_PID err2=$SERVE_ERR
before=$(sql "SELECT COUNT(*) FROM objectives")
# 2 x 40 objectives, 8 requests at a time, alternating between the servers.
for i in $(seq 1 80); do
	if [ $((i % 2)) -eq 0 ]; then echo "$url1 $i"; else echo "$url2 $i"; fi
done | xargs -P 8 -n 2 sh -c 'curl -s -o /dev/null -w "%{http_code}\n" -X POST \
	-H "Authorization: Bearer '"$tok"'" -H "Content-Type: application/json" \
	-d "{\"args\":[\"objective-$1\"],\"description\":\"written through $0\"}" "$0/api/v1/objectives"' >"$T/codes"
[ "$(grep -c '^200$' "$T/codes")" -eq 80 ] || fail "not every write succeeded: $(sort "$T/codes" | uniq -c)"
[ "$(sql "SELECT COUNT(*) FROM objectives")" -eq $((before + 80)) ] || fail "writes lost: $(sql "SELECT COUNT(*) FROM objectives")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'objective.add'")" -eq 80 ] || fail "audit entries missing"
# Each server took its share.
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE description = 'written through $url1'")" -eq 40 ] || fail "server 1's writes"
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE description = 'written through $url2'")" -eq 40 ] || fail "server 2's writes"
stop_server "$pid1" "$err1"
stop_server "$pid2" "$err2"
ok audit verify
