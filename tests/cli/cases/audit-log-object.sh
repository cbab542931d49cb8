# audit log --object TYPE:ID reads the entries on that object by its index (the filter
# written as "?3 IS NULL OR object_type = ?3" scanned the whole log): the same entries,
# oldest first, as the whole log filtered, with --limit keeping the newest, and --since.
ok init
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role people-partner:payments
ok user add --person E101 --role manager
ok service set ledger --team payments --description "double-entry ledger"
ok person show E101
ok audit log --json
cp "$T/out" "$T/all.json"
for object in person:E101 user:E101 service:ledger team:payments org:"$FIXTURES/org-small.csv" person:NOPE; do
	type=${object%%:*} id=${object#*:}
	want=$(jq -c --arg t "$type" --arg i "$id" '[.[] | select(.object_type == $t and .object_id == $i)]' "$T/all.json")
	ok audit log --object "$object" --json
	[ "$(jq -c . "$T/out")" = "$want" ] || fail "--object $object: not the whole log's entries on it"
done
n=$(jq '[.[] | select(.object_type == "person" and .object_id == "E101")] | length' "$T/all.json")
[ "$n" -ge 2 ] || fail "expected at least 2 entries on person:E101, got $n"
want=$(jq -c '[.[] | select(.object_type == "person" and .object_id == "E101")][-1:]' "$T/all.json")
ok audit log --object person:E101 --limit 1 --json
[ "$(jq -c . "$T/out")" = "$want" ] || fail "--limit 1 did not keep the newest"
since=$(jq -r '[.[] | select(.object_type == "person" and .object_id == "E101")][-1].at' "$T/all.json")
want=$(jq -c --arg s "$since" '[.[] | select(.object_type == "person" and .object_id == "E101" and .at >= $s)]' "$T/all.json")
ok audit log --object person:E101 --since "$since" --json
[ "$(jq -c . "$T/out")" = "$want" ] || fail "--since kept other entries"
ok audit log --object person:E101
expect_out "person:E101"
