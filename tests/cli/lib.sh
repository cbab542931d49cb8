#!/usr/bin/env bash
# Harness for one CLI case: `bash tests/cli/lib.sh CASE.sh`.  Gives the case a
# fresh temporary directory with its own database and audit key, runs the
# built binary ($PLUMB) and offers assertions.  A case fails on the first
# failed assertion (exit 1); `skip REASON` exits 77.
# The database is a SQLite file in that directory, or with PLUMB_TEST_ENGINE=postgres
# a new database on the server at PLUMB_PG_URL (scripts/pg-cluster writes both), named
# t_<pid>_<random> and dropped at exit with any extra_db made beside it.
set -u
case_file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") # absolute: the case runs in $T
[ -f "$case_file" ] || { echo "FAIL: no case file $1" >&2; exit 1; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FIXTURES="$ROOT/tests/fixtures"
SHARED_FIXTURES="$ROOT/../shared/fixtures"
PLUMB_TEST_ENGINE=${PLUMB_TEST_ENGINE:-sqlite}
case $PLUMB_TEST_ENGINE in
sqlite) ;;
postgres)
	[ -n "${PLUMB_PG_URL:-}" ] ||
		{ echo "FAIL: PLUMB_TEST_ENGINE=postgres needs PLUMB_PG_URL (source the env file of scripts/pg-cluster start)" >&2; exit 1; }
	PSQL=${PLUMB_PG_BIN:+$PLUMB_PG_BIN/}psql
	;;
