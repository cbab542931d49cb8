# Ages of syncs, and how long the server keeps a GET answer, follow the system clock, which
# timed the runs: under PLUMB_NOW pinned decades ahead (or behind) a sync that just ended is
# not decades old (or in the future) in /metrics, on the sources page or in the dashboard's
# freshness, and a kept answer still expires after 10 seconds (it never did under a pinned
# clock, so the dashboard's generated_at stood still until the next write).
init_db
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
tok=$(token admin read)
from=$(date +%s)
small_age() { awk -v a="$1" 'BEGIN { exit !(a >= 0 && a < 600) }'; }

PLUMB_NOW=2099-01-01 ok dashboard --json
age=$(json '.freshness[] | select(.source == "gh") | .age_seconds')
small_age "$age" || fail "dashboard --json: gh's age is $age s under a pinned clock"
gen=$(json .generated_at)
case $gen in 2099-*) fail "the dashboard's generated_at is PLUMB_NOW's: $gen" ;; esac

for pinned in 2099-01-01 2001-01-01; do
	PLUMB_NOW=$pinned serve
	http GET /metrics
	expect_http 200
	age=$(sed -n 's/^plumb_source_last_sync_age_seconds{source="gh"} //p' "$T/out")
	small_age "$age" || fail "/metrics under PLUMB_NOW=$pinned: gh's age is '$age' s"
	http GET /sources -H "Authorization: Bearer $tok"
	expect_http 200
	grep -q '>0 h<' "$T/out" || fail "the sources page under PLUMB_NOW=$pinned: $(grep -o '[0-9]* \(h\|days\)<' "$T/out")"
	stop_server
done

PLUMB_NOW=2099-01-01 serve
http GET /api/v1/dashboard -H "Authorization: Bearer $tok"
expect_http 200
first=$(json .generated_at)
age=$(json '.freshness[] | select(.source == "gh") | .age_seconds')
small_age "$age" || fail "GET /api/v1/dashboard: gh's age is $age s under a pinned clock"
sleep 11
http GET /api/v1/dashboard -H "Authorization: Bearer $tok"
expect_http 200
[ "$(json .generated_at)" != "$first" ] || fail "the dashboard answer was kept past 10 s: generated_at $first"
stop_server
