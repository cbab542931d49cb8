# calibrate reliability reads ratings from CSV without a database: the six ICCs with
# psych::ICC's intervals on Shrout & Fleiss's (1979) Table 2 data, Krippendorff's (2011)
# alphas on his 4 observers x 12 units (incomplete, so icc is null), and each bad input's
# exit status and message.
F=$FIXTURES/calibrate

ok calibrate reliability --ratings "$F/shrout-fleiss.csv" --json
expect_json 'keys_unsorted | join(",")' "ratings,subjects,raters,pairable,icc,alpha"
expect_json '"\(.ratings) \(.subjects) \(.raters) \(.pairable)"' "24 6 4 24"
# Shrout & Fleiss (1979) Table 4; intervals as psych::ICC prints them (lower to 3 places).
r3='def r3: . * 1000 | round / 1000;'
expect_json "$r3"' [.icc[] | .value | r3] | join(" ")' "0.166 0.29 0.715 0.443 0.62 0.909"
expect_json "$r3"' [.icc[] | .lower | r3] | join(" ")' "-0.133 0.019 0.342 -0.884 0.071 0.676"
expect_json "$r3"' [.icc[] | .upper | r3] | join(" ")' "0.723 0.761 0.946 0.912 0.927 0.986"
expect_json '.icc | keys_unsorted | join(",")' "ICC1,ICC2,ICC3,ICC1k,ICC2k,ICC3k"
expect_json '.icc.ICC2 | keys_unsorted | join(",")' "value,lower,upper"
# Nothing was opened or created: the command needs no database.
[ "$(engine)" = postgres ] || [ ! -e "$PLUMB_DB" ] || fail "a database file was created"

ok calibrate reliability --ratings "$F/shrout-fleiss.csv"
expect_out "24 ratings, 6 subjects, 4 raters"
expect_out "ICC2   ICC(2,1)      0.290  [0.019, 0.761]"
expect_out "ICC3k  ICC(3,k)      0.909  [0.676, 0.986]"

# Krippendorff (2011): nominal .743, ordinal .815, interval .849, ratio .797; not every
# observer coded every unit, so no ICC.
ok calibrate reliability --ratings "$F/krippendorff-2011.csv" --json
# 41 values, one of them alone in its unit (unit 12), so 40 pairable: the paper's n = 40.
expect_json '"\(.ratings) \(.subjects) \(.raters) \(.pairable)"' "41 12 4 40"
expect_json '.icc' "null"
expect_json "$r3"' [.alpha[] | r3] | join(" ")' "0.743 0.815 0.849 0.797"
ok calibrate reliability --ratings "$F/krippendorff-2011.csv"
expect_out "intraclass correlation: none, the design is not complete (not every rater rated every subject)"
expect_out "Krippendorff's alpha (40 pairable ratings):"

# No variation: every alpha is undefined (null), as are the ICCs.
printf 'subject,rater,score\na,x,3\na,y,3\nb,x,3\nb,y,3\n' >same.csv
ok calibrate reliability --ratings same.csv --json
expect_json '[.alpha[]] | map(tostring) | join(" ")' "null null null null"
expect_json '.icc.ICC1.value' "null"

# Bad input: exit 1 (4 for a missing file), naming the file, line, field and what was expected.
run calibrate reliability --ratings "$F/empty.csv"
expect_status 1
expect_err "empty.csv: empty; expected the header subject,rater,score"
run calibrate reliability --ratings "$F/bad-header.csv"
expect_status 1
expect_err "bad-header.csv:1: expected the header subject,rater,score, got 'subject,judge,score'"
run calibrate reliability --ratings "$F/bad-number.csv"
expect_status 1
expect_err "bad-number.csv:3: column score: expected a number, got 'three'"
[ ! -s "$T/out" ] || fail "output written on error"
# What strtod also takes is not a score a person wrote (found in review: 0x10 was read as 16).
for score in 0x10 0x1p4 "  7" +7 inf; do
	printf 'subject,rater,score\ns1,a,%s\ns1,b,16\ns2,a,1\ns2,b,2\n' "$score" >odd.csv
	run calibrate reliability --ratings odd.csv
	expect_status 1
	expect_err "odd.csv:2: column score: expected a number, got '$score'"
done
printf 'subject,rater,score\ns1,a,1.6e1\ns1,b,16\ns2,a,1\ns2,b,2\n' >exp.csv
ok calibrate reliability --ratings exp.csv
# Scores whose squares overflow (ICC1k was -inf, a residual variance inf) are refused by both
# commands that read the format.
printf 'subject,rater,score\na,r1,1e308\na,r2,-1e308\nb,r1,1\nb,r2,2\n' >huge.csv
for command in reliability rater-effects; do
	run calibrate "$command" --ratings huge.csv
	expect_status 1
	expect_err "huge.csv:2: column score: expected a number from -1000000000 to 1000000000, got '1e308'"
	[ ! -s "$T/out" ] || fail "calibrate $command wrote output on error"
done
run calibrate reliability --ratings "$F/repeated.csv"
expect_status 1
expect_err "repeated.csv:5: subject 't1' and rater 'j1' again (first at line 2)"
run calibrate reliability --ratings "$F/no-such-file.csv"
expect_status 4
expect_err "cannot open $F/no-such-file.csv"
run calibrate reliability
expect_status 2
expect_err "needs --ratings FILE"

