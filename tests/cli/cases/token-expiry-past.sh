# A token whose expiry has passed is refused before anything is written, and the hint's example
# is a day to come on any day (it was 2030-01-01, itself in the past from 2030 on): 90 days
# from today, PLUMB_NOW's today when set.
init_db
before=$(sql "SELECT COUNT(*) FROM audit_log")
PLUMB_NOW=2031-06-01T12:00:00Z run token create --user admin --scope read --expires 2031-01-01
expect_status 2
expect_err "plumb: error: the token's expiry is in the past"
expect_err "hint: give --expires a future date, such as 2031-08-30 (in 90 days)"
PLUMB_NOW=2031-06-01T12:00:00Z run token create --user admin --scope read --expires 2031-06-01T12:00:00Z
expect_status 2
expect_err "such as 2031-08-30"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "a refused token was audited"
[ "$(sql "SELECT COUNT(*) FROM api_tokens")" = 0 ] || fail "a refused token was stored"
# The example given is taken: a token with that expiry is made.
PLUMB_NOW=2031-06-01T12:00:00Z ok token create --user admin --scope read --expires 2031-08-30 --json
expect_json '.info.expires_at' 2031-08-30T00:00:00.000Z
