# The access log's time is the system clock's, as docs/cli.md says of audit entries: a
# server run with PLUMB_NOW pinned (a demo as of its day) logs when each request came,
# not the pinned day on every line.
init_db
tok=$(token admin read)
before=$(date -u +%s)
PLUMB_NOW=2020-01-01 serve
http GET /api/v1/org -H "Authorization: Bearer $tok"
expect_http 200
stop_server
after=$(date -u +%s)
line=$(grep ' GET /api/v1/org ' "$T/access.log") || fail "no access log line for GET /api/v1/org: $(cat "$T/access.log")"
at=${line%% *}
case $at in
2020-01-01T*) fail "the access log gives PLUMB_NOW's day, not the time of the request: $line" ;;
esac
secs=$(date -u -d "$at" +%s) || fail "the access log's time '$at' does not parse"
[ "$secs" -ge $((before - 1)) ] && [ "$secs" -le $((after + 1)) ] ||
	fail "the access log's time $at is not between the case's start and end: $line"
