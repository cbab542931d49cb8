# On a terminal, plumb sync shows each source's pages and records as they are read, and its
# rate-limit waits, on one line it clears before the summary; elsewhere (a pipe, cron) none
# of it (found in acceptance: the progress was throttled to one line in 4096 pages, so a
# sync on a terminal said nothing until it ended).
source "$ROOT/tests/http/apiserver.sh"
init_db
command -v script >/dev/null || skip "no script(1) to give plumb a terminal"
G=$ROOT/tests/http/scenarios/github-sync
mkdir "$T/progress"
# Commits over two pages, a commit each; the pulls are rate limited once (Retry-After: 1).
jq -c '.[0:1], .[1:2], [
	{path: "/repos/acme/widgets/commits", query: {page: "2"}, responses: [{body_file: "commits-2.json"}]},
	{path: "/repos/acme/widgets/commits", responses: [{body_file: "commits-1.json",
	 headers: {Link: "<{base}/repos/acme/widgets/commits?per_page=100&page=2>; rel=\"next\""}}]},
	{path: "/repos/acme/widgets/pulls", responses: [{status: 429, headers: {"Retry-After": "1"}}, {body: "[]"}]},
	{path: "/repos/acme/widgets/deployments", responses: [{body: "[]"}]},
	{path: "/repos/acme/widgets/actions/runs", responses: [{body: "{\"total_count\": 0, \"workflow_runs\": []}"}]}]' \
	"$G/commits.json" >"$T/progress/all"
for f in commits-1 commits-2 routes; do
	read -r line && printf '%s\n' "$line" >"$T/progress/$f.json"
done <"$T/progress/all"
api_start "$T/progress"
ok source add github --name gh --repo acme/widgets --api-url "$API_URL"
# script(1) runs plumb on a terminal; what it wrote there (stdout and stderr) lands in tty.
script -qec "$(printf '%q ' "$PLUMB" sync --since 2024-01-01)" "$T/typescript" >"$T/tty" 2>&1 </dev/null ||
	fail "plumb sync on a terminal: $(cat "$T/tty")"
tr '\r' '\n' <"$T/tty" | sed 's/\x1b\[K//g' >"$T/lines"
for line in "plumb: sync gh: 1 page, 0 records" "plumb: sync gh: 2 pages, 1 record" \
	"plumb: sync gh: 3 pages, 2 records" "plumb: sync gh: 5 pages, 2 records"; do
	grep -qxF "$line" "$T/lines" || fail "no progress line '$line' on the terminal: $(cat -v "$T/tty")"
done
grep -q "^plumb: sync gh: http.*/repos/acme/widgets/pulls.*429 Too Many Requests: rate limited; waiting 1 s (Retry-After)$" "$T/lines" ||
	fail "the rate-limit wait was not shown: $(cat -v "$T/tty")"
# Only sync's own lines: not the generic progress of each publish, which named no source
# (found in acceptance: "publish: 0/1 (0%)" between the lines of sources side by side).
! grep -q '^publish' "$T/lines" || fail "a progress line that names no source: $(cat -v "$T/tty")"
# The progress line is cleared before the summary, which starts a line of its own.
grep -qF $'\r\e[Kgh: 6 requests (0 not modified), 2 records: 2 new' "$T/tty" ||
	fail "the summary does not start on a cleared line: $(cat -v "$T/tty")"
# Not on a terminal: the summary alone, no progress, no short wait.
ok sync
expect_out "gh: 5 requests (0 not modified), 2 records: 0 new, 0 updated, 2 unchanged"
[ ! -s "$T/err" ] || fail "progress or waits written to a pipe: $(cat "$T/err")"
