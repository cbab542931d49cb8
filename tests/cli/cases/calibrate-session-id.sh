# --session takes a session's name or its id as 'calibrate session list' prints it; " 1", "+1"
# and "01" name no session (found by a conformance hunt: strtoll took each for session 1, and
# a number past 64 bits for the largest id).
demo_db
ok --as E002 calibrate session list --json
id=$(json '.[] | select(.name == "2026-annual-calibration") | .id')
[ -n "$id" ] || fail "the demo's session is not listed"
ok --as E002 calibrate raters --session "$id" --json
expect_json '.session' "2026-annual-calibration"
for s in " $id" "+$id" "0$id" "$id " 99999999999999999999; do
	run --as E002 calibrate raters --session "$s"
	expect_status 4
	expect_err "no calibration session '$s'"
done
