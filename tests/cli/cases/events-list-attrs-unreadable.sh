# `events list --json` stays JSON whatever an event's attrs column holds: text that is not
# JSON (written by hand or by an old version: cut short, a number written `+1`), JSON that
# is not an object (an array), or bytes that are not UTF-8, is listed as null with a warning
# naming the event; an object is written afresh, so what a lenient parser takes (a raw
# control character in a string) comes out as JSON (docs/cli.md, events list: `attrs` is a
# JSON object). Found hunting: the column was copied into the output as it was, so one bad
# row made the whole output unreadable.
init_db
ok source add deploy --name dep
{
	echo 'id,service,environment,started,finished,status'
	for i in 1 2 3 4 5 6 7; do echo "d$i,api,prod,2024-05-0${i}T10:00:00Z,2024-05-0${i}T10:05:00Z,success"; done
} >deploys.csv
ok ingest --source dep deploys.csv
sql "UPDATE events SET attrs = '{\"success_at\": \"2024-05-01T10:05:00.000Z\"' WHERE external_id = 'd1'"
sql "UPDATE events SET attrs = 'not json' WHERE external_id = 'd2'"
sql "UPDATE events SET attrs = '[1, 2]' WHERE external_id = 'd3'"
sql "UPDATE events SET attrs = '{\"n\": +1}' WHERE external_id = 'd4'"
ctl=$([ "$(engine)" = postgres ] && echo 'chr(1)' || echo 'char(1)')
sql "UPDATE events SET attrs = '{\"s\": \"a' || $ctl || 'b\"}' WHERE external_id = 'd5'"
sql "UPDATE events SET attrs = '{\"note\": \"kept\", \"n\": 2}' WHERE external_id = 'd6'"
ok events list --kind deployment --json
jq -e . "$T/out" >/dev/null || fail "events list --json printed text that is not JSON"
expect_json '[.[] | "\(.external_id)=\(.attrs | tojson)"] | join(" ")' \
	'd1=null d2=null d3=null d4=null d5={"s":"a\u0001b"} d6={"note":"kept","n":2} d7={"success_at":"2024-05-07T10:05:00.000Z"}'
for i in 1 2 3 4; do expect_err "warning: deployment d$i of source dep: its stored attrs are not a JSON object; listed as null"; done
for i in 5 6 7; do ! file_has "$T/err" "d$i " || fail "a warning about d$i, whose attrs are an object"; done
if [ "$(engine)" = sqlite ]; then
	# Bytes that are not UTF-8 (PostgreSQL's text refuses them).
	sql "UPDATE events SET attrs = CAST(X'7b2261223a2262ff227d' AS TEXT) WHERE external_id = 'd6'"
	ok events list --kind deployment --json
	jq -e . "$T/out" >/dev/null || fail "events list --json printed text that is not JSON (not UTF-8)"
	expect_json '.[5].attrs' null
	expect_err "warning: deployment d6 of source dep"
fi
