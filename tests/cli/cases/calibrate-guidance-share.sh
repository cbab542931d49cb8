# A close outside the guidance names each range's share with the decimals that show it outside:
# 1 of 3 at rating 4 is 33.3%, above a range of 0-33% (found in the calibrate hunt: printed to
# whole percents it read "(33%), guidance 0-33%", a share inside the range it was refused for).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search --from 2024-01-01 --to 2024-07-01
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
ok cycle advance --cycle a26 # feedback
ok cycle advance --cycle a26 # manager_review
rate() {
	file "$1.yaml" <<EOF
ratings:
  technical_skill: {rating: $2, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: $2, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: $2, no_evidence_reason: observed in one-to-ones}
EOF
	ok --as M002 evaluation submit --cycle a26 --person "$1" "$T/$1.yaml"
}
rate E201 3
rate E202 4
rate E203 3
ok cycle advance --cycle a26 # calibration
ok --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --name g \
	--guidance 3=0-100 --guidance 4=0-33 --guidance 5=33.4-40 --guidance 1=0.00001-0.5
ok --as E101 calibrate session open --session g
# A small guidance share reads as given, not "1e-05" (%g).
ok --as E101 calibrate distribution --session g
expect_out " 1=0.00001-0.5%"
run --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --name h \
	--guidance 1=0.00001-10 --guidance 2=100-100
expect_status 2
expect_err "--guidance asks for at least 100.00001% in all, more than 100%"
# Percents are numbers as plumb reads them everywhere: not hex (sscanf's %lf took 0x10 as
# 16) nor with a blank; an exponent is a number (1e1 is 10).
for g in 3=0x10-70 "3= 40-70" "3=40- 70" 3=40 3= =40-70 +3=40-70 123=1-2; do
	run --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --name h \
		--guidance "$g"
	expect_status 2
	expect_err "--guidance '$g': expected RATING=LOW-HIGH"
done
run --as E101 calibrate session create --cycle a26 --population search --facilitator E101 --name h \
	--guidance 1=1e-3-1e1 --guidance 2=100-100
expect_status 2
expect_err "--guidance asks for at least 100.001% in all, more than 100%"
run --as E101 calibrate session close --session g
expect_status 3
expect_err "rating 1: 0 of 3 (0%), guidance 0.00001-0.5%"
expect_err "rating 4: 1 of 3 (33.3%), guidance 0-33%"
# A share that whole percents show outside keeps them.
expect_err "rating 5: 0 of 3 (0%), guidance 33.4-40%"
ok --as E101 calibrate session close --session g --override-reason "three people"
expect_out "rating 4: 1 of 3 (33.3%), guidance 0-33%"
