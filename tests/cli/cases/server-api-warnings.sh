# What a command says on stderr (warnings, notes) reaches an API client in the answer's
# Plumb-Warnings header, a JSON array of strings, instead of the server's stderr, where the
# client never saw it and the operator read other people's (found in review).
init_db
ok org import "$FIXTURES/org-small.csv"
w=$(token admin write)
serve
# An org file with a column plumb does not use: the CLI warns, and so does the answer.
{ head -1 "$FIXTURES/org-small.csv" | sed 's/$/,shoe_size/'; sed -n 2,3p "$FIXTURES/org-small.csv" | sed 's/$/,44/'; } >extra.csv
run org import --dry-run extra.csv
expect_err "plumb: warning: extra.csv:1: column 'shoe_size' is not used and was ignored"
http POST "/api/v1/org/import?dry-run" -H "Authorization: Bearer $w" -H 'Content-Type: text/csv' --data-binary @extra.csv
expect_http 200
expect_json .dry_run true
said=$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
[ "$(printf '%s' "$said" | jq -r '.[]')" = "warning: request body:1: column 'shoe_size' is not used and was ignored" ] ||
	fail "Plumb-Warnings: '$said'"
! grep -q "shoe_size" "$SERVE_ERR" || fail "the warning went to the server's stderr: $(cat "$SERVE_ERR")"
# Many long warnings: the header keeps its first few whole and counts the rest, so that the
# answer still fits a proxy's header buffer (found in review: 240 unused columns of 400
# characters made a header of 100 KB, and the server dropped the answer unsent).
long=$(printf 'x%.0s' $(seq 1 400))
{ head -1 "$FIXTURES/org-small.csv" | tr -d '\n'; for i in $(seq 1 240); do printf ',unused_%03d_%s' "$i" "$long"; [ "$i" != 2 ] || printf '%s' "$long"; done; echo
	sed -n 2,3p "$FIXTURES/org-small.csv" | sed "s/\$/$(printf ',1%.0s' $(seq 1 240))/"; } >wide.csv
http POST "/api/v1/org/import?dry-run" -H "Authorization: Bearer $w" -H 'Content-Type: text/csv' --data-binary @wide.csv
expect_http 200
expect_json .dry_run true
said=$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
[ "${#said}" -le 4096 ] || fail "a Plumb-Warnings header of ${#said} bytes"
[ "$(printf '%s' "$said" | jq -r '.[0]')" = "warning: request body:1: column 'unused_001_$long' is not used and was ignored" ] ||
	fail "the first warning: $(printf '%s' "$said" | jq -r '.[0]')"
# One line longer than 512 bytes is cut, said with '...'.
[ "$(printf '%s' "$said" | jq -r '.[1]')" = "$(printf "warning: request body:1: column 'unused_002_%s" "$long$long" | head -c 512)..." ] ||
	fail "the long warning: $(printf '%s' "$said" | jq -r '.[1]')"
n=$(printf '%s' "$said" | jq 'length')
[ "$(printf '%s' "$said" | jq -r '.[-1]')" = "note: $((240 - n + 1)) more warnings and notes left out here (this header keeps 4096 bytes)" ] ||
	fail "the last entry: $(printf '%s' "$said" | jq -r '.[-1]')"
# A note: events list cut at its --limit.
file deploys.json <<'JSON'
[{"service":"api","environment":"production","sha":"a1a1a1a1","started":"2026-03-01T10:00:00Z","finished":"2026-03-01T10:05:00Z","status":"success"},
 {"service":"api","environment":"production","sha":"a2a2a2a2","started":"2026-03-02T10:00:00Z","finished":"2026-03-02T10:05:00Z","status":"success"}]
JSON
ok source add deploy --name dep
ok ingest --source dep deploys.json
http GET "/api/v1/events?kind=deployment&limit=1" -H "Authorization: Bearer $w"
expect_http 200
expect_json 'length' 1
said=$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
[ "$(printf '%s' "$said" | jq -r '.[]')" = "note: showing the first 1 of 2 events; ?limit=0 shows all" ] ||
	fail "Plumb-Warnings: '$said'"
# cycle create's blackout window overlaps: warnings too, not lines on the server's stderr.
ok framework import "$FIXTURES/review/framework.yaml"
day() { date -u -d "@$(($(date -u +%s) + $1 * 86400))" +%Y-%m-%d; }
ok calendar add --name "Search v2 launch" --kind launch --from "$(day 2)" --to "$(day 4)" --team search
http POST /api/v1/cycles -H "Authorization: Bearer $w" -H 'Content-Type: application/json' \
	-d "{\"args\":[\"a26\"],\"kind\":\"annual\",\"scope\":\"search\",\"from\":\"$(day -300)\",\"to\":\"$(day -1)\",\"due\":[\"self_review=$(day 10)\"]}"
expect_http 200
expect_json '.calendar_overlaps | length' 1
said=$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
printf '%s' "$said" | jq -r '.[]' | grep -q "^warning: phase self_review (.*) overlaps launch window 1 'Search v2 launch' ($(day 2)..$(day 4), team search)$" ||
	fail "Plumb-Warnings: '$said'"
! grep -q "Search v2 launch" "$SERVE_ERR" || fail "the overlap went to the server's stderr: $(cat "$SERVE_ERR")"
# A command that says nothing has no such header.
http GET "/api/v1/events?kind=deployment" -H "Authorization: Bearer $w"
expect_http 200
! grep -qi '^Plumb-Warnings:' "$T/headers" || fail "a header with nothing to say"
# The warnings are part of the answer its ETag names: the same body with a note it did not
# have is a 200 with a new ETag, not a 304 (a cache updates only the headers a 304 carries:
# a note gone since would stay with the answer it kept; found hunting).
http GET "/api/v1/events?kind=deployment&limit=2" -H "Authorization: Bearer $w"
expect_http 200
! grep -qi '^Plumb-Warnings:' "$T/headers" || fail "limit 2 of 2 has a note"
etag=$(grep -i '^ETag:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
file later.json <<'JSON'
[{"service":"api","environment":"production","sha":"a3a3a3a3","started":"2026-03-03T10:00:00Z","finished":"2026-03-03T10:05:00Z","status":"success"}]
JSON
ok ingest --source dep later.json
http GET "/api/v1/events?kind=deployment&limit=2" -H "Authorization: Bearer $w" -H "If-None-Match: $etag"
expect_http 200
expect_json 'length' 2
said=$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
[ "$(printf '%s' "$said" | jq -r '.[]')" = "note: showing the first 2 of 3 events; ?limit=0 shows all" ] ||
	fail "Plumb-Warnings: '$said'"
grep -qiF "ETag: $etag" "$T/headers" && fail "the answer with a note kept the ETag of the one without"
# A 304 for it repeats its warnings, as the 200 carried them (RFC 9110 15.4.5: a 304 has
# the headers a 200 would).
etag=$(grep -i '^ETag:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')
http GET "/api/v1/events?kind=deployment&limit=2" -H "Authorization: Bearer $w" -H "If-None-Match: $etag"
expect_http 304
[ "$(grep -i '^Plumb-Warnings:' "$T/headers" | sed 's/^[^:]*: *//' | tr -d '\r')" = "$said" ] ||
	fail "the 304 does not repeat the warnings: $(cat "$T/headers")"
stop_server