# calibrate rater-effects flags a rater only with 5 ratings of people someone else rated too,
# and says so: m9 rates a team nobody else rates (t0..t5, all 5s) and two crossed people, an
# effect as far as a flag's on 8 ratings, 2 crossed (found in the calibrate hunt: the text
# stated the rule without the crossing, and left m9 out without a word; the JSON had no
# crossed count).
{
	echo subject,rater,score
	for i in $(seq 0 11); do
		for r in 0 1 2 3; do
			[ $(((i + r) % 4)) -eq 3 ] && continue # 3 raters of the 4 each
			echo "p$i,m$r,$((2 + i % 3 + (r == 0))).$((5 * ((i * 7 + r * 3) % 2)))"
		done
	done
	for i in $(seq 0 5); do echo "t$i,m9,5"; done
	echo p0,m9,5
	echo p1,m9,5
} >crossed.csv
ok calibrate rater-effects --ratings crossed.csv --json
expect_json '.raters[] | select(.rater == "m9") | "\(.ratings) \(.crossed) \(.flagged) \(.effect >= 0.3)"' \
	"8 2 false true"
expect_json '.raters[] | select(.rater == "m1") | "\(.ratings) \(.crossed)"' "9 9"
ok calibrate rater-effects --ratings crossed.csv
expect_out "with at least 5 ratings of people someone else rated too"
expect_out "not flagged, too few of their ratings cross"
expect_out "(8 ratings, 2 of people someone else rated)"
# Subjects whose means are all equal (F = 0): every F-based interval is the point -1/(k - 1),
# which psych::ICC prints as ICC1 -0.500 [-0.500, -0.500]; plumb prints the value, no interval
# and why (found in the calibrate hunt).
printf 'subject,rater,score\n1,a,1\n1,b,2\n1,c,0\n2,a,1\n2,b,2\n2,c,0\n' >flat.csv
ok calibrate reliability --ratings flat.csv
expect_out "ICC1   ICC(1,1)     -0.500  (no interval)"
expect_out "no interval: the subjects' means are all equal (F = 0), where the F-based interval collapses to a point"
expect_no_out "[-0.500, -0.500]"
ok calibrate reliability --ratings flat.csv --json
expect_json '"\(.icc.ICC1.value) \(.icc.ICC1.lower) \(.icc.ICC1.upper)"' "-0.5 null null"
# A number out of a double's range is said to be, not "expected a number"; a single rating's
# error agrees in number (it read "1 ratings of 1 ratees by 1 raters").
printf 'subject,rater,score\na,r1,1e-400\nb,r1,1\n' >tiny.csv
for command in reliability rater-effects; do
	run calibrate "$command" --ratings tiny.csv
	expect_status 1
	expect_err "tiny.csv:2: column score: '1e-400' is out of range: nonzero but too close to 0 for a double to hold"
	[ ! -s "$T/out" ] || fail "calibrate $command wrote output on error"
done
printf 'subject,rater,score\na,r1,3\n' >single.csv
run calibrate rater-effects --ratings single.csv
expect_status 1
expect_err "detail: 1 rating of 1 ratee by 1 rater in 1 connected group leaves no residual degrees of freedom"

# A perfect fit: every score is exactly subject plus rater, fractional (the residual variance
# is rounding, about 1e-23). The effects are the raters' levels less their mean and each sd the
# limit as the residual variance goes to 0, 1 / sqrt(6/ta2 + 4/tb2) here (docs/calibration.md);
# r1, 0.45 above the raters' mean on 5 crossed ratings, is flagged.
# Found in the calibrate hunt: every effect was about +1,260,552, flagged lenient, each sd
# 0.00014 (rounding of a singular matrix; NaN, null in JSON, when it would not factor).
{
	echo subject,rater,score
	subject=(0 0.3333333333333333 0.6666666666666666 0.1 0.7 1.3)
	rater=(3.1 3.7 2.9 3.3)
	for i in 0 1 2 3 4 5; do
		for j in 0 1 2 3; do
			[ $(((i + 2 * j) % 4)) -eq 0 ] && continue
			echo "s$i,r$j,$(awk -v a="${subject[$i]}" -v b="${rater[$j]}" 'BEGIN { printf "%.17g", a + b }')"
		done
	done
} >perfect.csv
ok calibrate rater-effects --ratings perfect.csv --json
expect_json '[.raters[] | "\(.rater) \(.effect * 1e6 | round) \(.flagged)"] | sort | join(",")' \
	"r0 -150000 false,r1 450000 true,r2 -350000 false,r3 50000 false"
expect_json '[.raters[] | .sd * 1e6 | round] | unique | join(",")' \
	"$(jq -rn --argjson ta "$(json .ratee_variance)" --argjson tb "$(json .rater_variance)" \
		'1 / (6 / $ta + 4 / $tb) | sqrt * 1e6 | round')"

# A value that rounds to zero from below prints 0.000, as calibrate agreement prints it: one
# rule (found fixing calibration leftovers: ratio alpha -0.0002 printed "-0.000" here).
# The JSON keeps the value.
cat >tiny.csv <<EOF
subject,rater,score
s0,r0,30
s0,r1,16
s0,r2,21
s1,r0,18
s1,r1,12
s1,r2,30
s2,r0,6
s2,r1,17
s2,r2,4
s3,r0,22
s3,r1,28
s3,r2,2
s4,r0,5
s4,r1,22
s4,r2,13
EOF
ok calibrate reliability --ratings tiny.csv --json
expect_json '.alpha.ratio * 1e6 | round' -201
ok calibrate reliability --ratings tiny.csv
expect_out "  ratio     0.000"
expect_no_out "-0.000"
