# A number in a JSON body is the option's value as written: 0.1 is stored as 0.1, not as
# %.17g's 0.10000000000000001 (a metric setting and an objective's name were stored so).
# One no double holds exactly, past the range (1e400, which became 'inf') or a whole number
# from 2^53 on (its last digits lost), is a 400 naming the field, and nothing is written.
init_db
w=$(token admin write)
serve
J=(-H "Authorization: Bearer $w" -H 'Content-Type: application/json')

http POST /api/v1/metrics/settings "${J[@]}" -d '{"args":["failure_window_hours", 0.1]}'
expect_http 200
expect_json .output "failure_window_hours = 0.1 for the org"
[ "$(sql "SELECT value FROM metric_settings WHERE key = 'failure_window_hours'")" = 0.1 ] ||
	fail "stored as $(sql "SELECT value FROM metric_settings WHERE key = 'failure_window_hours'")"
http POST /api/v1/objectives "${J[@]}" -d '{"args":[0.3], "description": 1.1}'
expect_http 200
[ "$(sql "SELECT name || ' ' || description FROM objectives WHERE name LIKE '0.%'")" = "0.3 1.1" ] ||
	fail "objective stored as $(sql "SELECT name || ' ' || description FROM objectives WHERE name LIKE '0.%'")"

before=$(counts)
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
http POST /api/v1/metrics/settings "${J[@]}" -d '{"args":["failure_window_hours", 1e400]}'
expect_http 400
expect_json .error.code invalid_input
expect_json .error.message "field 'args' has a number too large to take exactly"
http POST /api/v1/objectives "${J[@]}" -d '{"args":["big"], "description": 12345678901234567890}'
expect_http 400
expect_json .error.message "field 'description' has a number too large to take exactly"
http POST /api/v1/objectives "${J[@]}" -d '{"args":["small"], "description": -9007199254740992}'
expect_http 400
expect_counts "$before"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit_before" ] || fail "a refused request was audited"
[ "$(sql "SELECT value FROM metric_settings WHERE key = 'failure_window_hours'")" = 0.1 ] || fail "setting changed"
# The largest whole number a double holds exactly is taken as written, and a whole number in
# an exponent's spelling as its digits (an integer option reads them; %g gave 1e+15).
http POST /api/v1/objectives "${J[@]}" -d '{"args":["edge"], "description": 9007199254740991}'
expect_http 200
[ "$(sql "SELECT description FROM objectives WHERE name = 'edge'")" = 9007199254740991 ] || fail "2^53-1 not kept"
http POST /api/v1/objectives "${J[@]}" -d '{"args":["whole"], "description": 1e15}'
expect_http 200
[ "$(sql "SELECT description FROM objectives WHERE name = 'whole'")" = 1000000000000000 ] ||
	fail "1e15 stored as $(sql "SELECT description FROM objectives WHERE name = 'whole'")"
stop_server
