# calibrate raters|distribution|ninebox|curve|agreement on the demo's closed calibration
# session: the flagged raters are the demo's planted lenient and severe managers, and the
# suggested scores are the originals less the rater's effect (never applied); the planted
# managers' distributions differ from the rest; the 9-box places everyone once, by the stated
# bins; a curve over 120 people is proposed, audited and changes nothing, and is refused where
# a policy forbids forced ranking; the 360 ratings' alpha; who may not look.
# The views' SQL runs on PostgreSQL in calibrate-session and calibrate-curve-guardrail; this
# case's cost is the demo, so it runs once.
sqlite_only "the views over the demo (their SQL is covered on PostgreSQL by the smaller cases)"
demo_db
cp "$T/out" "$T/demo.out"
demo_line() { grep -F -- "$1" "$T/demo.out"; }
# "NAME calibration of 2026-annual, facilitated by USER: ..."
cal_line=$(demo_line " calibration of 2026-annual, facilitated by ")
S=$(echo "$cal_line" | awk '{print $1}')
F=$(echo "$cal_line" | sed 's/.*facilitated by \([A-Z0-9]*\):.*/\1/')
[ -n "$S" ] && [ -n "$F" ] || fail "the demo names no calibration session"
raters_line=$(demo_line "lenient managers: ")
lenient=$(echo "$raters_line" | sed 's/.*lenient managers: \([^;]*\);.*/\1/' | tr -d ',')
severe=$(echo "$raters_line" | sed 's/.*severe managers: \([^(]*\) (.*/\1/' | tr -d ',')
[ -n "$lenient" ] && [ -n "$severe" ] || fail "the demo names no lenient or severe managers"
# sorted IDS...: the ids, sorted, on one line.
sorted() { echo "$@" | tr ' ' '\n' | grep . | sort | tr '\n' ' ' | sed 's/ $//'; }

ok --as "$F" calibrate session status --session "$S" --json
cp "$T/out" "$T/status.json"
expect_json .status closed
npeople=$(json '.agenda | length')
rated=$(json '[.agenda[] | select(.performance_rating != null)] | length')
[ "$npeople" -ge 100 ] && [ "$rated" -ge 100 ] || fail "the session has $npeople people, $rated rated"

# ---- raters ----
ok --as "$F" calibrate raters --session "$S" --json
cp "$T/out" "$T/raters.json"
expect_json .model.rater_identifiable true
expect_json '.model.ratings > 0' true
[ "$(json '[.raters[] | select(.flagged) | .rater] | sort | join(" ")')" = "$(sorted $lenient $severe)" ] ||
	fail "flagged raters $(json '[.raters[] | select(.flagged) | .rater] | join(" ")'), planted: $lenient; $severe"
for e in $lenient; do
	expect_json ".raters[] | select(.rater == \"$e\") | \"\(.direction) \(.effect >= 0.3)\"" "lenient true"
done
for e in $severe; do
	expect_json ".raters[] | select(.rater == \"$e\") | \"\(.direction) \(.effect <= -0.3)\"" "severe true"
done
expect_json '[.raters[] | select(.flagged | not) | .effect | select(. >= 0.3 or . <= -0.3)] | length' 0
expect_json '[.raters[] | select(.flagged | not)] | length > 0' true
# A flag needs 5 ratings of people someone else rated too, which each row counts.
expect_json '[.raters[] | select(.crossed == null or .crossed > .ratings or (.flagged and .crossed < 5))] | length' 0
# The suggestion is the performance score less the rater's effect, for everyone the model
# has a rater for; nobody else gets one.
expect_json '.people | length' "$npeople"
expect_json '(.raters | map({(.rater): .effect}) | add) as $e | [.people[] | select(.suggested_adjusted != null)
  | .performance - $e[.rated_by] - .suggested_adjusted | select(. > 1e-9 or . < -1e-9)] | length' 0
expect_json '(.raters | map({(.rater): .effect}) | add) as $e | [.people[] | select((.suggested_adjusted == null)
  != (.performance == null or $e[.rated_by] == null))] | length' 0
