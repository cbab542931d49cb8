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
[ "$(printf '%s' "$said" | jq -r '.[]')" = "note: showing the first 1 of 2 events; --limit 0 shows all" ] ||
	fail "Plumb-Warnings: '$said'"
# A command that says nothing has no such header.
http GET "/api/v1/events?kind=deployment" -H "Authorization: Bearer $w"
expect_http 200
! grep -qi '^Plumb-Warnings:' "$T/headers" || fail "a header with nothing to say"
stop_server
