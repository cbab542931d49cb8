# events list shows each event's plumb id, the id evaluation files cite ({kind: event, ref: ID})
# and calibration changes cite (event:ID): docs/review.md says to take it from events list,
# and an evaluation citing an event otherwise is told "plumb events list shows them" (found
# walking the docs: events list showed only the source's own id, so no command gave one).
demo_db
# The events E099's manager cited in the demo's annual review, by their plumb ids.
ok --as E006 evaluation history --cycle 2026-annual --person E099 --json
cited=$(jq -r '[.versions[].ratings[].evidence[] | select(.kind == "event") | .ref] | unique | .[]' "$T/out")
[ -n "$cited" ] || fail "E099's evaluation cites no event"
ok events list --kind pull_request --limit 0 --json
for id in $cited; do
	# The id events list gives is the cited event's: its external id and title, as stored.
	want=$(sql "SELECT external_id || ' ' || title FROM events WHERE id = $id")
	[ -n "$want" ] || fail "no event $id in the database"
	got=$(jq -r --argjson id "$id" '.[] | select(.id == $id) | "\(.external_id) \(.title)"' "$T/out")
	[ "$got" = "$want" ] || fail "events list --json gives event $id as '$got', the database '$want'"
done
# Every row has its id, first, each the database's for its source's record.
expect_json '[.[] | (keys_unsorted[0] == "id") and (.id | type == "number")] | all' true
first=$(jq -r '.[0] | "\(.id) \(.external_id)"' "$T/out")
[ "$(sql "SELECT e.id || ' ' || e.external_id FROM events e WHERE e.kind = 'pull_request'
  ORDER BY e.occurred_at, e.id LIMIT 1")" = "$first" ] || fail "the first pull request's id: $first"
# The table and CSV have it as their first column, event.
ok events list --kind pull_request --limit 1
head -1 "$T/out" | grep -q '^event  *occurred  *kind  *source  *id ' || fail "text header: $(head -1 "$T/out")"
sed -n 2p "$T/out" | grep -q "^${first%% *}  " || fail "text row: $(sed -n 2p "$T/out")"
ok events list --kind pull_request --limit 1 --csv
[ "$(head -1 "$T/out")" = $'event,occurred,kind,source,id,service,team,person,account,status,ended\r' ] ||
	fail "CSV header: $(head -1 "$T/out")"
[[ $(sed -n 2p "$T/out") == "${first%% *},"* ]] || fail "CSV row: $(sed -n 2p "$T/out")"
