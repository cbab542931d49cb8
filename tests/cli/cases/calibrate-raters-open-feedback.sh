# calibrate raters takes no 360 response of a cycle whose feedback phase is still open: the
# model would move with each response and tell when it came, while feedback show says not even
# how many there are (found in review: its counts moved by one as a peer submitted).  Once the
# phase closes the response counts.  On the demo of 40 (payments: manager E005, E009, E010).
demo_db --people 40
ok cycle create a27 --kind annual --scope payments --from 2026-11-02 --to 2026-12-04
ok --as E005 cycle nominate --cycle a27 --for E009 --reviewer E010
ok calibrate session create --cycle a27 --population payments --facilitator E005 --name cs27
ok cycle advance --cycle a27 # feedback
model() {
	ok --as E005 calibrate raters --session cs27 --json
	json '"\(.model.ratings) \(.model.raters)"'
}
before=$(model)
printf 'answers:\n  strengths: good\nratings:\n  collaboration: 5\n' >fb.yaml
ok --as E010 feedback submit --cycle a27 --for E009 fb.yaml
[ "$(model)" = "$before" ] || fail "the model moved with a response while the phase is open: $before, then $(model)"
ok cycle advance --cycle a27 # manager review: the feedback phase closed
after=$(model)
[ "${after%% *}" -gt "${before%% *}" ] || fail "the closed phase's response is not in the model: $before, then $after"
