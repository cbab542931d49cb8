# slo ingest loads CSV (time,good,total; time,value) and Prometheus query_range JSON (one
# query per file, --series), upserts by (SLO, time), audits, and names file and line or
# JSON path in its errors, writing nothing then.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
file ratio.csv <<'CSV'
time,good,total
2026-02-28T23:58:00Z,800,1000
2026-02-28T20:00:00Z,1000,1000
1771545600,98000,98000
CSV
ok slo ingest --slo api-availability ratio.csv --json
expect_json '"\(.format) \(.samples) \(.inserted) \(.updated) \(.first) \(.last)"' \
	"csv 3 3 0 2026-02-20T00:00:00.000Z 2026-02-28T23:58:00.000Z"
[ "$(sql "SELECT at, good, total FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at LIMIT 1")" = "1771545600000|98000.0|98000.0" ] ||
	[ "$(sql "SELECT at, good, total FROM sli_samples WHERE slo_name = 'api-availability' ORDER BY at LIMIT 1")" = "1771545600000|98000|98000" ] ||
	fail "sample stored wrong: $(sql "SELECT * FROM sli_samples")"
# The same file again: nothing new, nothing audited.
n=$(sql "SELECT COUNT(*) FROM audit_log")
ok slo ingest --slo api-availability ratio.csv
expect_out "3 samples for api-availability from ratio.csv (csv): 0 new, 0 updated, 3 unchanged"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$n" ] || fail "an unchanged ingest was audited"
# Prometheus: good and total from two files; several series are summed per time.
ok slo ingest --slo api-availability --series good "$FIXTURES/slo/good.json"
expect_out "2 samples for api-availability"
expect_out "2 new, 0 updated, 0 unchanged"
ok slo ingest --slo api-availability --series total "$FIXTURES/slo/total.json" --json
expect_json '"\(.format) \(.series) \(.inserted) \(.updated)"' "prometheus total 0 2"
[ "$(sql "SELECT CAST(good AS INTEGER)||'/'||CAST(total AS INTEGER) FROM sli_samples WHERE at IN (1772319600000, 1772319660000) ORDER BY at" | tr '\n' ' ')" = "900/1000 990/1000 " ] ||
	fail "prometheus samples: $(sql "SELECT * FROM sli_samples")"
ok audit log --json
expect_json '[.[] | select(.action == "slo.ingest")] | length' 3
expect_json '[.[] | select(.action == "slo.ingest")][0].object_id' api-availability

# A threshold SLO takes time,value.
file latency.csv <<'CSV'
time,value
2026-02-28T23:51:00Z,0.2
CSV
ok slo ingest --slo api-latency latency.csv
expect_out "1 new"
# A threshold's NaN (histogram_quantile over no requests) is no measurement: skipped.
file latency-nan.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772319600,"NaN"],[1772319660,"0.25"]]}]}}
JSON
ok slo ingest --slo api-latency latency-nan.json --json
expect_json '"\(.samples) \(.inserted)"' "1 1"

# Errors: file and line (CSV) or JSON path (Prometheus); nothing stored.
before=$(sql "SELECT COUNT(*) FROM sli_samples")
file bad1.csv <<'CSV'
time,good,total
2026-02-28T10:00:00Z,5,10
2026-02-28T10:01:00Z,five,10
CSV
run slo ingest --slo api-availability bad1.csv
expect_status 1
expect_err "bad1.csv:3: column good: expected a count from 0 to 10^15, got 'five'"
expect_err "hint: nothing was stored"
file bad2.csv <<'CSV'
time,value
2026-02-28T10:00:00Z,1
CSV
run slo ingest --slo api-availability bad2.csv
expect_status 1
expect_err "bad2.csv:1: expected the header time,good,total (or time,bad,total) for a ratio SLO"
file bad3.csv <<'CSV'
time,good,total
yesterday,1,2
CSV
run slo ingest --slo api-availability bad3.csv
expect_err "bad3.csv:2: column time: expected an RFC 3339 time with its seconds and zone, or unix seconds, got 'yesterday'"
# A time without its zone is not one instant: refused, not read as UTC.
file bad3z.csv <<'CSV'
time,good,total
2026-02-28 10:00:00,1,2
CSV
run slo ingest --slo api-availability bad3z.csv
expect_status 1
expect_err "bad3z.csv:2: column time: expected an RFC 3339 time with its seconds and zone"
# A second 60 is a leap second only at 23:59:60 UTC on a month's last day, as an API
# payload's time: refused elsewhere, saying so (found hunting: the rule went unsaid).
file leap.csv <<'CSV'
time,good,total
2026-02-27T23:59:60Z,1,2
CSV
run slo ingest --slo api-availability leap.csv
expect_status 1
expect_err "detail: second 60 is a leap second only at 23:59:60 UTC on the last day of a month"
# Unix time 0 is a time never set, and a count before 1973 or past 10^11 s one in another
# unit (milliseconds): refused, not stored in 1970 or the year 5138.
for t in 0 99999999 1772319600000; do
	printf 'time,good,total\n%s,1,2\n' "$t" >epoch.csv
	run slo ingest --slo api-availability epoch.csv
	expect_status 1
	expect_err "epoch.csv:2: column time: expected an RFC 3339 time with its seconds and zone, or unix seconds, got '$t'"
	printf '{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[%s,"1"]]}]}}' "$t" >epoch.json
	run slo ingest --slo api-availability --series good epoch.json
	expect_status 1
	expect_err "epoch.json: data.result[0].values[0]: expected a time in unix seconds after 1973-03-03, got $t"
