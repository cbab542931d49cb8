# A large ingest stages in transactions that follow each other at once; writers that come
# meanwhile (the CLI here, a webhook through the server alike) go in between them, not after
# the whole run (found in acceptance: on SQLite, whose busy handler is not fair, an `identity
# link` begun while 200,000 events were staged waited 7 s, through staging and publishing, and
# at 700,000 events writers failed with "database is locked"). PostgreSQL grants its write
# lock in turn; the case holds there too.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --org acme
# 100,000 records in five staging transactions: 20,000 events written five times over.
gen_events 20000 "$T/events/a"
# Hard links, not copies (0.5 s each on a loaded machine): the ingest only reads them.
for c in b c d e; do cp -rl "$T/events/a" "$T/events/$c"; done
"$PLUMB" ingest --source gh "$T/events" >"$T/ingest.out" 2>&1 &
pid=$!
for _ in $(seq 600); do # bounded: 60 s
	[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" -gt 0 ] && break
	sleep 0.1
done
[ "$(sql "SELECT status FROM ingest_runs")" = staging ] || fail "the ingest is not staging: $(cat "$T/ingest.out")"
# Writers one after another, 0.07 s apart, while at least two of the five staging transactions
# are to come: each gets in at the next gap between the run's transactions, before it
# publishes, though the ingest takes the lock back at once after each.
wpids=()
for w in $(seq 12); do
	[ "$(sql "SELECT COUNT(*) FROM ingest_staging")" -le 40000 ] || break
	"$PLUMB" service set "svc-during-$w" --team payments --effective 2026-01-01 >"$T/writer-$w.out" 2>&1 &
	wpids+=($!)
	sleep 0.07
done
writers=${#wpids[@]}
[ "$writers" -ge 4 ] || fail "only $writers writers started while the ingest staged"
for p in "${wpids[@]}"; do wait "$p" || fail "a writer failed: $(cat "$T"/writer-*.out)"; done
wait "$pid" || fail "the ingest failed: $(cat "$T/ingest.out")"
grep -q '^ingested 100000 records' "$T/ingest.out" || fail "the ingest: $(cat "$T/ingest.out")"
publish=$(sql "SELECT seq FROM audit_log WHERE action = 'ingest.publish'")
late=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'service.create' AND seq > $publish")
[ "$late" = 0 ] || fail "$late of $writers writers waited until the ingest had published"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name LIKE 'svc-during-%'")" = "$writers" ] || fail "services lost"
ok audit verify
expect_references_intact