# ... and a few by hand: the first person of each planted manager.
for e in $lenient $severe; do
	p=$(json "[.people[] | select(.rated_by == \"$e\" and .performance != null)][0].person")
	perf=$(json ".people[] | select(.person == \"$p\") | .performance")
	eff=$(json ".raters[] | select(.rater == \"$e\") | .effect")
	adj=$(json ".people[] | select(.person == \"$p\") | .suggested_adjusted")
	awk -v p="$perf" -v e="$eff" -v a="$adj" 'BEGIN { d = p - e - a; exit !(d < 1e-9 && d > -1e-9) }' ||
		fail "$p rated by $e: performance $perf, effect $eff, suggested $adj"
done
# Nothing applied: the session's scores are unchanged by reading the view.
ok --as "$F" calibrate session status --session "$S" --json
expect_json '[.agenda[] | {(.person): .scores.performance}] | add' \
	"$(jq -r '[.agenda[] | {(.person): .scores.performance}] | add' "$T/status.json")"
ok --as "$F" calibrate raters --session "$S"
expect_out "never applied"
for e in $lenient; do expect_out "rated by $e"; done

# ---- distribution ----
ok --as "$F" calibrate distribution --session "$S" --json
cp "$T/out" "$T/dist.json"
expect_json .by manager
expect_json .people "$rated"
expect_json '[.groups[].people] | add' "$rated"
expect_json '[.population[]] | add' "$rated"
expect_json '. as $d | [.population | keys[] | . as $k | select(([$d.groups[].counts[$k]] | add) != $d.population[$k])] | length' 0
expect_json '[.groups[] | select(([.counts[]] | add) != .people)] | length' 0
expect_json '[.groups[] | select(.p != null and ((.p < 0.05) != .differs))] | length' 0
# The most lenient and the most severe of the planted managers differ from the rest.
most_lenient=$(jq -r --arg ids "$lenient" '[.raters[] | select(.rater | IN($ids | split(" ")[]))] | max_by(.effect) | .rater' "$T/raters.json")
most_severe=$(jq -r --arg ids "$severe" '[.raters[] | select(.rater | IN($ids | split(" ")[]))] | min_by(.effect) | .rater' "$T/raters.json")
for e in "$most_lenient" "$most_severe"; do
	expect_json ".groups[] | select(.group == \"$e\") | \"\(.p < 0.05) \(.differs) \(.test)\"" "true true Fisher-Freeman-Halton"
done
expect_json "[.groups[] | select(.differs and (.group | IN(\"${lenient// /\",\"}\")))] | length > 0" true
expect_json "[.groups[] | select(.differs and (.group | IN(\"${severe// /\",\"}\")))] | length > 0" true
# The lenient managers' mean is above everyone's, the severe ones' below.
expect_json ".groups[] | select(.group == \"$most_lenient\") | .mean > $(json .mean)" true
expect_json ".groups[] | select(.group == \"$most_severe\") | .mean < $(json .mean)" true
for by in team profile level; do
	ok --as "$F" calibrate distribution --session "$S" --by "$by" --json
	expect_json .by "$by"
	expect_json .people "$rated"
	expect_json '[.groups[].people] | add' "$rated"
	expect_json '.groups | length > 1' true
	expect_json '. as $d | [.population | keys[] | . as $k | select(([$d.groups[].counts[$k]] | add) != $d.population[$k])] | length' 0
done
ok --as "$F" calibrate distribution --session "$S" --by team
expect_out "performance ratings in $S by team: $rated people"
run --as "$F" calibrate distribution --session "$S" --by nosuch
expect_status 2
expect_err "--by 'nosuch': expected manager, team, profile or level"

