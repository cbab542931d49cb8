# An event retention anonymized stays, and the raw payload it came from is emptied (an
# anonymized event does not keep its payload, which would name whom it no longer does):
# reconcile has nothing to check it against, which is no mismatch. Found hunting: after
# `retention apply` anonymized a payload's events, `plumb reconcile` reported each of them as
# "in events but in no raw payload" and exited 1.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # DE: 730 days, anonymize
sed -e 's/events: {days: 730, action: delete}/events: {days: 730, action: anonymize}/' \
	-e 's/raw_payloads: {days: 400, action: delete}/raw_payloads: {days: 30, action: delete}/' \
	"$ROOT/examples/policy.yaml" >"$T/policy.yaml"
grep -q 'events: {days: 730, action: anonymize}' "$T/policy.yaml" || fail "the DE rule was not rewritten"
ok policy import "$T/policy.yaml"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 800),$(ago 800),success,lschmidt"
	echo "D2,api,production,aaaaaa2,main,$(ago 900),$(ago 900),success,lschmidt"
} >"$T/old.csv"
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D3,api,production,aaaaaa3,main,$(ago 10),$(ago 10),success,lschmidt"
} >"$T/new.csv"
ok ingest --source deploys "$T/old.csv"
ok ingest --source deploys "$T/new.csv"
ok reconcile
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
[ "$(sql "SELECT COUNT(*) FROM events WHERE anonymized_at IS NOT NULL")" = 2 ] || fail "D1 and D2 not anonymized"
[ "$(sql "SELECT COUNT(*) FROM raw_payloads WHERE encoding = 'deleted'")" = 1 ] ||
	fail "the payload of the anonymized events was not emptied"
ok reconcile --json
expect_json '.sources[0] | "\(.events) \(.mismatches) \(.deleted_by_retention)"' "3 0 0"
expect_json '.mismatches' 0
# Checked still: an event whose payload holds it no longer, or one of no payload at all.
sql "UPDATE events SET external_id = 'D9' WHERE external_id = 'D3'"
run reconcile --json
expect_status 1
expect_json '[.details[].message] | join(",")' \
	"deployment D9 is in events but in no raw payload,deployment D3 is in a raw payload but not in events"
ok audit verify
