# A peer who leaves without writing frees their place (found in review: M001 named three
# peers, the framework's maximum, one left before writing, and nobody could be named in their
# stead: nominate refused at the maximum, and status did not say E102 was short): the place is
# free for another peer, and status counts E102 short until one is named, while a peer who
# left after writing still counts (their response is in the group). The small framework allows
# 2..3 peers. A peer named in a leaver's place takes it for good (found in review: the next
# org import took the leavers' end dates away, their assignments held places again, and E102
# had four active peers of a maximum of three): the leaver's assignment is declined, audited.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person E204 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E102 --reviewer "$r"; done
ok --as E101 feedback submit --cycle a26 --for E102 <(printf 'answers:\n  strengths: "Careful reviews"\n')
run --as M001 cycle nominate --cycle a26 --for E102 --reviewer E201
expect_status 5
expect_err "E102 has 3 peer reviewers already, the framework's maximum"
# E101 (who wrote) and E103 and E104 (who did not) leave.
sed -E 's/^((E101|E103|E104),.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-01-31,/' "$FIXTURES/org-small.csv" >org2.csv
[ "$(grep -c ',2026-01-31,' org2.csv)" = 3 ] || fail "the org file did not end E101, E103 and E104"
ok org import org2.csv
ok --as E204 cycle status --cycle a26 --json
expect_json '.short_of_peers | map(select(startswith("E102 "))) | join(",")' "E102 (1 of 2)"
ok --as E204 cycle nominate --cycle a26 --for E102 --reviewer E201
expect_out "E201 is a peer reviewer of E102"
ok --as E204 cycle nominate --cycle a26 --for E102 --reviewer E202
ok --as E204 cycle status --cycle a26 --json
expect_json '.short_of_peers | map(select(startswith("E102 "))) | length' 0
# E101's written response and the two new peers fill the three places.
run --as E204 cycle nominate --cycle a26 --for E102 --reviewer E203
expect_status 5
expect_err "E102 has 3 peer reviewers already, the framework's maximum"
# The leavers come back (their end dates removed): E103 and E104 were released when E201 and
# E202 took their places, so E102 keeps three peers and the returners cannot write.
ok org import "$FIXTURES/org-small.csv"
ok --as E204 cycle status --cycle a26 --json
expect_json '.assignments | map(select(.reviewee == "E102" and .relation == "peer")) | map("\(.reviewer) \(.status)") | join(",")' \
	"E101 active,E103 declined,E104 declined,E201 active,E202 active"
run --as E103 feedback submit --cycle a26 --for E102 <(printf 'answers:\n  strengths: "Late"\n')
expect_status 3
run --as M001 cycle nominate --cycle a26 --for E102 --reviewer E104
expect_status 5
expect_err "E102 has 3 peer reviewers already, the framework's maximum"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.decide' AND detail LIKE '%\"released\"%' AND detail LIKE '%left without writing; the place went to E20%'")" = 2 ] ||
	fail "the two released assignments are not audited"
