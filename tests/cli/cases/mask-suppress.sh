# Aggregates over fewer people than the policy's minimum are suppressed for analysts (the
# value null, "suppressed": true and a reason) in metrics show, dora, explain and the
# dashboard; others see them; the minimum comes from the policy in force.
demo_db --no-reviews
# The demo's today (its data ends in the week of PLUMB_DEMO_AS_OF): the default windows, to the
# end of today, hold its data whatever the day the suite runs.
export PLUMB_NOW=2026-11-01
ok user add --person E024 --role analyst
ok dashboard refresh
# observability has two people; search has seven.
ok --as E024 dora --team observability --json
expect_json '[.keys[] | .value.suppressed] | all' true
expect_json '[.keys[] | .value.value] | map(select(. != null)) | length' 0
expect_json '[.keys[] | .band] | map(select(. != null)) | length' 0
expect_json '.keys.lead_time.value.detail' null
json '.keys.lead_time.value.suppressed_reason' | grep -q "fewer than 5 people" || fail "no reason given"
ok --as E024 dora --team observability
expect_out "suppressed"
expect_out "fewer than 5 people"
ok dora --team observability --json
expect_json '[.keys[] | .value.suppressed] | map(select(. != null)) | length' 0
[ "$(json '.keys.deployment_frequency.value.value')" != null ] || fail "the admin's deployment frequency is null"
ok --as E024 dora --team search --json
expect_json '.keys.lead_time.value.suppressed' null
# Explain of a suppressed value: no inputs.
ok --as E024 dora --team observability --json
id=$(json '.keys.deployment_frequency.value.id')
ok --as E024 explain "$id" --json
expect_json .value.suppressed true
expect_json '.inputs | length' 0
ok explain "$id" --json
[ "$(json '.inputs | length')" -gt 0 ] || fail "the admin sees no inputs for $id"
# Weekly points: some weeks of search have fewer than five people: those before its first
# deployment in the demo, late in June (no one), suppressed; those after it shown. (The default
# window had such weeks only once the suite ran weeks after the demo's data ended.)
ok --as E024 metrics show lead_time --team search --by week --from 2026-05-31 --to 2026-08-02 --json
sup=$(json '[.points[] | select(.suppressed == true)] | length')
shown=$(json '[.points[] | select(.suppressed == null and .value != null)] | length')
[ "$sup" -gt 0 ] && [ "$shown" -gt 0 ] || fail "expected some weeks suppressed and some shown: $sup, $shown"
# Dashboard: observability suppressed, search shown, trend weeks marked.
ok --as E024 dashboard --json
expect_json '.teams[] | select(.team == "observability") | .keys.lead_time.suppressed' true
expect_json '.teams[] | select(.team == "observability") | .keys.lead_time.value' null
expect_json '.teams[] | select(.team == "observability") | [.keys.lead_time.trend[] | .suppressed] | all' true
expect_json '.teams[] | select(.team == "search") | .keys.lead_time.suppressed' null
ok dashboard --json
expect_json '.teams[] | select(.team == "observability") | .keys.lead_time.suppressed' null
# The minimum comes from the policy: at 2, identity (two people with events) is shown.
ok --as E024 dora --team identity --json
expect_json '.keys.deployment_frequency.value.suppressed' true
sed "s/min_aggregate_people: 5/min_aggregate_people: 2/" "$ROOT/examples/policy.yaml" >"$T/policy.yaml" ||
	fail "no example policy"
grep -q "min_aggregate_people: 2" "$T/policy.yaml" || fail "the example policy has no min_aggregate_people: 5"
ok policy import "$T/policy.yaml"
ok --as E024 dora --team identity --json
expect_json '.keys.deployment_frequency.value.suppressed' null
[ "$(json '.keys.deployment_frequency.value.value')" != null ] || fail "still suppressed at a minimum of 2"
ok audit verify
