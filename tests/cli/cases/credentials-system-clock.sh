# Credentials keep the system clock, as audit times do: PLUMB_NOW pins the business day (a
# demo looked at as of its day), never when a token or session expires. A server pinned to
# a past day refuses a token once its expiry has passed, and a token may be made to expire
# on a day the pinned clock calls past but that is still to come.
init_db
# Expiring seconds from now in real time, made and used under a clock pinned years before:
# the server is up first, so the token's first use comes well within them on a loaded
# machine, and the second waits until the expiry has passed.
PLUMB_NOW=2020-01-01 serve
soon_s=$(($(date -u +%s) + 6))
soon=$(date -u -d "@$soon_s" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW=2020-01-01 ok token create --user admin --scope read --expires "$soon" --json
tok=$(json .token)
http GET /api/v1/org -H "Authorization: Bearer $tok"
[ "$(date -u +%s)" -lt "$soon_s" ] || skip "the machine took the token's 6 s before its first use"
expect_http 200
while [ "$(date -u +%s)" -le "$soon_s" ]; do sleep 0.5; done
http GET /api/v1/org -H "Authorization: Bearer $tok"
expect_http 401
grep -q 'it has expired' "$T/out" || fail "an expired token's refusal does not say so: $(head -c 300 "$T/out")"
stop_server
# Under a clock pinned after it, an expiry still to come is taken.
later=$(date -u -d '+2 days' +%F)
PLUMB_NOW=2099-01-01 ok token create --user admin --scope read --expires "$later" --json
[ "$(json .info.expires_at)" = "${later}T00:00:00.000Z" ] || fail "the token's expiry: $(cat "$T/out")"
# And its creation time is when it was made, not the pinned day.
created=$(json .info.created_at)
case $created in 2099-*) fail "the token's creation time is PLUMB_NOW's: $created" ;; esac
# Offboarding judges who has left by the pinned day, and revokes at the system clock's time.
ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
ok user add --person E104 --role employee
ok token create --user E104 --scope read --expires 2099-06-01
sed 's/^\(E104,.*,2018-11-12,\),/\12026-02-01,/' "$FIXTURES/org-small.csv" >leave.csv
grep -q '^E104,.*,2026-02-01,tbaker' leave.csv || fail "leave.csv does not end E104"
PLUMB_NOW=2098-01-01 ok org import leave.csv --effective 2026-03-01
PLUMB_NOW=2098-01-01 ok user offboard
expect_out "1 user offboarded"
ok token list --user E104 --json
revoked=$(json '.[0].revoked_at')
case $revoked in null | 2098-*) fail "offboarding revoked the token at PLUMB_NOW's day: $revoked" ;; esac
