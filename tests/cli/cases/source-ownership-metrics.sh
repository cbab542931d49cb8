# Data ownership reaches individual metrics (found in review: a manager read, through
# metrics show --person and explain, the count and the list of a report's pull requests from a
# source whose owner had not shared it, while events list left the person out). A value about
# one person is refused (exit 3, access.denied, nothing stored) when a source bringing the kind
# it counts is not shared with the reader: on the CLI and over the API, for a value another
# user stored, and alike whether the person has events there or not. A source of other kinds
# does not matter; the person themselves, an admin and, once shared, the reader may.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets --owner search
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101 # payments: pull request 101
ok source add pagerduty --name pd --owner search # not shared with payments either
ok ingest --source pd "$FIXTURES/pagerduty"
ok user add --person M001 --role manager # E101's and E102's manager, in payments
ok user add --person E101 --role employee
file prs.yaml <<'EOF'
key: prs_authored
name: Pull requests authored
description: Pull requests a person opened; bots left out.
unit: pull requests
direction: higher
indicator: leading
stages: [growth, mature]
scopes: [individual, team]
audiences: [individual, team]
stakeholders: [development]
owner: developer-experience
objectives: [quality]
review_interval_days: 180
incentive_linked: false
formula:
  count: pull_request
  where:
    is_bot: false
EOF
sed -e 's/prs_authored/incidents_handled/' -e 's/count: pull_request/count: incident/' prs.yaml >incidents.yaml
for f in prs.yaml incidents.yaml; do ok metrics define "$f"; done
for k in prs_authored incidents_handled; do ok metrics approve "$k" --version 1 --function development; done
period="--from 2024-01-01 --to 2024-07-01"

# events list leaves E101 out of their pull request for M001: search has not shared gh.
ok --as M001 events list --kind pull_request --json
expect_json '[.[] | select(.external_id == "acme/widgets#101") | .person] | join(",")' ""

# The admin's value, stored: E101 opened one pull request.
ok metrics show prs_authored --person E101 $period --json
expect_json .value.value 1
id=$(json .value.id | sed 's/^metric-value://')

values=$(sql "SELECT COUNT(*) FROM metric_values")
denied() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor = 'M001'"; }
run --as M001 metrics show prs_authored --person E101 $period
expect_status 3
expect_err "permission denied: E101's prs_authored counts the pull_request events of source gh, whose owner does not share who did what with you"
expect_err "plumb source share gh --with TEAM"
[ ! -s "$T/out" ] || fail "the refusal printed a value: $(cat "$T/out")"
[ "$(denied)" = 1 ] || fail "the refusal was not audited as access.denied"
cp "$T/err" e101.err
# E102 opened none: the same answer, so the refusal tells nothing of the person's events.
run --as M001 metrics show prs_authored --person E102 $period
expect_status 3
sed 's/E102/E101/g' "$T/err" | cmp -s - e101.err || fail "E102 is answered apart from E101: $(cat "$T/err")"
[ "$(sql "SELECT COUNT(*) FROM metric_values")" = "$values" ] || fail "a refused computation stored values"

# The admin's stored value is not explained to M001 either, and reads as an id that holds no
# value: naming the source said the value existed and what it counted (found in fix-govern3).
run --as M001 explain "metric-value:$id"
expect_status 3
expect_err "permission denied: metric value $id is outside your scope"
grep -q "101" "$T/out" && fail "the refusal listed the pull request"
[ "$(denied)" = 3 ] || fail "the explain refusal was not audited"
sed "s/metric value $id /metric value ID /" "$T/err" >refused.err
none=$((id + 1000))
run --as M001 explain "metric-value:$none"
expect_status 3
sed "s/metric value $none /metric value ID /" "$T/err" | cmp -s - refused.err ||
	fail "a refused value reads apart from an unknown id: $(cat refused.err)"

# E101 reads their own.
ok --as E101 metrics show prs_authored --person E101 $period --json
expect_json .value.value 1
ok --as E101 explain "metric-value:$id" --json
expect_json '[.inputs[].external_id] | join(",")' "acme/widgets#101"

# Over the API, the same refusals.
serve
tok=$(token M001 write)
http POST /api/v1/metrics/prs_authored/values -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/json' -d '{"person":"E101","from":"2024-01-01","to":"2024-07-01"}'
expect_http 403
expect_json '.error.message | startswith("permission denied: E101'"'"'s prs_authored counts")' true
http GET "/api/v1/explain/metric-value:$id" -H "Authorization: Bearer $tok"
expect_http 403
stop_server

# gh shared with payments, M001 may: pd, which brings no pull requests, does not matter; it
# does for a count of incidents.
ok source share gh --with payments
ok --as M001 metrics show prs_authored --person E101 $period --json
expect_json .value.value 1
ok --as M001 explain "metric-value:$id" --json
expect_json '[.inputs[].external_id] | join(",")' "acme/widgets#101"
run --as M001 metrics show incidents_handled --person E101 $period
expect_status 3
expect_err "permission denied: E101's incidents_handled counts the incident events of source pd,"
ok audit verify
