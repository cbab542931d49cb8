# explain names the raw payload each input was read from; when retention has emptied it (its
# bytes deleted, its SHA-256 and size kept), explain says so, in the text, in --json
# (`raw_payload.deleted`) and on the page, rather than citing it as if it could still be read
# and checked. Found hunting: an input read from an emptied payload was listed as any other.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok source add deploy --name deploys
sed 's/raw_payloads: {days: 400, action: delete}/raw_payloads: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q 'raw_payloads: {days: 30, action: delete}' "$T/policy.yaml" || fail "the raw rule was not rewritten"
ok policy import "$T/policy.yaml"
START=$(ago 10) FROM=$(date -u -d "@$((NOW - 20 * 86400))" +%Y-%m-%d) TO=$(date -u -d "@$((NOW - 1 * 86400))" +%Y-%m-%d)
printf 'id,service,environment,started,finished,status,url\nD1,api,production,%s,%s,success,https://ci.example.com/1\n' \
	"$START" "$START" >"$T/v1.csv"
printf 'id,service,environment,started,finished,status,url\nD1,api,production,%s,%s,success,https://ci.example.com/1b\n' \
	"$START" "$START" >"$T/v2.csv"
ok ingest --source deploys "$T/v1.csv"
ok dora --org --from "$FROM" --to "$TO" --json
value=$(json '.keys.deployment_frequency.value.id')
[ "$(json '.keys.deployment_frequency.value.n')" = 1 ] || fail "D1 was not counted"
raw1=$(sql "SELECT raw_id FROM events WHERE external_id = 'D1'")
# Edited upstream: the value keeps version 1, read from v1.csv, which no event refers to now.
ok ingest --source deploys "$T/v2.csv"
[ "$(sql "SELECT version FROM events WHERE external_id = 'D1'")" = 2 ] || fail "D1 was not updated"
ok explain "$value" --json
expect_json '.inputs[0] | "\(.version) \(.raw_payload.id) \(.raw_payload.deleted)"' "1 $raw1 false"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF"
[ "$(sql "SELECT encoding FROM raw_payloads WHERE id = $raw1")" = deleted ] || fail "v1.csv's payload was not emptied"
ok explain "$value" --json
expect_json '.inputs | length' 1
expect_json '.inputs[0] | "\(.version) \(.raw_payload.id) \(.raw_payload.origin) \(.raw_payload.deleted)"' \
	"1 $raw1 $T/v1.csv true"
ok explain "$value"
expect_out "raw payload $raw1 from $T/v1.csv (emptied by retention: its bytes are deleted, its SHA-256 kept)"
# The page says it too.
tok=$(token admin read)
serve
http GET "/metric-values/${value#metric-value:}" -H "Authorization: Bearer $tok"
expect_http 200
expect_out "emptied by retention: its bytes are deleted, its SHA-256 kept"
