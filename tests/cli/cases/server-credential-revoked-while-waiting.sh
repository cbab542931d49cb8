# A server write is judged on its credential as it stands once the write holds the lock, not
# as it stood when the request came: an API token revoked, or a browser session signed out,
# while the request waited for another writer's lock refuses it (401, audited, nothing
# written).  Before, only the user's roles were read again (actor-revoked-while-waiting.sh),
# and a write sent with a token revoked meanwhile went through: 'token revoke' is said to
# be immediate (docs/api.md).  The writer holding the lock revokes the credential itself,
# so the order is the same on both engines.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E104 --role admin
printf 'a long enough password\n' >"$T/pw"
ok user passwd E104 --password-file "$T/pw"
tok=$(token E104 write)
serve

release_lock() {
	[ "$(engine)" = postgres ] || echo "DELETE FROM meta WHERE key = 'busy-test';" >&6
	echo "COMMIT;" >&6
	if [ "$(engine)" = postgres ]; then echo '\q' >&6; else echo .quit >&6; fi
	exec 6>&-
	wait "$locker" || fail "the session holding the lock failed"
	locker=
}
waiters() {
	[ "$(sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'plumb'
	  AND datname = current_database() AND wait_event_type = 'Lock'")" -ge 1 ]
}
# waiting: the request has been identified and waits for the lock (PostgreSQL shows it;
# SQLite's busy handler does not, so a pause there).
waiting() {
	if [ "$(engine)" = postgres ]; then
		wait_until 60 waiters || fail "the request did not come to wait for the lock"
	else
		sleep 2
	fi
}
denied() { sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'E104' AND action = 'access.denied'"; }
# add_source NAME CURL_ARGS...: POST /api/v1/sources in the background, its status to
# $T/NAME.status and its body to $T/NAME.out.
add_source() {
	local name=$1
	shift
	curl -s -o "$T/$name.out" -w '%{http_code}' -X POST "$@" -H 'Content-Type: application/json' \
		-d "{\"args\":[\"deploy\"],\"name\":\"$name\"}" "$URL/api/v1/sources" >"$T/$name.status" &
	adder=$!
}
refused_unauthenticated() {
	local name=$1
	[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = '$name'")" = 0 ] ||
		fail "the write of $name went through with a credential revoked while it waited"
	[ "$(cat "$T/$name.status")" = 401 ] || fail "$name: HTTP $(cat "$T/$name.status"), expected 401: $(cat "$T/$name.out")"
	[ "$(jq -r .error.code "$T/$name.out")" = unauthenticated ] || fail "$name: $(cat "$T/$name.out")"
	[ "$(jq -r .error.detail "$T/$name.out")" = "it was revoked" ] || fail "$name does not say why: $(cat "$T/$name.out")"
}

# ---- an API token revoked while its write waits ----
before=$(denied)
hold_write_lock
add_source by-token -H "Authorization: Bearer $tok"
waiting
echo "UPDATE api_tokens SET revoked_at = 1 WHERE user_id = (SELECT id FROM users WHERE name = 'E104');" >&6
release_lock
wait "$adder"
refused_unauthenticated by-token
[ "$(denied)" = $((before + 1)) ] || fail "the refusal was not audited"

# ---- a browser session signed out elsewhere while its write waits ----
jar="$T/jar"
form=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -c "$jar" -b "$jar" -d "csrf=$form&user=E104&password=a+long+enough+password"
expect_http 303
page=$(curl -s -b "$jar" "$URL/" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
[ -n "$page" ] || fail "no CSRF token on the home page"
before=$(denied)
hold_write_lock
add_source by-session -b "$jar" -H "X-CSRF-Token: $page"
waiting
echo "UPDATE sessions SET revoked_at = 1 WHERE user_id = (SELECT id FROM users WHERE name = 'E104');" >&6
release_lock
wait "$adder"
refused_unauthenticated by-session
[ "$(denied)" = $((before + 1)) ] || fail "the refusal was not audited"

# A live credential's write waits and goes through (the check refuses only what changed).
tok2=$(token E104 write)
hold_write_lock
add_source live -H "Authorization: Bearer $tok2"
waiting
release_lock
wait "$adder"
[ "$(cat "$T/live.status")" = 200 ] || fail "a live token's write: HTTP $(cat "$T/live.status"): $(cat "$T/live.out")"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'live'")" = 1 ] || fail "the live token's write was not stored"
stop_server
ok audit verify
