# A changed rating is written by the rule the rest of the agenda uses (calsession_rating_text,
# score_reported_text): two decimals, with more only where two would put it on another side
# of one of its scale's points, in the CLI's agenda and change log and on the session's page
# alike (docs/cli.md, calibrate session status).  Found in the calibrate hunt: the CLI wrote
# them with %g ("~~4~~ 3") and the page its own way, beside axis scores of "4.00".
sqlite_only "the page is a face over the service, whose SQL runs on PostgreSQL in the calibrate-* cases"
demo_db
ok --as E002 calibrate session status --session 2026-annual-calibration
expect_out "    delivery: ~~4.00~~ 3.00"
expect_out "    delivery: ~~2.00~~ 3.00"
expect_out " E018 delivery: 4.00 -> 3.00 by E002: "
expect_no_out "~~4~~"
printf 'a long enough password\n' >"$T/pw"
ok user passwd E002 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E002&password=a+long+enough+password"
expect_http 303
http GET /calibration/2026-annual-calibration -b "$jar"
expect_http 200
grep -qF 'Delivery <s>4.00</s> 3.00' "$T/out" || fail "the agenda's changed rating: $(grep -o '.\{40\}<s>.\{0,40\}' "$T/out" | head -3)"
grep -qF '<td>delivery</td><td><s>4.00</s> 3.00</td>' "$T/out" ||
	fail "the change log's rating: $(grep -o '<td>delivery</td>.\{0,60\}' "$T/out" | head -3)"
stop_server
