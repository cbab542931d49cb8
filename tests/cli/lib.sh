#!/usr/bin/env bash
# Harness for one CLI case: `bash tests/cli/lib.sh CASE.sh`.  Gives the case a
# fresh temporary directory with its own database and audit key, runs the
# built binary ($PLUMB) and offers assertions.  A case fails on the first
# failed assertion (exit 1); `skip REASON` exits 77.
set -u
case_file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the case runs in $T
[ -f "$case_file" ] || { echo "FAIL: no case file $1" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIXTURES="$ROOT/tests/fixtures"
SHARED_FIXTURES="$ROOT/../shared/fixtures"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T"
export PLUMB_DB="$T/plumb.db"
export PLUMB_AUDIT_KEY="$T/audit.key"
export HOME="$T/home"
unset PLUMB_NOW
status=0

fail() { echo "FAIL: $*" >&2; echo "--- stdout"; cat "$T/out" 2>/dev/null; echo "--- stderr"; cat "$T/err" 2>/dev/null; exit 1; }
skip() { echo "$*"; exit 77; }

# run ARGS...: run plumb, keep stdout in $T/out, stderr in $T/err, exit status in $status.
run() {
	echo "+ plumb $*" >&2
	"$PLUMB" "$@" >"$T/out" 2>"$T/err"
	status=$?
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$T/err"; then fail "sanitizer report from: plumb $*"; fi
	return 0
}
# ok ARGS...: run and require exit 0.
ok() { run "$@"; [ "$status" -eq 0 ] || fail "expected exit 0 from 'plumb $*', got $status"; }
expect_status() { [ "$status" -eq "$1" ] || fail "expected exit $1, got $status"; }
expect_out() { grep -qF -- "$1" "$T/out" || fail "stdout lacks: $1"; }
expect_no_out() { ! grep -qF -- "$1" "$T/out" || fail "stdout has: $1"; }
expect_err() { grep -qF -- "$1" "$T/err" || fail "stderr lacks: $1"; }
expect_out_lines() { [ "$(wc -l <"$T/out")" -eq "$1" ] || fail "expected $1 stdout lines, got $(wc -l <"$T/out")"; }
# json FILTER: evaluate a jq filter on the last stdout.
json() { jq -r "$1" "$T/out" || fail "stdout is not JSON or filter '$1' failed"; }
expect_json() { local got; got=$(json "$1"); [ "$got" = "$2" ] || fail "jq '$1': expected '$2', got '$got'"; }
# sql QUERY: read the database directly (as an attacker or an auditor would).
sql() { sqlite3 "$PLUMB_DB" "$1"; }
# csv NAME <<EOF ... EOF: write a file in the case directory.
file() { cat >"$T/$1"; }
# counts: the row counts an org import or any audited command changes, on one line.
counts() {
	sql "SELECT (SELECT COUNT(*) FROM people)||' people '||(SELECT COUNT(*) FROM teams)||' teams '||
	  (SELECT COUNT(*) FROM identities)||' identities '||(SELECT COUNT(*) FROM team_memberships)||
	  ' memberships '||(SELECT COUNT(*) FROM reporting_lines)||' lines '||(SELECT COUNT(*) FROM levels)||
	  ' levels '||(SELECT COUNT(*) FROM services)||' services '||(SELECT COUNT(*) FROM audit_log)||' audit'"
}
# only_writes: keep the entries of writes in the last `audit log --json` output
# (reads of a person's record are audited on that person too).
only_writes() {
	jq '[.[] | select(.action != "person.show" and .action != "identity.resolve")]' "$T/out" >"$T/out.w" &&
		mv "$T/out.w" "$T/out"
}
# expect_counts BEFORE: nothing was written since `before=$(counts)`.
expect_counts() { local now; now=$(counts); [ "$now" = "$1" ] || fail "database changed: was '$1', now '$now'"; }

source "$case_file"
exit 0