done
file bad4.csv <<'CSV'
time,good,total
2026-02-28T10:00:00Z,11,10
CSV
run slo ingest --slo api-availability bad4.csv
expect_err "bad4.csv:2: column good: expected at most total (10)"
# A row with a field the header does not name (found in an audit: it was dropped silently).
file bad5.csv <<'CSV'
time,good,total
2026-02-28T10:00:00Z,5,10
2026-02-28T10:01:00Z,5,10,7
CSV
run slo ingest --slo api-availability bad5.csv
expect_status 1
expect_err "bad5.csv:3: expected 3 fields, as the header names, got 4"
file bad.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772319600,"1"],[1772319660,"x"]]}]}}
JSON
run slo ingest --slo api-availability --series good bad.json
expect_status 1
expect_err "bad.json: data.result[0].values[1]: expected a number as text, got 'x'"
# A value as Prometheus writes it, a decimal: strtod read hex ("0x10" stored as 16) and a
# leading blank, which the CSV's columns and the YAML's numbers refuse.
for v in 0x10 ' 5'; do
	sed "s/\"x\"/\"$v\"/" bad.json >hex.json
	run slo ingest --slo api-availability --series good hex.json
	expect_status 1
	expect_err "hex.json: data.result[0].values[1]: expected a number as text, got '$v'"
done
# A count is never NaN or infinite: skipped, a good NaN read as no good event (an outage)
# and one series' NaN left the rest summed alone.
file nan.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"code":"200"},"values":[[1772319600,"5"]]},
 {"metric":{"code":"302"},"values":[[1772319600,"NaN"]]}]}}
JSON
run slo ingest --slo api-availability --series good nan.json
expect_status 1
expect_err "nan.json: data.result[1].values[0]: 'NaN': expected a count of events; a count query gives no NaN or infinity"
sed 's/"NaN"/"+Inf"/' nan.json >inf.json
run slo ingest --slo api-availability --series total inf.json
expect_status 1
expect_err "inf.json: data.result[1].values[0]: '+Inf': expected a count of events"
# A count below 0 (found in review: the CSV refused it, the JSON stored it), and text after
# the document.
file negative.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772319600,"-5"]]}]}}
JSON
run slo ingest --slo api-availability --series good negative.json
expect_status 1
expect_err "negative.json: data.result[0].values[0]: '-5': expected a count of events, 0 to 10^15"
# Counts past 10^15 (found in review: two series of 1e308 summed to Inf, stored, and slo
# status printed -nan%).
file huge.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"1"},"values":[[1772319600,"1e308"]]},{"metric":{"a":"2"},"values":[[1772319600,"1e308"]]}]}}
JSON
n0=$(sql "SELECT COUNT(*) FROM sli_samples")
run slo ingest --slo api-availability --series good huge.json
expect_status 1
expect_err "huge.json: data.result[0].values[0]: '1e308': expected a count of events, 0 to 10^15"
[ "$(sql "SELECT COUNT(*) FROM sli_samples")" = "$n0" ] || fail "a refused file stored samples"
file tiny.csv <<'CSV'
time,value
2026-02-28T10:00:00Z,1e-400
CSV
run slo ingest --slo api-latency tiny.csv
expect_status 1
expect_err "tiny.csv:2: column value: '1e-400' is out of range: nonzero but too close to 0 for a double to hold (write 0 for zero)"
file huge.csv <<'CSV'
time,good,total
2026-02-28T10:00:00Z,5,99999999999999999999999
CSV
run slo ingest --slo api-availability huge.csv
expect_status 1
expect_err "huge.csv:2: column total: expected a count from 0 to 10^15, got '99999999999999999999999'"
file trailing.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1772319600,"5"]]}]}}
garbage
JSON
run slo ingest --slo api-availability --series good trailing.json
expect_status 1
expect_err "trailing.json:2:1: text after the JSON document"
# A time twice within one series is refused (the series of a result are still added up).
file repeat.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"code":"200"},"values":[[1772319600,"1"]]},
 {"metric":{"code":"500"},"values":[[1772319600,"1"],[1772319660,"2"],[1772319600,"3"]]}]}}
