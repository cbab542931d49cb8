# docs/api.md documents every route the server lists at GET /api/v1, and no route it lacks.
init_db
tok=$(token admin read)
serve
http GET /api/v1 -H "Authorization: Bearer $tok"
expect_http 200
jq -r '.[] | "\(.method) \(.path)"' "$T/out" | sort >"$T/served"
grep -o '^| `\(GET\|POST\|PUT\|PATCH\|DELETE\) /api/v1[^`]*`' "$ROOT/docs/api.md" | sed 's/^| `//; s/`$//' | sort >"$T/documented"
[ "$(wc -l <"$T/served")" -gt 40 ] || fail "only $(wc -l <"$T/served") routes served"
missing=$(comm -23 "$T/served" "$T/documented")
[ -z "$missing" ] || fail "routes missing from docs/api.md: $missing"
stale=$(comm -13 "$T/served" "$T/documented")
[ -z "$stale" ] || fail "docs/api.md documents routes the server does not have: $stale"
stop_server
