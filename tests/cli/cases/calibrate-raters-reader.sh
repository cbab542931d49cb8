# A reader in a calibration session's population is not shown their own row, and the rater
# table's model is fitted without the ratings about them (docs/calibration.md: every view of
# theirs "counts the others only"). Found in review: the model took in the rating the reader
# was given, and its figures moved with it, so two ratings of the reader could be told apart.
demo_db
ok cycle create t --kind annual --scope identity --from 2026-11-02 --to 2026-12-01
ok cycle advance --cycle t
ok cycle advance --cycle t
# E003 manages E009, who manages E080 and E116: the population is those three.
for e in E009 E080 E116; do
	mgr=E009
	[ "$e" = E009 ] && mgr=E003
	echo 'ratings:' >"$T/ev.yaml"
	for c in technical_skill delivery collaboration operational_excellence leadership mentoring; do
		echo "  $c: {rating: 3, evidence: [{kind: link, ref: \"https://x.example/$c\"}]}" >>"$T/ev.yaml"
	done
	echo 'case: "ok"' >>"$T/ev.yaml"
	ok --as "$mgr" evaluation submit --cycle t --person "$e" "$T/ev.yaml"
done
ok cycle advance --cycle t
ok calibrate session create --cycle t --population identity --facilitator E003 --participants E003,E009 --name s
ok --as E003 calibrate raters --session s --json
expect_json .reader_excluded false
whole=$(json .model.ratings)
[ "$whole" -gt 3 ] || fail "the model has too few ratings to tell: $whole"
ok --as E009 calibrate raters --session s --json
expect_json .reader_excluded true
expect_json .model.ratings $((whole - 1))
ok --as E009 calibrate raters --session s
expect_out "$((whole - 1)) ratings of"
expect_out "you are not shown"