JSON
run slo ingest --slo api-availability --series good repeat.json
expect_status 1
expect_err "repeat.json: data.result[1].values[2]: time 2026-02-28T23:00:00.000Z given twice in this series (values[0] too); expected each time once"
file vector.json <<'JSON'
{"status":"success","data":{"resultType":"vector","result":[]}}
JSON
run slo ingest --slo api-availability --series good vector.json
expect_err "vector.json: data.resultType: expected matrix (a range query's result), got 'vector'"
# Native histograms, beside a series' values or instead, are refused naming the series: left
# unread, the sum per time went without them (found hunting).
file hist.json <<'JSON'
{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"api"},"values":[[1772319600,"1"]]},
 {"metric":{"__name__":"latency","job":"api"},"values":[[1772319600,"2"]],"histograms":[[1772319600,{"count":"3","sum":"1.5"}]]}]}}
JSON
run slo ingest --slo api-availability --series good hist.json
expect_status 1
expect_err 'hist.json: data.result[1].histograms: series {__name__="latency", job="api"} holds native histograms; expected numbers (values)'
run slo ingest --slo api-availability "$FIXTURES/slo/good.json"
expect_status 2
expect_err "SLO api-availability is a ratio: say which query"
run slo ingest --slo api-availability --series value "$FIXTURES/slo/good.json"
expect_status 2
expect_err "--series 'value': expected good, bad or total for SLO api-availability"
# A numerator the SLO does not define: api-availability counts good events, so a bad column
# (or series) would be stored beside a good one it means nothing to.
file badcol.csv <<'CSV'
time,bad,total
2026-02-28T23:58:00Z,1,1000
CSV
run slo ingest --slo api-availability badcol.csv
expect_status 1
expect_err "badcol.csv:1: column bad: SLO api-availability counts good events (its ratioMetric has good and total); expected the header time,good,total"
run slo ingest --slo api-availability --series bad "$FIXTURES/slo/good.json"
expect_status 2
expect_err "--series 'bad': SLO api-availability counts good events (its ratioMetric has good and total); expected good or total"
run slo ingest --slo nosuch ratio.csv
expect_status 4
expect_err "no SLO 'nosuch'"
[ "$(sql "SELECT COUNT(*) FROM sli_samples")" = "$before" ] || fail "a failed ingest stored samples"
# Good and bad are one numerator: a new version counting bad events, then a correction
# written as time,bad,total at a time that has a good, replaces the good (cleared).
sed -e 's/name: api-availability$/name: api-errors/' -e 's/^        good:$/        bad:/' \
	-e 's/code!~/code=~/' "$FIXTURES/slo/api.yaml" >errors.yaml
sed -e 's/^        bad:$/        good:/' -e 's/code=~/code!~/' errors.yaml >errors-good.yaml
ok slo import errors-good.yaml
file errors-good.csv <<'CSV'
time,good,total
2026-02-28T23:58:00Z,800,1000
CSV
ok slo ingest --slo api-errors errors-good.csv
ok slo import errors.yaml
expect_out "1 changed"
file errors-bad.csv <<'CSV'
time,bad,total
2026-02-28T23:58:00Z,10,1000
CSV
ok slo ingest --slo api-errors errors-bad.csv
expect_out "0 new, 1 updated"
[ "$(sql "SELECT COALESCE(CAST(good AS TEXT), 'null')||' '||CAST(bad AS INTEGER) FROM sli_samples WHERE slo_name = 'api-errors'")" = "null 10" ] ||
	fail "the good of a time corrected as bad was kept: $(sql "SELECT * FROM sli_samples WHERE slo_name = 'api-errors'")"
PLUMB_NOW=2026-03-01T00:00:00Z ok slo status --slo api-errors --json
expect_json '.[0] | "\(.good) \(.total)"' "990 1000"

# Not an admin.
ok user add --person Y003 --role employee
run --as Y003 slo ingest --slo api-availability ratio.csv
expect_status 3
expect_err "permission denied: slo.ingest needs the admin role"
ok audit verify
