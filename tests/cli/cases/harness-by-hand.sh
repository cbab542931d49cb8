# A case run by hand, without tests/run's shared copies (PLUMB_TEST_CACHE unset), gets its
# database from init_db on either engine: on PostgreSQL it was never made there, and plumb
# init failed ('database "t_..." does not exist').  tests/run always sets the cache: here alone
# is that path run.
printf '%s\n' init_db 'ok audit verify' >"$T/by-hand.sh"
env -u PLUMB_TEST_CACHE bash "$ROOT/tests/cli/lib.sh" "$T/by-hand.sh" >"$T/out" 2>"$T/err"
status=$?
[ "$status" -eq 0 ] || fail "a case run by hand failed, exit $status: $(tail -c 600 "$T/err")"
grep -qx "+ plumb init" "$T/err" || fail "the case by hand did not run plumb init itself"