# ---- 9-box ----
ok --as "$F" calibrate ninebox --session "$S" --json
cp "$T/out" "$T/ninebox.json"
expect_json '.boxes | length' 9
expect_json '[.boxes[] | "\(.performance)/\(.potential)"] | unique | length' 9
expect_json '[.boxes[] | select(.count != (.people | length))] | length' 0
expect_json '([.boxes[].count] | add) + (.unplaced | length)' "$npeople"
expect_json '[.boxes[].people[], .unplaced[]] | length == (unique | length)' true
expect_json '.high_from - .moderate_from' 1
[ "$(json '[.boxes[].people[], .unplaced[]] | sort | join(" ")')" = \
	"$(jq -r '[.agenda[].person] | sort | join(" ")' "$T/status.json")" ] || fail "the 9-box does not hold the session's people"
# Each box agrees with the person's scores in the session status: low below moderate_from,
# high from high_from; unplaced only without a performance or potential score.
jq -r --slurpfile st "$T/status.json" '
  .moderate_from as $m | .high_from as $h
  | def bin: if . >= $h then "high" elif . >= $m then "moderate" else "low" end;
  ([.boxes[] | . as $b | .people[] | {(.): "\($b.performance)/\($b.potential)"}] | add) as $box
  | (.unplaced) as $un
  | $st[0].agenda[]
  | .person as $p | .scores as $s
  | if ($s.performance == null or $s.potential == null) then
      (if ($un | index($p)) == null then "\($p) has no score but is placed" else empty end)
    elif $box[$p] != "\($s.performance | bin)/\($s.potential | bin)" then
      "\($p) performance \($s.performance) potential \($s.potential) is in \($box[$p])"
    else empty end' "$T/ninebox.json" >"$T/misplaced" || fail "could not compare the 9-box"
[ ! -s "$T/misplaced" ] || fail "misplaced: $(head -3 "$T/misplaced")"
# The bins are exercised: people in the low, moderate and high rows and columns.
expect_json '[.boxes[] | select(.count > 0) | .performance] | unique | join(",")' "high,low,moderate"
expect_json '[.boxes[] | select(.count > 0) | .potential] | unique | join(",")' "high,low,moderate"
ok --as "$F" calibrate ninebox --session "$S"
expect_out "9-box of $S: performance (rows) against potential (columns); low below"

# ---- agreement ----
ok --as "$F" calibrate agreement --session "$S" --json
expect_json .withheld false
expect_json '.alpha | keys | join(",")' "interval,nominal,ordinal,ratio"
expect_json '[.alpha[] | select(type == "number" and . >= -1 and . <= 1)] | length' 4
expect_json '.raters >= 3' true
expect_json '.ratings > 0 and .units > 0' true
ok --as "$F" calibrate agreement --session "$S"
expect_out "Krippendorff's alpha: nominal "

