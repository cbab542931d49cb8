# plumb ingest on a terminal shows its progress while it reads: the files done of all, at
# most ten times a second, then the publish (found in acceptance: progress was reported
# once in 4096 units, so an ingest of fewer files showed no line until it published).
# Not on a terminal, nothing but the summary.
init_db
ok source add github --name gh --repo acme/widgets
gen_events 20000 "$T/pages"
n=$(find "$T/pages" -name '*.json' | wc -l)
[ "$n" -ge 100 ] || fail "only $n pages"
script -qec "$(printf '%q ' "$PLUMB" ingest --source gh "$T/pages")" "$T/typescript" >"$T/tty" 2>&1 </dev/null ||
	fail "plumb ingest on a terminal: $(cat "$T/tty")"
tr '\r' '\n' <"$T/tty" | sed 's/\x1b\[K//g' >"$T/lines"
grep -qE "^ingest: [0-9]+/$n \([0-9]+%\)$" "$T/lines" || fail "no ingest progress line: $(cat -v "$T/tty")"
# A line before the end: the reading was shown as it went, not only once done.
awk -F'[ /]' -v n="$n" '$1 == "ingest:" && $2 < n {found = 1} END {exit !found}' "$T/lines" ||
	fail "no progress line before the last file: $(cat -v "$T/tty")"
[ "$(sql "SELECT COUNT(*) FROM events")" -gt 0 ] || fail "nothing ingested"
ok ingest --source gh "$T/pages"
[ ! -s "$T/err" ] || fail "progress written to a pipe: $(cat "$T/err")"
