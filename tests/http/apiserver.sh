# apiserver.sh: start and stop tests/http/apiserver.py from a bash test.  Source it
# (after tests/cli/lib.sh in a CLI case), then:
#   api_start DIR   serve the scenario DIR (holding routes.json) in the background; exports
#                   API_URL=http://127.0.0.1:PORT and API_LOG (the JSON-lines request log)
#   api_stop        stop it (api_start registers this with at_exit when lib.sh is loaded)
# One server at a time per shell; each gets its own port, so cases can run in parallel.
API_SERVER_PY="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/apiserver.py"
API_PID=

api_start() {
	local dir=$1 state i
	command -v python3 >/dev/null || { echo "apiserver: python3 is not installed" >&2; return 1; }
	[ -f "$dir/routes.json" ] || { echo "apiserver: no $dir/routes.json" >&2; return 1; }
	state=$(mktemp -d "${T:-${TMPDIR:-/tmp}}/apiserver.XXXXXX") || return 1
	python3 "$API_SERVER_PY" --port-file "$state/port" --log "$state/log" "$dir" 2>"$state/stderr" &
	API_PID=$!
	if declare -F at_exit >/dev/null; then at_exit api_stop; fi
	for ((i = 0; i < 200; i++)); do
		[ -s "$state/port" ] && break
		if ! kill -0 "$API_PID" 2>/dev/null; then
			echo "apiserver: did not start: $(cat "$state/stderr")" >&2
			API_PID=
			return 1
		fi
		sleep 0.05
	done
	[ -s "$state/port" ] || { echo "apiserver: no port after 10 s" >&2; api_stop; return 1; }
	API_URL="http://127.0.0.1:$(cat "$state/port")"
	API_LOG="$state/log"
	export API_URL API_LOG
}

api_stop() {
	[ -n "$API_PID" ] || return 0
	kill "$API_PID" 2>/dev/null
	wait "$API_PID" 2>/dev/null
	API_PID=
	return 0
}
