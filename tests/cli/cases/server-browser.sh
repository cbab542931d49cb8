# The web pages in a real browser: Debian's chromium driven by playwright-core
# (tests/browser/pages.mjs): sign in, the dashboard, a value's explain view down to the raw
# payloads, a page the role may not see, the keyboard, JavaScript off, sign out.
# Screenshots are kept in build/screenshots/sqlite/.
sqlite_only "the pages are a face over the services, whose SQL runs on PostgreSQL in the server-* cases"
command -v node >/dev/null || skip "node is not installed (make test installs it)"
[ -x /usr/bin/chromium ] || skip "chromium is not installed (make test installs it)"
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] || skip "playwright-core is not installed (make test installs it)"
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set checkout --team payments --effective 2020-01-01
ok source add deploy --name pipeline
for i in 2 4 9 16 30; do
	printf '{"deployments":[{"id":"d%s","service":"checkout","environment":"production","sha":"%040d","started":"%s","finished":"%s","status":"success"}]}' \
		"$i" "$i" "$(date -u -d "$i days ago" +%FT%TZ)" "$(date -u -d "$i days ago" +%FT%TZ)" >"$T/d$i.json"
done
ok ingest --source pipeline "$T"/d*.json
ok dashboard refresh
ok user add --person M001 --role manager
printf 'correct horse battery staple\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
serve
shots="$ROOT/build/screenshots/$(engine)"
mkdir -p "$shots"
node "$ROOT/tests/browser/pages.mjs" "$URL" M001 'correct horse battery staple' "$shots" >"$T/browser.out" 2>&1 ||
	{ cat "$T/browser.out"; fail "$(grep FAIL: "$T/browser.out" || tail -3 "$T/browser.out")"; }
cat "$T/browser.out"
[ -s "$shots/2-dashboard.png" ] && [ -s "$shots/3-explain.png" ] && [ -s "$shots/4-forbidden.png" ] || fail "screenshots missing"
# The browser's session was audited: sign-in, a refused page, sign-out.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'M001' AND action = 'session.signin'")" = 1 ] || fail "sign-in not audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'M001' AND action = 'session.signout'")" = 1 ] || fail "sign-out not audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'M001' AND action = 'access.denied'")" -ge 2 ] || fail "the wrong password and the refused page were not audited"
stop_server
ok audit verify
