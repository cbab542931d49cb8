# Retention and metric evidence: a metric value an evaluation cites is part of the evaluation
# and follows the evaluations rule, not metric_values': kept while a version cites it, so the
# promotion packet and the evaluation's explain link still find it (found hunting: deleted
# under metric_values' rule, the packet failed with "no metric value 1"); once the
# evaluation is deleted, the next apply deletes the value.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github bob --person E201 # bob wrote reviews 2001 (2024-03-01) and 2003 (03-02)
for m in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$m.yaml"; done
for k in reviews_given prs_merged; do ok metrics approve "$k" --version 1 --function development; done
ok framework import "$ROOT/examples/framework.yaml" # its evidence metrics: reviews_given, prs_merged
ok cycle create annual-2024 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
file good.yaml <<EOF
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: metric, ref: reviews_given}
  delivery: {rating: 3, no_evidence_reason: "no delivery this period"}
  collaboration: {rating: 3, no_evidence_reason: "observed in one-to-ones"}
  mentoring: {rating: 3, no_evidence_reason: "observed in one-to-ones"}
  operational_excellence: {rating: 3, no_evidence_reason: "observed in one-to-ones"}
  leadership: {rating: 3, no_evidence_reason: "observed in one-to-ones"}
EOF
ok --as M002 evaluation submit --cycle annual-2024 --person E201 good.yaml --json
value_id=$(sql "SELECT metric_value_id FROM evaluation_evidence WHERE kind = 'metric'")
[ -n "$value_id" ] || fail "no metric value cited"
# Metric values are kept 100 days: the cited one (period ended 2024-07-01) is past it.
sed 's/metric_values: {days: 1825, action: delete}/metric_values: {days: 100, action: delete}/' \
	"$ROOT/examples/policy.yaml" >pol.yaml
grep -q "metric_values: {days: 100" pol.yaml || fail "policy edit"
ok policy import pol.yaml
ok retention plan --json
expect_json '[.lines[] | select(.category == "metric_values" and .country == "IN")][0].due' 0
ok retention apply
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE id = $value_id")" = 1 ] || fail "the cited value was deleted"
ok --as M002 packet --cycle annual-2024 --person E201 --target-level L5
expect_out "explain metric-value:$value_id"
ok --as M002 explain "metric-value:$value_id" --json
expect_json '.value.value' 2

# Evaluations kept 100 days too, 101 days on: the evaluation goes with its evidence, and the
# value, cited no more, with the same apply's next run.
sed 's/evaluations: {days: 2555, action: delete}/evaluations: {days: 100, action: delete}/' pol.yaml >pol2.yaml
ok policy import pol2.yaml
close_cycle annual-2024 # retention leaves an open cycle's evaluations
LATER=$(date -u -d "@$(($(date -u +%s) + 101 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "the evaluation was kept"
PLUMB_NOW="$LATER" ok retention apply --as-of "$LATER"
[ "$(sql "SELECT COUNT(*) FROM metric_values WHERE id = $value_id")" = 0 ] || fail "the value, cited no more, was kept"
ok audit verify
