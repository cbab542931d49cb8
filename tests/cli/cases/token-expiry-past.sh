# A token whose expiry has passed is refused before anything is written, and the hint's example
# is a day to come on any day (it was 2030-01-01, itself in the past from 2030 on): 90 days
# from today by the system clock, which credentials keep whatever PLUMB_NOW pins.
init_db
before=$(sql "SELECT COUNT(*) FROM audit_log")
hint_day() { date -u -d "+90 days" +%F; }
d0=$(hint_day)
PLUMB_NOW=2099-06-01T12:00:00Z run token create --user admin --scope read --expires "$(date -u -d yesterday +%F)"
d1=$(hint_day)
expect_status 2
expect_err "plumb: error: the token's expiry is in the past"
file_has "$T/err" "hint: give --expires a future date, such as $d0 (in 90 days)" ||
	expect_err "hint: give --expires a future date, such as $d1 (in 90 days)"
run token create --user admin --scope read --expires "$(date -u -d '-1 second' +%Y-%m-%dT%H:%M:%SZ)"
expect_status 2
expect_err "(in 90 days)"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused token was audited"
[ "$(sql "SELECT COUNT(*) FROM api_tokens")" = 0 ] || fail "a refused token was stored"
# The example given is taken: a token with that expiry is made.
ok token create --user admin --scope read --expires "$d1" --json
expect_json '.info.expires_at' "${d1}T00:00:00.000Z"
