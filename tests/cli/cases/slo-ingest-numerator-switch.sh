# A new version of a ratio SLO counts bad events where it counted good ones; a file of its bad
# events stored after that does not cover every time a file of good events did. A row left with
# the old good count only is no bad event counted: read as the numerator, status took the old
# 800 good of 1000 at 23:01 for the new SLO, where none was bad.
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
export PLUMB_NOW=2026-02-28T23:05:00Z
printf 'time,good,total\n2026-02-28T23:00:00Z,900,1000\n2026-02-28T23:01:00Z,800,1000\n' >"$T/good.csv"
ok slo ingest --slo api-availability "$T/good.csv"
sed -e 's/^        good:$/        bad:/' -e 's/code!~"5\.\."/code=~"5.."/' "$FIXTURES/slo/api.yaml" >"$T/api-bad.yaml"
grep -q '^        bad:$' "$T/api-bad.yaml" || fail "the SLO file was not changed"
ok slo import "$T/api-bad.yaml"
printf 'time,bad,total\n2026-02-28T23:00:00Z,10,1000\n' >"$T/bad.csv"
ok slo ingest --slo api-availability "$T/bad.csv"
# 10 bad of 2000: none at 23:01.
ok slo status --slo api-availability --json
expect_json '.[0] | "\(.good) \(.total)"' "1990 2000"
ok audit verify
