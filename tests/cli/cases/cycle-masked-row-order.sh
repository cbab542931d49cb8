# A masked reader's rows are ordered by what they show, not by real employee id: in that order
# each pseudonym's self review sat beside the reader's own manager review of the same person,
# named by real id (an analyst managing E101: "P-f0.. self" then "E101 manager", found in
# review), which tied the two.  Here by team, then reviewee as shown.
init_db
export PLUMB_NOW=2026-11-12T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role analyst
ok cycle create a26 --kind annual --scope payments --due self_review=2026-11-10 \
	--due feedback=2026-11-20 --due manager_review=2026-11-30
ok --as M001 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.reviewee | startswith("P-"))] | length' 4
expect_json '[.assignments[] | select(.reviewer == "M001" and .relation == "manager")] | length' 4
# Ids of rows not the reader's are withheld: made in sequence per reviewee, they numbered
# P-..'s self review 1 beside the reader's manager review of E101, 2, which tied the two
# (found in review).  The reader's own keep theirs.
expect_json '[.assignments[] | select(.reviewee | startswith("P-")) | .id] | map(select(. != null)) | length' 0
expect_json '[.assignments[] | select(.reviewer == "M001") | .id | numbers] | length' 5
shown() { jq -r '.assignments[] | "\(.team) \(.reviewee)"' "$T/out"; }
shown >rows
LC_ALL=C sort -c rows || fail "a masked reader's rows are not ordered by what they show: $(paste -sd, rows)"
ok --as M001 cycle assignments --cycle a26
awk 'NR > 1 && NF { print $1 }' "$T/out" >table
LC_ALL=C sort -c table || fail "the table's rows are not ordered by reviewee as shown: $(paste -sd, table)"
# Late self reviews (due 2026-11-10) likewise: the reader's own first, then the pseudonyms.
ok --as M001 cycle status --cycle a26 --json
jq -r '.late[] | .reviewee' "$T/out" >late
LC_ALL=C sort -c late || fail "the late rows are not ordered by reviewee as shown: $(paste -sd, late)"
# An admin's rows keep the real order.
ok cycle assignments --cycle a26 --json
expect_json '[.assignments[] | .reviewee] | .[0:2] | join(",")' "E101,E101"