*) echo "FAIL: PLUMB_TEST_ENGINE=$PLUMB_TEST_ENGINE: expected sqlite or postgres" >&2; exit 1 ;;
esac
pg_db=
# pg_admin SQL: run a statement on the server's postgres database (create and drop databases).
pg_admin() { "$PSQL" -XAtq -v ON_ERROR_STOP=1 "$PLUMB_PG_URL/postgres" -c "$1"; }
# The case's database and those extra_db made next to it.
pg_drop_all() { # in one psql: \gexec runs each DROP it is given on its own
	"$PSQL" -XAtq -v ON_ERROR_STOP=1 "$PLUMB_PG_URL/postgres" >/dev/null <<-SQL || echo "warning: could not drop the databases of $pg_db" >&2
		SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', datname) FROM pg_database
		WHERE datname = '$pg_db' OR starts_with(datname, '${pg_db}_') \gexec
	SQL
}
T=$(mktemp -d)
at_exit_cmds=()
# at_exit CMD: run CMD (a string) when the case ends, before the databases are dropped.
at_exit() { at_exit_cmds+=("$1"); }
run_at_exit() { local c; for c in "${at_exit_cmds[@]}"; do eval "$c"; done; }
trap 'run_at_exit; pgq_stop; [ -z "$pg_db" ] || pg_drop_all; rm -rf "$T"' EXIT
trap 'exit 130' INT # the EXIT trap cleans up on these too
trap 'exit 143' TERM
cd "$T"
# pg_made: whether the case's database exists yet. A case that starts from init_db or
# demo_db gets it made there, as a copy of the shared one (run by hand, without
# PLUMB_TEST_CACHE, an empty one that plumb init fills): made here first, it would be
# dropped unused (a CREATE and a DROP DATABASE, 0.4 s of the server's time, in 190 cases).
pg_made=false
if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
	if grep -qE '^[[:space:]]*(init_db|demo_db)\b' "$case_file"; then
		pg_db=t_$$_$RANDOM$RANDOM
	else
		for _ in 1 2 3; do
			_db=t_$$_$RANDOM$RANDOM
			if pg_admin "CREATE DATABASE $_db" 2>"$T/pg.err"; then pg_db=$_db pg_made=true; break; fi
		done
	fi
	[ -n "$pg_db" ] || { echo "FAIL: could not create a database at $PLUMB_PG_URL: $(cat "$T/pg.err")" >&2; exit 1; }
	# Through the pool when tests/run started one (scripts/pg-cluster pool), as a shared
	# deployment connects; directly for the cases about PostgreSQL's own sessions, which
	# watch or end them (a pooled session outlives its client) or change what a new one
	# starts with (ALTER DATABASE ... SET reaches no pooled session). The case's own
	# database only: the administration (pg_admin) and the shared init and demo copies,
	# which must have no session left when they are copied, connect directly.
	pg_base=$PLUMB_PG_URL
	if [ -n "${PLUMB_PG_POOL_URL:-}" ] && [[ ${case_file##*/} != pg-* ]] &&
		! grep -qE 'postgres_only|pg_stat_activity|pg_locks|pg_terminate_backend|ALTER (DATABASE|ROLE)' "$case_file"; then
		pg_base=$PLUMB_PG_POOL_URL
	fi
	export PLUMB_DB="$pg_base/$pg_db"
else
	export PLUMB_DB="$T/plumb.db"
fi
export PLUMB_AUDIT_KEY="$T/audit.key"
export HOME="$T/home"
unset PLUMB_NOW
# The demo's data ends where the week of this day starts, whatever day the suite runs
# (plumb demo's default is today's week): the cases' dates and names hold.
export PLUMB_DEMO_AS_OF=2026-11-01
status=0

# fail MESSAGE: the case fails; a queued expect_json that fails first is reported instead,
# with the output it was made on.
ej_stdout=
fail() {
	ej_flush
	echo "FAIL: $*" >&2
	echo "--- stdout"; cat "${ej_stdout:-$T/out}" 2>/dev/null; echo "--- stderr"; cat "$T/err" 2>/dev/null
	exit 1
}
skip() { ej_flush; echo "$*"; exit 77; }
# engine: the store the case runs on, sqlite or postgres.
engine() { echo "$PLUMB_TEST_ENGINE"; }
# sqlite_only REASON: the case is about SQLite itself; skipped on other engines.
sqlite_only() { [ "$PLUMB_TEST_ENGINE" = sqlite ] || skip "sqlite only: $*"; }
# postgres_only REASON: the case is about PostgreSQL itself; skipped on SQLite.
postgres_only() { [ "$PLUMB_TEST_ENGINE" = postgres ] || skip "postgres only: $*"; }

# sanitizer_report FILE: true when FILE (a plumb's stderr) holds an ASan, LSan or UBSan report
# (UBSan's checks trap in the ASan build, and ASan reports the trap: "AddressSanitizer: ILL").
# Most stderrs are empty, and a grep is a process of its own (docs/PERFORMANCE.md, "The test
# suite": thousands a pass).
sanitizer_report() { [ -s "$1" ] && grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1"; }
# file_has FILE TEXT: FILE holds TEXT, a fixed string, as `grep -qF` finds it, read by the shell
# itself (a grep a check was a process each: about 1,400 checks a pass). TEXT with a newline, or
# empty, goes to grep, which reads it as several patterns or as one that any line matches.
file_has() {
	local content=
	case $2 in '' | *$'\n'*) grep -qF -- "$2" "$1"; return ;; esac
	[ -r "$1" ] || return 1
	IFS= read -r -d '' content <"$1"
	[[ $content == *"$2"* ]]
}
# run ARGS...: run plumb, keep stdout in $T/out, stderr in $T/err, exit status in $status.
run() {
	echo "+ plumb $*" >&2
	pgq_ensure
	"$PLUMB" "$@" >"$T/out" 2>"$T/err" 7>&- 8<&-
	status=$?
	if sanitizer_report "$T/err"; then fail "sanitizer report from: plumb $*"; fi
	return 0
}
# ok ARGS...: run and require exit 0.
ok() { run "$@"; [ "$status" -eq 0 ] || fail "expected exit 0 from 'plumb $*', got $status"; }
# wait_until SECONDS CMD...: run CMD (a command or a function) every 0.05 s until it succeeds,
# for SECONDS at most; false when it never did.  For what another process does in its own
# time (a server's thread, a background command): a fixed sleep is too short on a loaded
# machine (CI runs two cases at a time on two cores) and idle time on a quiet one.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.05
	done
}
# serve [ARGS...]: start `plumb serve` on a free loopback port (stopped when the case ends);
# $URL is its base URL, $SERVE_PID its process, $SERVE_ERR its stderr; the access log
# goes to $T/access.log.
SERVE_PID= SERVE_ERR= SERVES=0
serve() {
	SERVES=$((SERVES + 1))
	SERVE_ERR="$T/serve.$SERVES.err"
	# A file of its own: the shell truncates a shared one only once the child runs, and
	# until then it held the last server's address (a case then spoke to a stopped one).
	local out="$T/serve.$SERVES.out"
	: >"$out" # made here: the loop below may read before the child has opened it
	"$PLUMB" serve --listen 127.0.0.1:0 --json --access-log "$T/access.log" "$@" >"$out" 2>"$SERVE_ERR" 7>&- 8<&- &
	SERVE_PID=$!
	at_exit "kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null"
	local _i _line re='"url": *"([^"]+)"'
	for _i in $(seq 1 600); do # 30 s: under ASan, on PostgreSQL, on a loaded machine
		# Read by the shell, not a jq each 0.05 s: a URL with its closing quote is written whole.
		while IFS= read -r _line; do
			[[ $_line =~ $re ]] && { URL=${BASH_REMATCH[1]}; return 0; }
		done <"$out"
		kill -0 "$SERVE_PID" 2>/dev/null || fail "plumb serve exited: $(cat "$SERVE_ERR")"
		sleep 0.05
	done
	fail "plumb serve did not start in 30 s"
}
# stop_server [PID [ERRFILE]]: SIGTERM to the last server started (or PID), then require a
# clean exit and no sanitizer report.
stop_server() {
	local pid=${1:-$SERVE_PID} errf=${2:-$SERVE_ERR}
	kill -TERM "$pid"
	wait "$pid"
	local rc=$?
	if sanitizer_report "$errf"; then
		cat "$errf" >&2
		fail "sanitizer report from plumb serve"
	fi
	[ "$rc" -eq 0 ] || fail "plumb serve exited $rc after SIGTERM: $(tail -5 "$errf")"
}
# smtp_start [ARGS...]: start tests/smtp/smtp-sink.py, a loopback SMTP server, on a free port
# (stopped when the case ends; ARGS go to it: --auth USER:PASS, --reject ADDR).  $SMTP_URL is
# smtp://127.0.0.1:PORT, $SMTP_PORT the port, $SMTP_LOG the messages it took, one JSON line
# each: from, to, data, auth, subject and text (decoded).  One at a time per case.
SMTP_PID= SMTP_STARTS=0
smtp_start() {
	local state _i
	smtp_stop
	state=$(mktemp -d "$T/smtp.XXXXXX")
	python3 "$ROOT/tests/smtp/smtp-sink.py" --port 0 --port-file "$state/port" --log "$state/log" "$@" \
		>/dev/null 2>"$state/stderr" &
	SMTP_PID=$!
	[ "$SMTP_STARTS" -gt 0 ] || at_exit smtp_stop
	SMTP_STARTS=$((SMTP_STARTS + 1))
	for _i in $(seq 1 200); do
		[ -s "$state/port" ] && break
		kill -0 "$SMTP_PID" 2>/dev/null || fail "smtp-sink.py did not start: $(cat "$state/stderr")"
		sleep 0.05
	done
	[ -s "$state/port" ] || fail "smtp-sink.py wrote no port in 10 s"
	SMTP_PORT=$(cat "$state/port")
	SMTP_URL=smtp://127.0.0.1:$SMTP_PORT
	SMTP_LOG=$state/log
}
smtp_stop() {
	[ -n "$SMTP_PID" ] || return 0
	kill "$SMTP_PID" 2>/dev/null
	wait "$SMTP_PID" 2>/dev/null
	SMTP_PID=
	return 0
}
# mails [JQ_FILTER]: the messages the SMTP sink took, as one JSON array through the filter
# (default: "<to> <subject>" a line, sorted).
mails() {
	local f='[.[] | "\(.to | join(",")) \(.subject)"] | sort | .[]'
	jq -rs "${1:-$f}" "$SMTP_LOG"
}
# chat_start: a chat incoming webhook on tests/http/apiserver.py (scenario chat-webhook):
# $CHAT_URL answers 200, $CHAT_GONE_URL 404; $CHAT_LOG has each request (its body) as a JSON
# line.  Uses apiserver.sh's one server per case.
chat_start() {
	# shellcheck source=../http/apiserver.sh
	source "$ROOT/tests/http/apiserver.sh"
	api_start "$ROOT/tests/http/scenarios/chat-webhook" || fail "chat webhook server did not start"
	CHAT_URL=$API_URL/hooks/T0001/B0002/XsecretXpathXtokenX
	CHAT_GONE_URL=$API_URL/hooks/T0001/B0002/XremovedXwebhookX
	CHAT_LOG=$API_LOG
}
# chats: the texts posted to the chat webhook, one a line, sorted.
chats() { jq -r 'select(.method == "POST") | .body | fromjson | .text' "$CHAT_LOG" | sort; }
# http METHOD PATH [CURL_ARGS...]: one request to the server; the body goes to $T/out (so
# json and expect_json read it), headers to $T/headers, the status to $HTTP_STATUS.
http() {
	local method=$1 path=$2
	shift 2
	echo "+ $method $path" >&2
	: >"$T/out" # curl writes no file for an empty body
	HTTP_STATUS=$(curl -s -o "$T/out" -D "$T/headers" -w '%{http_code}' -X "$method" "$@" "$URL$path")
	local rc=$?
	# Said in the trace: an expectation on the body alone would only see it empty.
	[ "$rc" -eq 0 ] || echo "+ no answer from $URL$path (curl exit $rc)" >&2
}
expect_http() { [ "$HTTP_STATUS" = "$1" ] || fail "expected HTTP $1 from the last request, got $HTTP_STATUS: $(head -c 400 "$T/out")"; }
expect_header() { grep -qi -- "^$1" "$T/headers" || fail "response lacks header: $1"; }
# token USER SCOPE: an API token for USER (created as the admin).
token() { "$PLUMB" token create --user "$1" --scope "$2" --expires 2099-01-01 --json | jq -r .token; }

expect_status() { [ "$status" -eq "$1" ] || fail "expected exit $1, got $status"; }
expect_out() { file_has "$T/out" "$1" || fail "stdout lacks: $1"; }
expect_no_out() { ! file_has "$T/out" "$1" || fail "stdout has: $1"; }
expect_err() { file_has "$T/err" "$1" || fail "stderr lacks: $1"; }
expect_out_lines() { [ "$(wc -l <"$T/out")" -eq "$1" ] || fail "expected $1 stdout lines, got $(wc -l <"$T/out")"; }
# json FILTER: evaluate a jq filter on the last stdout.
json() { jq -r "$1" "$T/out" || fail "stdout is not JSON or filter '$1' failed"; }
# expect_json FILTER VALUE: the filter's output is VALUE (trailing newlines dropped, as $(...)
# drops them). The checks of one output are evaluated together, by one jq, once the output
# has changed, a check fails or the case ends (a jq 1.6 costs 22 to 32 ms of CPU to start,
# and a third of a pass's 1,500 checks follow another on the same output): each keeps a
# copy of the output it was made on, so a later command's output cannot answer it. In a
# subshell (a pipeline, $(...)) a check is evaluated at once: its queue would end with it.
ej_filters=() ej_values=() ej_seen=
expect_json() {
	local now=
	[ -r "$T/out" ] && IFS= read -r -d '' now <"$T/out"
	if [ ${#ej_filters[@]} -gt 0 ] && [ "$now" != "$ej_seen" ]; then ej_flush; fi
	ej_seen=$now
	ej_filters+=("$1") ej_values+=("$2")
	[ "$BASH_SUBSHELL" -eq 0 ] || ej_flush
}
# ej_flush: evaluate the queued checks on the output they were made on; the first that fails
# fails the case, with the message a check evaluated alone gives.
ej_flush() {
	local n=${#ej_filters[@]} i prog= line got
	[ "$n" -gt 0 ] || return 0
	local filters=("${ej_filters[@]}") values=("${ej_values[@]}")
	ej_filters=() ej_values=()
	printf '%s' "$ej_seen" >"$T/.json.in"
	ej_stdout=$T/.json.in
	# The filters joined by a separator line (a newline before each closing parenthesis ends
	# any comment in a filter); when one fails, each is evaluated alone to say which.
	for ((i = 0; i < n; i++)); do
		[ "$i" -eq 0 ] || prog+=', "\u0001", '
		prog+="(${filters[i]}"$'\n'")"
	done
	if [ "$n" -gt 1 ] && jq -r "$prog" "$T/.json.in" >"$T/.json" 2>/dev/null; then
		i=0 got=
		while IFS= read -r line; do
			if [ "$line" = $'\001' ]; then
				ej_compare "${filters[i]}" "${values[i]}" "$got"
				i=$((i + 1)) got=
			else
				got+=$line$'\n'
			fi
		done <"$T/.json"
		ej_compare "${filters[i]}" "${values[i]}" "$got"
	else
		for ((i = 0; i < n; i++)); do
			jq -r "${filters[i]}" "$T/.json.in" >"$T/.json" ||
				fail "stdout is not JSON or filter '${filters[i]}' failed"
			got=
			IFS= read -r -d '' got <"$T/.json"
			ej_compare "${filters[i]}" "${values[i]}" "$got"
		done
	fi
	ej_stdout=
}
# ej_compare FILTER VALUE OUTPUT: OUTPUT, less its trailing newlines, is VALUE.
ej_compare() {
	local got=$3
	while [[ $got == *$'\n' ]]; do got=${got%$'\n'}; done
	[ "$got" = "$2" ] || fail "jq '$1': expected '$2', got '$got'"
}
# sql QUERY: read the database directly (as an attacker or an auditor would).  The output
# is sqlite3's on either engine: one line a row, fields joined by |, NULL as nothing.
sql() { sql_db "$PLUMB_DB" "$1"; }
# rated N: an evaluation file of tests/fixtures/review/framework.yaml rating every competency
# N, without evidence (a reason given).
rated() {
	cat <<EOF
ratings:
  technical_skill: {rating: $1, no_evidence_reason: observed}
  delivery: {rating: $1, no_evidence_reason: observed}
  collaboration: {rating: $1, no_evidence_reason: observed}
EOF
}
# latest_evaluation AS CYCLE PERSON: "VERSION SOURCE DIMENSION=RATING ..." of the person's
# newest evaluation version, read by AS.
latest_evaluation() {
	"$PLUMB" --as "$1" evaluation history --cycle "$2" --person "$3" --json |
		jq -r '.versions[-1] | "\(.version) \(.source) " + (.ratings | map("\(.dimension)=\(.rating)") | join(" "))'
}
# sql_db DB QUERY: the same on another database (a --db given to plumb).
sql_db() {
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		[ "$1" = "$PLUMB_DB" ] && pgq_run "$2" && return 0
		"$PSQL" -XAtq -F'|' -v ON_ERROR_STOP=1 "$1" -c "$2"
	else
		sqlite3 "$1" "$2"
	fi
}
# On PostgreSQL, sql on the case's database goes through one psql session, pgq: a psql a
# query cost about 60 ms of CPU, most of it the server starting a backend, and a pass makes
# some 1,600 of them. Each query runs in a transaction of its own, as psql -c runs it; when
# the session cannot take it (a failed query ends the session, as ON_ERROR_STOP does), the
# query runs again in a psql of its own, which gives the error as before: the session's
# transaction was rolled back, so its rows were not written twice (a sequence, which a
# rollback does not take back, may move twice). Statements that refuse a transaction block
# go straight to a psql of their own. The session starts from the case's own shell
# (pgq_ensure, also called by run): a command substitution's shell could not keep it. Its
# end is a SELECT of a marker, which prints only once everything before it ran: a query
# psql reads as unfinished (an open quote or parenthesis) waits for the marker's timeout
# and then runs on its own, which reports it.
pgq_pid= pgq_db=
pgq_start() {
	pgq_stop
	pgq_db=$PLUMB_DB
	rm -f "$T/.pgq.in" "$T/.pgq.out" && mkfifo "$T/.pgq.in" "$T/.pgq.out" || return 0
	"$PSQL" -XAtq -F'|' -v ON_ERROR_STOP=1 "$PLUMB_DB" <"$T/.pgq.in" >"$T/.pgq.out" 2>/dev/null &
	pgq_pid=$!
	disown "$pgq_pid" # a case's bare `wait` must not wait for it
	exec 7>"$T/.pgq.in" 8<"$T/.pgq.out"
}
pgq_stop() {
	[ -n "$pgq_pid" ] || return 0
	exec 7>&- 8<&-
	pgq_alive && kill "$pgq_pid" 2>/dev/null
	pgq_pid=
}
# pgq_alive: the session's psql still runs (its pid is not another process's by now).
pgq_alive() {
	local comm=
	[ -n "$pgq_pid" ] && read -r comm 2>/dev/null <"/proc/$pgq_pid/comm" && [ "$comm" = psql ]
}
# pgq_ensure: a live session on PostgreSQL when called from the case's shell.
pgq_ensure() {
	[ -n "$pg_db" ] && [ "$BASH_SUBSHELL" -eq 0 ] || return 0
	[ "$pgq_db" = "$PLUMB_DB" ] && pgq_alive && return 0
	pgq_start
}
# pgq_run QUERY: QUERY's rows on stdout through the session; false, having printed nothing,
# when the session could not run it.
pgq_run() {
	local line out= done=false o='\o' rows=$T/.pgq.rows quoted
	case $1 in *[Vv][Aa][Cc][Uu][Uu][Mm]* | *[Cc][Oo][Nn][Cc][Uu][Rr][Rr][Ee][Nn][Tt][Ll][Yy]* | *SYSTEM* | *DATABASE*) return 1 ;; esac
	pgq_ensure
	[ "$pgq_db" = "$PLUMB_DB" ] && pgq_alive || return 1
	# The rows go to a file (\o), read whole: read line by line from the FIFO (a read(2) a
	# byte, a string grown a line at a time) a 3,000-row result took seconds. In a subshell:
	# a session that ended meanwhile makes the write fail, not the case.
	quoted=${rows//\\/\\\\} quoted=${quoted//\'/\'\'} # psql's quoting of \o's file name
	(printf '%s\nBEGIN;\n%s\n;\nCOMMIT;\n%s\nSELECT %s;\n' "$o '$quoted'" "$1" "$o" "'<<pgq-done>>'" >&7) \
		2>/dev/null || return 1
	while IFS= read -r -t 60 line <&8; do
		[ "$line" = '<<pgq-done>>' ] && { done=true; break; }
	done
	# Ended (the query failed) or stuck: a new session for the next query.
	$done || { pgq_alive && kill "$pgq_pid" 2>/dev/null; return 1; }
	[ -f "$rows" ] || return 1
	IFS= read -r -d '' out <"$rows"
	printf '%s' "$out"
}
# sql_session: one client session on the database reading SQL from stdin, so a transaction
# can stay open across lines.
sql_session() {
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		"$PSQL" -XAtq -F'|' -v ON_ERROR_STOP=1 "$PLUMB_DB"
	else
		sqlite3 "$PLUMB_DB"
	fi
}
# sql_until_plumb_waits: SQL for a sql_session on PostgreSQL that returns once a plumb
# process on this case's database waits for a lock (bounded: 60 s, for a loaded machine's
# plumb to start and get there).
sql_until_plumb_waits() {
	cat <<'SQL'
DO $$ BEGIN FOR i IN 1..1200 LOOP PERFORM pg_stat_clear_snapshot();
  EXIT WHEN EXISTS (SELECT 1 FROM pg_stat_activity WHERE application_name = 'plumb'
    AND datname = current_database() AND wait_event_type = 'Lock');
  PERFORM pg_sleep(0.05); END LOOP; END $$;
SQL
}
# extra_db NAME: where a second database NAME is, for --db: the file $T/NAME.db on SQLite
# (not made yet); on PostgreSQL an empty database, made on first use.  The same every call.
extra_db() {
	[[ "$1" =~ ^[a-z0-9_]+$ ]] || { echo "FAIL: extra_db '$1': use a-z, 0-9 and _" >&2; return 1; }
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		local d="${pg_db}_$1"
		if [ "$(pg_admin "SELECT COUNT(*) FROM pg_database WHERE datname = '$d'")" != 1 ]; then
			pg_admin "CREATE DATABASE $d" || { echo "FAIL: could not create database $d" >&2; return 1; }
		fi
		echo "$PLUMB_PG_URL/$d"
	else
		echo "$T/$1.db"
	fi
}
# reset_db: the case's database becomes a new, empty one (plumb init again).
reset_db() {
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		pgq_stop
		pg_admin "DROP DATABASE $pg_db WITH (FORCE)" && pg_admin "CREATE DATABASE $pg_db" || fail "could not recreate $pg_db"
	else
		rm -f "$PLUMB_DB" "$PLUMB_DB"-*
	fi
}
# demo_db ARGS...: `plumb init` and `plumb demo ARGS`, for cases about the demo's data
# (demo-deterministic and demo-refuses-populated run it themselves: their subject is
# running it; the stdout here names the shared database, not the case's). Under tests/run
# (PLUMB_TEST_CACHE set) the demo runs once per engine and ARGS, by PLUMB_TEST_SHARED_PLUMB
# (ASan with leak checks on SQLite, release on PostgreSQL: tests/run), and each case gets a
# copy: database, audit and pseudonym keys, data files,
# and the demo's stdout in $T/out. Ten cases each ran a demo of their own, the PostgreSQL
# pass's slowest setup.
demo_db() { db_copy demo "$@"; }
# init_db: `plumb init`, for the cases whose subject is not init (those run it themselves),
# copied the same way: plumb init cost 0.3 s under ASan on SQLite and 0.6 s on PostgreSQL
# (its DDL), in 150 cases an engine.
init_db() { db_copy init; }
# moved_team_tree: on a fresh database, four teams (root; ta and tb under it; tc under ta,
# one engineer each, gh-P1..gh-P4) where tc moves under tb on 2026-07-15, and two services:
# svc-c tc's all along, svc-m ta's until it passes to tb on 2026-07-20. The edges a team
# scope over the tree of the events' time must hold (dora-team-deploys-edges,
# metrics-team-items-edges).
moved_team_tree() {
	local head='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,parent_team,team_kind,github_login,jira_account_id,pagerduty_user_id,emails'
	row() { # id team parent
		echo "$1,Person $1,$1@acme.example,,$2,Engineer,L3,ic,backend,US,2020-01-01,,$3,,gh-$1,,,"
	}
	init_db
	{
		echo "$head"
		row P1 root ""
		row P2 ta root
		row P3 tb root
		row P4 tc ta
	} >"$T/org.csv"
	ok org import "$T/org.csv" --effective 2026-01-01
	{ echo "$head"; row P4 tc tb; } >"$T/move.csv"
	ok org import "$T/move.csv" --effective 2026-07-15
	ok service set svc-c --team tc --effective 2026-01-01
	ok service set svc-m --team ta --effective 2026-01-01
	ok service set svc-m --team tb --effective 2026-07-20
}
# db_copy init | db_copy demo ARGS...: the two above.
db_copy() {
	local what=$1
	shift
	if [ -z "${PLUMB_TEST_CACHE:-}" ]; then
		# A case run by hand (tests/run sets the cache): init and demo in the case's own
		# database, which on PostgreSQL is not made until here (pg_made above).
		if ! $pg_made && [ "$PLUMB_TEST_ENGINE" = postgres ]; then
			pg_admin "CREATE DATABASE $pg_db" || fail "could not create database $pg_db"
			pg_made=true
		fi
		ok init
		[ "$what" = init ] || ok demo "$@"
		return
	fi
	local key dir cache_db=
	key=$PLUMB_TEST_ENGINE-$what-$(printf '%s\n' "$@" | cksum | cut -d' ' -f1)
	dir=$PLUMB_TEST_CACHE/$key
	[ "$PLUMB_TEST_ENGINE" = postgres ] && cache_db=cache_${key//-/_}
	if [ "$what" = init ]; then
		echo "+ plumb init (a copy of this run's)" >&2
	else
		echo "+ plumb init; plumb demo $* (a copy of this run's)" >&2
	fi
	mkdir -p "$PLUMB_TEST_CACHE"
	(
		flock 9 || exit 1
		[ -f "$dir/done" ] && exit 0
		rm -rf "$dir" && mkdir -p "$dir" || exit 1
		db=$dir/plumb.db
		if [ -n "$cache_db" ]; then
			pg_admin "DROP DATABASE IF EXISTS $cache_db WITH (FORCE)" && pg_admin "CREATE DATABASE $cache_db" || exit 1
			db=$PLUMB_PG_URL/$cache_db
		fi
		# By the binary tests/run names for them (the one most of the pass runs: ASan on SQLite,
		# release on PostgreSQL), whichever case builds them; under ASan, with leak checks.
		bin=${PLUMB_TEST_SHARED_PLUMB:-$PLUMB} asan=${ASAN_OPTIONS:-}
		export PLUMB_DB=$db PLUMB_AUDIT_KEY=$dir/audit.key ASAN_OPTIONS=${asan//detect_leaks=0/detect_leaks=1}
		unset PLUMB_NOW # the same copy whichever case makes it
		"$bin" init >"$dir/out" 2>"$dir/err" || { echo "plumb init failed"; cat "$dir/err"; exit 1; }
		if [ "$what" = demo ]; then
			"$bin" demo "$@" >"$dir/out" 2>>"$dir/err" ||
				{ echo "plumb init; plumb demo $* failed"; cat "$dir/err"; exit 1; }
		fi
		! sanitizer_report "$dir/err" ||
			{ echo "sanitizer report from: plumb $what $*"; cat "$dir/err"; exit 1; }
		touch "$dir/done"
	) 9>"$PLUMB_TEST_CACHE/$key.lock" >"$T/err" 2>&1 || fail "the shared $what: $(head -c 2000 "$T/err")"
	if [ -n "$cache_db" ]; then
		# FILE_COPY copies the template's files and checkpoints; PostgreSQL 15's default,
		# WAL_LOG, writes every block of it to the WAL: the demo's copy 0.41 against 0.15 s,
		# init's 0.09 against 0.05 s (docs/PERFORMANCE.md, "The test suite").
		pgq_stop
		{ ! $pg_made || pg_admin "DROP DATABASE $pg_db WITH (FORCE)"; } &&
			pg_admin "CREATE DATABASE $pg_db TEMPLATE $cache_db STRATEGY FILE_COPY" || fail "could not copy $cache_db"
		pg_made=true
	else
		rm -f "$PLUMB_DB" "$PLUMB_DB"-*
		cp "$dir/plumb.db" "$PLUMB_DB" || fail "could not copy the shared database"
		[ ! -f "$dir/plumb.db-wal" ] || cp "$dir/plumb.db-wal" "$PLUMB_DB-wal" || fail "could not copy the shared WAL"
		[ ! -d "$dir/plumb-data" ] || cp -a "$dir/plumb-data" "${PLUMB_DB%.db}-data" || fail "could not copy the demo's data"
	fi
	cp "$dir/audit.key" "$PLUMB_AUDIT_KEY" && cp "$dir/pseudonym.key" "$(dirname "$PLUMB_AUDIT_KEY")/pseudonym.key" ||
		fail "could not copy the shared keys"
	cp "$dir/out" "$T/out"
	: >"$T/err"
	status=0
}
# gen_events N DIR: bench/gen-events.py's N GitHub events, as API pages, in DIR, for the cases
# to read (never to change). Under tests/run (PLUMB_TEST_CACHE set) generated once a pass and
# hard-linked in: ingest-progress and ingest-yields-to-writers each generated the same 20,000
# on both engines, 1.9 s of python a time on a loaded machine.
gen_events() {
	mkdir -p "$(dirname "$2")" || fail "could not make $(dirname "$2")"
	if [ -z "${PLUMB_TEST_CACHE:-}" ]; then
		python3 "$ROOT/bench/gen-events.py" "$1" "$2" "$FIXTURES/github" >/dev/null || fail "gen-events $1"
		return
	fi
	local dir=$PLUMB_TEST_CACHE/events-$1
	mkdir -p "$PLUMB_TEST_CACHE"
	(
		flock 9 || exit 1
		[ -f "$dir/done" ] && exit 0
		rm -rf "$dir" && python3 "$ROOT/bench/gen-events.py" "$1" "$dir/pages" "$FIXTURES/github" >/dev/null &&
			touch "$dir/done"
	) 9>"$PLUMB_TEST_CACHE/events-$1.lock" || fail "the shared gen-events $1"
	cp -rl "$dir/pages" "$2" || fail "could not link the shared pages into $2"
}
# expect_references_intact: every foreign key in the database points at a row. Ingest
# publishes without SQLite's row-by-row checks (store_check_references in store.h), so the
# cases that ingest check the result; PostgreSQL checks each row as it is written.
expect_references_intact() {
	[ "$PLUMB_TEST_ENGINE" = sqlite ] || return 0
	local bad
	bad=$(sql "PRAGMA foreign_key_check") || fail "PRAGMA foreign_key_check failed"
	[ -z "$bad" ] || fail "rows whose foreign keys point at nothing (table|rowid|parent|fk): $(echo "$bad" | head -5)"
}
# disable_audit_triggers: what an operator does before editing the audit log by hand
# (SQLite: drop the append-only triggers; PostgreSQL: disable the table's user triggers).
disable_audit_triggers() {
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		sql "ALTER TABLE audit_log DISABLE TRIGGER USER" || fail "could not disable the audit_log triggers"
	else
		sql "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete" || fail "could not drop the audit_log triggers"
	fi
}
# review_data_400_days_ago: review data made 400 days ago (NOW, in seconds, and ago DAYS set
# by the case), for retention: cycle a25 (annual, payments); E102 and E103 wrote peer feedback
# on E101 (words and a rating); M001 evaluated E101 and E102 (a case, and a pull request as
# evidence). Needs org-small, the review framework and users E101 to E104 and M001.
review_data_400_days_ago() {
	local at
	at=$(ago 400)
	PLUMB_NOW=$at ok cycle create a25 --kind annual --scope payments --from "$(ago 760)" --to "$at"
	for r in E102 E103; do PLUMB_NOW=$at ok --as M001 cycle nominate --cycle a25 --for E101 --reviewer "$r"; done
	PLUMB_NOW=$at ok cycle advance --cycle a25
	file fb.yaml <<-'EOF2'
		answers:
		  strengths: "Writes the clearest design docs on the team"
		ratings:
		  collaboration: 4
	EOF2
	for r in E102 E103; do PLUMB_NOW=$at ok --as "$r" feedback submit --cycle a25 --for E101 "$T/fb.yaml"; done
	PLUMB_NOW=$at ok cycle advance --cycle a25
	file ev.yaml <<-'EOF2'
		ratings:
		  technical_skill:
		    rating: 4
		    evidence:
		      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/12", date: 2025-03-02, title: Idempotent refunds}
		  delivery: {rating: 3, no_evidence_reason: "steady"}
		  collaboration: {rating: 4, no_evidence_reason: "peers say so"}
		case: A strong year on refunds.
	EOF2
	for p in E101 E102; do PLUMB_NOW=$at ok --as M001 evaluation submit --cycle a25 --person "$p" "$T/ev.yaml"; done
}
# close_cycle C: advance review cycle C through the phases it has left until it is closed:
# retention leaves a cycle's review data until then (retention-feedback-open-cycle.sh).
close_cycle() {
	while [ "$(sql "SELECT phase FROM cycles WHERE name = '$1'")" != closed ]; do
		ok cycle advance --cycle "$1"
	done
}
# undo_schema_25: take the database back to schema 24, before SLO samples kept their origin and
# merges were found by the record merged into.
undo_schema_25() {
	sql "DROP INDEX person_merges_into" || fail "could not drop schema 25's person_merges_into"
	sql "ALTER TABLE sli_samples DROP COLUMN origin" || fail "could not drop schema 25's sli_samples.origin"
	sql "UPDATE meta SET value = '24' WHERE key = 'schema_version'" || fail "could not set schema 24"
}
# undo_schema_24: take the database back to schema 23, before event and evaluation ids were
# never given again: on SQLite the two tables rebuilt without AUTOINCREMENT (their indexes and
# triggers as they are), as schemas 4 and 8 made them.
undo_schema_24() {
	undo_schema_25
	if [ "$PLUMB_TEST_ENGINE" = sqlite ]; then
		local t ddl
		for t in events evaluations; do
			ddl=$(sql "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '$t'" |
				sed -e "1s/^CREATE TABLE \"\{0,1\}$t\"\{0,1\} (/CREATE TABLE ${t}_v23 (/" -e 's/ AUTOINCREMENT//')
			case "$ddl" in "CREATE TABLE ${t}_v23 ("*) ;; *) fail "could not read $t's table: $ddl" ;; esac
			{
				echo "$ddl;"
				echo "INSERT INTO ${t}_v23 SELECT * FROM $t;"
				sql "SELECT sql || ';' FROM sqlite_master WHERE tbl_name = '$t' AND type IN ('index', 'trigger') AND sql IS NOT NULL" >"$T/undo24-$t.sql"
				echo "DROP TABLE $t;"
				echo "ALTER TABLE ${t}_v23 RENAME TO $t;"
				cat "$T/undo24-$t.sql"
				echo "DELETE FROM sqlite_sequence WHERE name = '$t';"
			} >"$T/undo24.sql"
			sqlite3 "$PLUMB_DB" <"$T/undo24.sql" || fail "could not undo schema 24's $t"
		done
		sql "SELECT 1 FROM sqlite_master WHERE sql LIKE '%AUTOINCREMENT%' AND name IN ('events', 'evaluations')" |
			grep -q . && fail "schema 24's AUTOINCREMENT left"
	fi
	sql "UPDATE meta SET value = '23' WHERE key = 'schema_version'" || fail "could not set schema 23"
}
# undo_schema_23: take the database back to schema 22, before an event cited as evidence was
# rewritten as its id (schema 23 changes data only: rows written since are as schema 22 wrote
# them, so only the version goes back).
undo_schema_23() {
	undo_schema_24
	sql "UPDATE meta SET value = '22' WHERE key = 'schema_version'" || fail "could not set schema 22"
}
# undo_schema_22: take the database back to schema 21, before a person's cycles were found by
# the person and, on SQLite, before reminder and calendar window ids were never reused (the
# tables rebuilt without AUTOINCREMENT, as schemas 8 and 9 made them).
undo_schema_22() {
	undo_schema_23
	sql "DROP INDEX cycle_members_person" || fail "could not drop schema 22's cycle_members_person"
	if [ "$PLUMB_TEST_ENGINE" = sqlite ]; then
		sql "CREATE TABLE reminders_v21 (id INTEGER PRIMARY KEY,
		  cycle_id BIGINT NOT NULL REFERENCES cycles(id),
		  assignment_id BIGINT NOT NULL REFERENCES review_assignments(id),
		  recipient_id BIGINT NOT NULL REFERENCES people(id),
		  kind TEXT NOT NULL, channel TEXT NOT NULL, sent_at BIGINT NOT NULL,
		  UNIQUE (assignment_id, kind, channel));
		INSERT INTO reminders_v21 SELECT * FROM reminders;
		DROP TABLE reminders;
		ALTER TABLE reminders_v21 RENAME TO reminders;
		CREATE TABLE calendar_windows_v21 (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
		  kind TEXT NOT NULL, starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,
		  team_id BIGINT REFERENCES teams(id), note TEXT NOT NULL, created_at BIGINT NOT NULL,
		  created_by TEXT NOT NULL);
		INSERT INTO calendar_windows_v21 SELECT * FROM calendar_windows;
		DROP TABLE calendar_windows;
		ALTER TABLE calendar_windows_v21 RENAME TO calendar_windows;
		DELETE FROM sqlite_sequence WHERE name IN ('reminders', 'calendar_windows')" ||
			fail "could not undo schema 22's reminders and calendar windows"
	fi
	sql "UPDATE meta SET value = '21' WHERE key = 'schema_version'" || fail "could not set schema 21"
}
# undo_schema_21: take the database back to schema 20, before a team's parent had a history.
undo_schema_21() {
	undo_schema_22
	sql "DROP TABLE team_parents" || fail "could not drop schema 21's team_parents"
	sql "UPDATE meta SET value = '20' WHERE key = 'schema_version'" || fail "could not set schema 20"
}
# undo_schema_20: take the database back to schema 19, before earlier event versions were
# found by their person.
undo_schema_20() {
	undo_schema_21
	sql "DROP INDEX event_versions_person" || fail "could not drop schema 20's event_versions_person"
	sql "UPDATE meta SET value = '19' WHERE key = 'schema_version'" || fail "could not set schema 19"
}
# undo_schema_19: take the database back to schema 18, before a value's lineage was found by
# its event.
undo_schema_19() {
	undo_schema_20
	sql "DROP INDEX metric_lineage_event" || fail "could not drop schema 19's metric_lineage_event"
	sql "UPDATE meta SET value = '18' WHERE key = 'schema_version'" || fail "could not set schema 18"
}
# undo_schema_18: take the database back to schema 17, before evidence said to count against
# the person was told apart from evidence behind a rating below meets.
undo_schema_18() {
	undo_schema_19
	sql "ALTER TABLE evaluation_evidence DROP COLUMN negative_said" || fail "could not drop schema 18's negative_said"
	sql "UPDATE meta SET value = '17' WHERE key = 'schema_version'" || fail "could not set schema 17"
}
# undo_schema_17: take the database back to schema 16, before audit entries were indexed by
# the people their detail names.
undo_schema_17() {
	undo_schema_18
	sql "DROP TABLE audit_people" || fail "could not drop schema 17's audit_people"
	sql "UPDATE meta SET value = '16' WHERE key = 'schema_version'" || fail "could not set schema 16"
}
# undo_schema_16: take the database back to schema 15, before current metric values were
# found by their inputs and users by their person.
undo_schema_16() {
	undo_schema_17
	sql "DROP INDEX metric_values_current; DROP INDEX users_person" || fail "could not drop schema 16's indexes"
	sql "UPDATE meta SET value = '15' WHERE key = 'schema_version'" || fail "could not set schema 15"
}
# undo_schema_15: take the database back to schema 14, before plumb's triggers fired in the
# replica role on PostgreSQL.
undo_schema_15() {
	undo_schema_16
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		sql "ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
		  ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_delete;
		  ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate;
		  ALTER TABLE events ENABLE TRIGGER events_epoch_update;
		  ALTER TABLE events ENABLE TRIGGER events_epoch_delete;
		  ALTER TABLE event_versions ENABLE TRIGGER event_versions_epoch_delete;
		  ALTER TABLE events ENABLE TRIGGER commit_packs_update;
		  ALTER TABLE events ENABLE TRIGGER commit_packs_delete" || fail "could not enable the triggers as before"
	fi
	sql "UPDATE meta SET value = '14' WHERE key = 'schema_version'" || fail "could not set schema 14"
}
# undo_schema_14: take the database back to schema 13, before sources could be paused.
undo_schema_14() {
	undo_schema_15
	sql "ALTER TABLE sources DROP COLUMN paused_at; ALTER TABLE sources DROP COLUMN paused_by;
	  ALTER TABLE sources DROP COLUMN paused_reason" || fail "could not drop the sources' pause"
	sql "UPDATE meta SET value = '13' WHERE key = 'schema_version'" || fail "could not set schema 13"
}
# undo_schema_13: take the database back to schema 12, before the commit graph was kept in packs.
undo_schema_13() {
	undo_schema_14
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		sql "DROP TRIGGER commit_packs_update ON events; DROP TRIGGER commit_packs_delete ON events;
		  DROP FUNCTION commit_packs_drop()" || fail "could not drop the commit_packs triggers"
	else
		sql "DROP TRIGGER commit_packs_update; DROP TRIGGER commit_packs_delete" ||
			fail "could not drop the commit_packs triggers"
	fi
	sql "DROP TABLE commit_packs" || fail "could not drop commit_packs"
	sql "UPDATE meta SET value = '12' WHERE key = 'schema_version'" || fail "could not set schema 12"
}
# undo_schema_12: take the database back to schema 11, before values said their normalization.
undo_schema_12() {
	undo_schema_13
	sql "ALTER TABLE metric_values DROP COLUMN normalize" || fail "could not drop metric_values.normalize"
	sql "ALTER TABLE metric_lineage DROP COLUMN started_at; ALTER TABLE metric_lineage DROP COLUMN done_at" ||
		fail "could not drop metric_lineage's cycle"
	sql "UPDATE meta SET value = '11' WHERE key = 'schema_version'" || fail "could not set schema 11"
}
# undo_schema_11: take the database back to schema 10, before changes outside publishing were
# counted and a run's events were indexed.
undo_schema_11() {
	undo_schema_12
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		sql "DROP TRIGGER events_epoch_update ON events; DROP TRIGGER events_epoch_delete ON events;
		  DROP TRIGGER event_versions_epoch_delete ON event_versions; DROP FUNCTION events_epoch_bump()" ||
			fail "could not drop the events_epoch triggers"
	else
		sql "DROP TRIGGER events_epoch_update; DROP TRIGGER events_epoch_delete;
		  DROP TRIGGER event_versions_epoch_delete" || fail "could not drop the events_epoch triggers"
	fi
	sql "DROP TABLE events_epoch" || fail "could not drop events_epoch"
	sql "DROP INDEX events_run; DROP INDEX ingest_runs_staging" || fail "could not drop schema 11's indexes"
	sql "UPDATE meta SET value = '10' WHERE key = 'schema_version'" || fail "could not set schema 10"
}
# undo_schema_10: take the database back to schema 9, before merge times were kept.
undo_schema_10() {
	undo_schema_11
	if [ "$PLUMB_TEST_ENGINE" != postgres ]; then
		sql "DROP INDEX events_deployments" || fail "could not drop events_deployments"
	fi
	sql "ALTER TABLE deploy_changes DROP COLUMN merges" || fail "could not drop deploy_changes.merges"
	sql "UPDATE meta SET value = '9' WHERE key = 'schema_version'" || fail "could not set schema 9"
}
# undo_schema_9: take the database back to schema 8, as plumb before calibration left it.
undo_schema_9() {
	local t
	undo_schema_10
	for t in calibration_overrides calibration_changes calibration_marks calibration_participants \
		calibration_members calibration_population calibration_sessions calendar_windows; do
		sql "DROP TABLE $t" || fail "could not drop $t"
	done
	sql "UPDATE meta SET value = '8' WHERE key = 'schema_version'" || fail "could not set schema 8"
}
# undo_schema_8: take the database back to schema 7, as plumb before review cycles left it.
undo_schema_8() {
	local t
	undo_schema_9
	for t in reminders evaluation_evidence evaluation_ratings evaluations feedback_responses \
		review_assignments cycle_members cycle_teams cycle_phases cycles frameworks; do
		sql "DROP TABLE $t" || fail "could not drop $t"
	done
	sql "UPDATE meta SET value = '7' WHERE key = 'schema_version'" || fail "could not set schema 7"
}
# undo_schema_7: take the database back to schema 6, as plumb before governance left it
# (the tables, the added columns, and the audit_log triggers of schema 1).
undo_schema_7() {
	local t
	undo_schema_8
	for t in withheld_records signoff_votes signoffs source_readers person_demographics legal_holds consents \
		mechanism_approvals policies; do
		sql "DROP TABLE $t" || fail "could not drop $t"
	done
	if [ "$PLUMB_TEST_ENGINE" = postgres ]; then
		sql "DROP TRIGGER audit_log_no_update ON audit_log; DROP TRIGGER audit_log_no_delete ON audit_log;
		  DROP FUNCTION audit_log_redact_only();
		  CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
		  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()" || fail "could not restore the audit triggers"
	else
		sql "DROP TRIGGER audit_log_no_update;
		  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
		  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END" || fail "could not restore the audit triggers"
	fi
	sql "DROP INDEX events_team_time" || fail "could not drop events_team_time"
	sql "ALTER TABLE audit_log DROP COLUMN redacted; ALTER TABLE sources DROP COLUMN owner_team_id;
	  ALTER TABLE ingest_runs DROP COLUMN skipped; ALTER TABLE ingest_runs DROP COLUMN pseudonymized;
	  ALTER TABLE events DROP COLUMN anonymized_at;
	  UPDATE meta SET value = '6' WHERE key = 'schema_version'" || fail "could not drop the schema 7 columns"
}
# csv NAME <<EOF ... EOF: write a file in the case directory.
file() { cat >"$T/$1"; }
# import_deliveries_policy WITHOUT_CONSENT [ON_WITHDRAWAL]: import a policy of one mechanism,
# delivery_pipeline (deployments, consent required), that does WITHOUT_CONSENT (skip or
# pseudonymize) with a person's records before they consent, and ON_WITHDRAWAL (keep, the
# default, or delete) with them once they withdraw; retention as policy_retention says.
import_deliveries_policy() {
	cat >"$T/deliveries-policy.yaml" <<-YAML
		name: deliveries under consent
		mechanisms:
		  - key: delivery_pipeline
		    name: Deployments
		    purpose: Change failure rate.
		    categories: [events]
		    event_kinds: [deployment]
		    enabled: true
		    consent: required
		    without_consent: $1
		    on_withdrawal: ${2:-keep}
	YAML
	policy_retention >>"$T/deliveries-policy.yaml"
	ok policy import "$T/deliveries-policy.yaml"
}
# hold_write_lock: another session takes plumb's write lock (pg_advisory_xact_lock on
# PostgreSQL, store_pg.c; BEGIN IMMEDIATE on SQLite) and keeps it: SQL sent to fd 6 runs in its
# transaction, which the case ends (COMMIT or ROLLBACK, then \q or .quit on fd 6).
hold_write_lock() {
	rm -f "$T/lock.in" "$T/lock.out" && mkfifo "$T/lock.in"
	sql_session <"$T/lock.in" >"$T/lock.out" 2>&1 &
	locker=$!
	at_exit "exec 6>&-; [ -z \"\$locker\" ] || kill \$locker 2>/dev/null"
	exec 6>"$T/lock.in"
	if [ "$(engine)" = postgres ]; then
		echo "BEGIN; SELECT pg_advisory_xact_lock(8101244078216505961);" >&6
		for _ in $(seq 100); do
			[ "$(sql "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
			  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ] && return 0
			sleep 0.05
		done
	else
		# It says it holds the lock once it does: a probe of the lock alone also saw a
		# server's own short write at its start, while this BEGIN had failed on it, and
		# the write that should have waited went through (found in session 41's suite).
		printf '.timeout 20000\n.bail on\n' >&6
		echo "BEGIN IMMEDIATE; INSERT INTO meta(key, value) VALUES ('busy-test', 'x'); SELECT 'have-lock';" >&6
		for _ in $(seq 400); do
			grep -q have-lock "$T/lock.out" 2>/dev/null && return 0
			sleep 0.05
		done
	fi
	fail "the other session did not take the write lock"
}
# release_write_lock: hold_write_lock's session commits what was sent to fd 6 and ends.
release_write_lock() {
	[ "$(engine)" = postgres ] || echo "DELETE FROM meta WHERE key = 'busy-test';" >&6
	echo "COMMIT;" >&6
	if [ "$(engine)" = postgres ]; then echo '\q' >&6; else echo .quit >&6; fi
	exec 6>&-
	wait "$locker" || fail "the session holding the lock failed"
	locker=
}
# plumb_waiting: a plumb process (a command, or a server's request) has loaded its user and
# waits for the write lock.  Waited for, up to 60 s, on SQLite too: a fixed 2 s there was a
# guess, which a loaded machine's ASan start could outlast (the change meant to come while
# the write waited then came before it began, and the case tested a plain refusal instead).
plumb_waiting() {
	if [ "$(engine)" = postgres ]; then
		wait_until 60 plumb_waits_pg || fail "plumb did not come to wait for the lock"
	else
		wait_until 60 plumb_waits_sqlite || fail "plumb did not come to wait for the lock"
	fi
}
# plumb_waits_sqlite: a plumb process wants SQLite's write lock.  From before its BEGIN
# IMMEDIATE until its transaction ends it holds a shared lock on one byte of the database
# file, 2^62 - 1 (WRITE_WANT_BYTE in src/store/store_sqlite.c), which fcntl's F_GETLK shows.
plumb_waits_sqlite() {
	python3 - "$PLUMB_DB" <<-'PY'
		import fcntl, os, struct, sys
		fd = os.open(sys.argv[1], os.O_RDONLY)
		probe = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, (1 << 62) - 1, 1, 0)
		held = struct.unpack("hhqqi4x", fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0]
		sys.exit(0 if held != fcntl.F_UNLCK else 1)
	PY
}
plumb_waits_pg() {
	[ "$(sql "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = 'plumb'
	  AND datname = current_database() AND wait_event_type = 'Lock'")" -ge 1 ]
}
# policy_retention: a policy's retention section with every category at a usual rule, for the
# cases about mechanisms, whose files append it (a policy names all seven categories).
policy_retention() {
	cat <<-'YAML'
		retention:
		  raw_payloads: {days: 400, action: delete}
		  events: {days: 1095, action: delete}
		  metric_values: {days: 1825, action: delete}
		  feedback_text: {days: 730, action: delete}
		  ratings: {days: 1825, action: delete}
		  evaluations: {days: 2555, action: delete}
		  audit_log: {days: 3650, action: anonymize}
	YAML
}
# import_pr_policy [FIELD=VALUE...]: write $T/policy.yaml, a policy of one mechanism,
# pull_request_activity (pull requests and reviews, events), with retention as
# policy_retention says, and import it. By default the mechanism is enabled, requires consent,
# skips a record without it and deletes a person's events when they withdraw it; each
# FIELD=VALUE replaces one of those (enabled=false, without_consent=pseudonymize,
# on_withdrawal=keep) or the policy's name (name=...: a policy imported again under another
# name is a new version). The consent-* and hold-* cases about consent and legal holds start
# from it, so each spells only what it changes.
import_pr_policy() {
	local name="pull requests under consent" enabled=true without_consent=skip on_withdrawal=delete kv
	for kv in "$@"; do
		case $kv in
		name=*) name=${kv#*=} ;;
		enabled=*) enabled=${kv#*=} ;;
		without_consent=*) without_consent=${kv#*=} ;;
		on_withdrawal=*) on_withdrawal=${kv#*=} ;;
		*) fail "import_pr_policy: no field '$kv'" ;;
		esac
	done
	cat >"$T/policy.yaml" <<-YAML
		name: $name
		mechanisms:
		  - key: pull_request_activity
		    name: Pull requests and reviews
		    purpose: Review turnaround of teams.
		    categories: [events]
		    event_kinds: [pull_request, review]
		    enabled: $enabled
		    consent: required
		    without_consent: $without_consent
		    on_withdrawal: $on_withdrawal
	YAML
	policy_retention >>"$T/policy.yaml"
	ok policy import "$T/policy.yaml"
}
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
# ingest_written: the rows an ingest writes, on one line (events, raw payloads, runs and
# their documents, staging, versions, services, mappings and the audit log).
ingest_written() {
	sql "SELECT (SELECT COUNT(*) FROM events)||' events '||(SELECT COUNT(*) FROM raw_payloads)||' raw '||
	  (SELECT COUNT(*) FROM ingest_runs)||' runs '||(SELECT COUNT(*) FROM run_documents)||' documents '||
	  (SELECT COUNT(*) FROM ingest_staging)||' staged '||(SELECT COUNT(*) FROM event_versions)||' versions '||
	  (SELECT COUNT(*) FROM services)||' services '||(SELECT COUNT(*) FROM service_mappings)||' mappings '||
	  (SELECT COUNT(*) FROM audit_log)||' audit'"
}
# ingest_refused STATUS MESSAGE ARGS...: 'plumb ingest ARGS' exits STATUS with MESSAGE,
# prints no summary and writes nothing since `before=$(ingest_written)`.
ingest_refused() {
	local want=$1 msg=$2
	shift 2
	run ingest "$@"
	expect_status "$want"
	expect_err "$msg"
	[ -s "$T/out" ] && fail "a refused ingest printed a summary"
	[ "$(ingest_written)" = "$before" ] || fail "a refused ingest wrote: was '$before', now '$(ingest_written)' (ingest $*)"
}
# expect_counts BEFORE: nothing was written since `before=$(counts)`.
expect_counts() { local now; now=$(counts); [ "$now" = "$1" ] || fail "database changed: was '$1', now '$now'"; }

# A case bash cannot parse would stop where its error is and pass: sourced, a syntax
# error only ends the file (found when a comment swallowed a case's esac).
bash -n "$case_file" 2>"$T/syntax" || fail "the case does not parse: $(head -3 "$T/syntax")"
source "$case_file"
ej_flush
exit 0