# ---- who may not look: an employee who takes no part, an admin without a people role ----
ok user add --person E050 --role admin
ok user list --json
for who in E030 E050; do
	[ "$(jq -r ".[] | select(.user == \"$who\") | .roles | map(select(test(\"^(manager|leader|people-partner)\"))) | length" "$T/out")" = 0 ] ||
		fail "$who has a people role"
done
[ "$(jq -r --arg w "E030 E050" '.participants | map(select(IN($w | split(" ")[]))) | length' "$T/status.json")" = 0 ] ||
	fail "E030 or E050 takes part in the session"
curves=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve'")
for who in E030 E050 ""; do
	for view in raters distribution ninebox curve agreement; do
		run ${who:+--as "$who"} calibrate "$view" --session "$S" --json
		expect_status 3
		expect_err "may not read calibration session '$S'"
		[ ! -s "$T/out" ] || fail "a refused $view wrote output"
	done
done
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve'")" = "$curves" ] ||
	fail "a refused curve was audited as proposed"

# ---- curve: 120 people, allowed; a proposal, audited, nothing changed ----
evals() { sql "SELECT COUNT(*) || ' ' || (SELECT COUNT(*) FROM evaluation_ratings) || ' ' || (SELECT SUM(rating) FROM evaluation_ratings) FROM evaluations"; }
before=$(evals)
[ "$curves" = 0 ] || fail "curve audited before any was proposed"
ok --as "$F" calibrate curve --session "$S" --json
cp "$T/out" "$T/curve.json"
expect_json '.people | length' "$rated"
expect_json '.moves' "$(json '[.people[] | select(.curve != .current)] | length')"
# Highest score first, and nobody with a lower score above someone with a higher one.
expect_json '[.people[].score] == ([.people[].score] | sort | reverse)' true
expect_json '[.people[].curve] == ([.people[].curve] | sort | reverse)' true
# Equal scores share a rating: a tie never splits on an employee id.
expect_json '[.people | group_by(.score)[] | map(.curve) | unique | length] | max' 1
# Each rating gets the guidance's midpoint share of the people, rounded either way, give or
# take the largest tie group (kept together, so it may spill over a boundary).
tie=$(json '[.people | group_by(.score)[] | length] | max')
jq -r --slurpfile d "$T/dist.json" --argjson tie "$tie" '
  ($d[0].guidance | map((.lo + .hi) / 2) | add) as $sum | (.people | length) as $n | . as $c
  | $d[0].guidance[] | ((.lo + .hi) / 2 * $n / $sum) as $want | .rating as $r
  | ([$c.people[] | select(.curve == $r)] | length) as $got
  | select($got < ($want | floor) - $tie or $got > ($want | ceil) + $tie)
  | "rating \($r): \($got), want \($want)"' \
	"$T/curve.json" >"$T/offcurve"
[ ! -s "$T/offcurve" ] || fail "curve off its guidance: $(cat "$T/offcurve")"
[ "$(evals)" = "$before" ] || fail "the curve changed evaluations: was $before, now $(evals)"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve' AND actor = '$F'")" = 1 ] ||
	fail "the curve is not audited once under $F"
sql "SELECT detail FROM audit_log WHERE action = 'calibrate.curve'" >"$T/detail"
jq -e --arg s "$S" --argjson n "$rated" '.session == $s and .people == $n' "$T/detail" >/dev/null ||
	fail "calibrate.curve detail: $(cat "$T/detail")"
ok --as "$F" calibrate curve --session "$S"
expect_out "forced curve over $S: $rated people"
expect_out "(a proposal: no rating changed)"
[ "$(evals)" = "$before" ] || fail "the curve changed evaluations"
ok --as "$F" calibrate session status --session "$S" --json
expect_json '[.agenda[] | {(.person): .performance_rating}] | add' \
	"$(jq -r '[.agenda[] | {(.person): .performance_rating}] | add' "$T/status.json")"

# ---- curve: refused where a policy forbids forced ranking ----
policy() {
	file "$1.yaml" <<EOF
name: $1
forced_ranking: allowed
mechanisms: []
retention:
  events: {days: 0, action: delete}
countries:
  $2:
    forced_ranking: forbidden
EOF
	ok policy import "$T/$1.yaml"
}
country=$(sql "SELECT p.country FROM people p WHERE p.employee_id = '$(json '.agenda[-1].person')'")
[ -n "$country" ] || fail "no country for a session member"
[ "$(sql "SELECT COUNT(*) FROM people WHERE country = 'JP'")" = 0 ] || fail "somebody works in JP"
policy elsewhere JP # nobody in the session works there
ok --as "$F" calibrate curve --session "$S" --json
expect_json '.people | length' "$rated"
policy here "$country"
curves=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve'")
run --as "$F" calibrate curve --session "$S" --json
expect_status 3
expect_err "forced-ranking-forbidden"
expect_err "$country"
[ ! -s "$T/out" ] || fail "a refused curve wrote output"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.curve'")" = "$curves" ] || fail "a refused curve was audited"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'policy.refused' AND object_id = 'forced-ranking-forbidden'")" -ge 1 ] ||
	fail "the refusal is not audited as policy.refused on rule:forced-ranking-forbidden"
[ "$(evals)" = "$before" ] || fail "a refused curve changed evaluations"
# The other views are not forced ranking and stay readable.
ok --as "$F" calibrate distribution --session "$S" --json
ok --as "$F" calibrate ninebox --session "$S" --json
ok audit verify
