# Who reads feedback: the reviewee, their managers (and leaders above them) and the people
# partners of their unit; admins without a people role, peers, analysts and partners of other
# units are refused (exit 3, audited).  Authors: people partners of the unit only, for the
# relations the framework allows (here peer, not cross-functional), never upward; every read
# audited on the person, a reviewer's read of their own (--mine) on the cycle.
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/partner_sees_authors: \[peer, cross_functional\]/partner_sees_authors: [peer]/' \
	"$FIXTURES/review/framework.yaml" >fw.yaml
grep -q 'partner_sees_authors: \[peer\]$' fw.yaml || fail "the sed did not change the framework"
ok framework import fw.yaml
ok cycle create y26 --kind annual --scope payments
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role leader:engineering
ok user add --person E201 --role people-partner:payments
ok user add --person E202 --role people-partner:search
ok user add --person E203 --role admin
ok user add --person E204 --role analyst
for r in E101 E103 E104; do ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer "$r"; done
ok --as M001 cycle nominate --cycle y26 --for E102 --reviewer E203 --relation cross_functional
printf 'answers:\n  strengths: Peer words\n' >peer.yaml
for r in E101 E103 E104; do ok --as "$r" feedback submit --cycle y26 --for E102 peer.yaml; done
printf 'answers:\n  strengths: Cross words\n' >cross.yaml
ok --as E203 feedback submit --cycle y26 --for E102 cross.yaml
printf 'answers:\n  strengths: Upward words\n' >up.yaml
for r in E101 E102 E103; do ok --as "$r" feedback submit --cycle y26 --for M001 up.yaml; done
# Groups are read once the feedback phase has closed.
ok cycle advance --cycle y26
ok cycle advance --cycle y26
denied() { sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = '$1'"; }
reads() { sql "SELECT COUNT(*) FROM audit_log WHERE action = '$1' AND object_type = 'person' AND object_id = '$2'"; }

# show: allowed readers, each read audited on person:E102.
for who in E102:self M001:manager H001:manager E201:people_partner; do
	ok --as "${who%%:*}" feedback show --cycle y26 --for E102 --json
	expect_json .reader "${who#*:}"
	expect_json '.groups | map("\(.relation) \(.responses) \(.shown)") | join(",")' "peer 3 true,cross_functional 1 false"
done
[ "$(reads feedback.show E102)" = 4 ] || fail "the reads of E102's feedback were not each audited"
[ "$(sql "SELECT actor FROM audit_log WHERE action = 'feedback.show' ORDER BY seq")" = "E102
M001
H001
E201" ] || fail "audited reads name the wrong readers"
# Refused: the built-in admin, an admin who is a person (and a reviewer of E102), a peer, an
# analyst and the people partner of another unit.
for who in admin E203 E101 E204 E202; do
	if [ "$who" = admin ]; then run feedback show --cycle y26 --for E102; else run --as "$who" feedback show --cycle y26 --for E102; fi
	expect_status 3
	# Those who do not see E102 at all are refused as for an unknown id (unknown-ids-scope.sh).
	file_has "$T/err" "may not read" || file_has "$T/err" "E102 is outside your scope" ||
		fail "$who: no refusal: $(cat "$T/err")"
	expect_no_out "Peer words"
done
[ "$(denied feedback.show)" = 5 ] || fail "refused reads not audited: $(denied feedback.show)"
[ "$(reads feedback.show E102)" = 4 ] || fail "a refused read was recorded as a read"
# A reviewer reads what they wrote; that read is audited on the cycle, so E102's own report of
# who read their records does not say who reviewed them.
ok --as E101 feedback show --cycle y26 --for E102 --mine --json
expect_json '.responses | map("\(.relation) \(.version) \(.status)") | join(",")' "peer 1 submitted"
expect_json '.responses[0].answers[0].answer' "Peer words"
[ "$(sql "SELECT object_type || ':' || object_id FROM audit_log WHERE action = 'feedback.show' AND actor = 'E101'")" = "cycle:$(sql "SELECT id FROM cycles WHERE name = 'y26'")" ] ||
	fail "--mine not audited on the cycle"
ok --as E102 me --json
expect_json '[.read_by_others[] | select(.actor == "E101")] | length' 0
expect_json '[.read_by_others[] | select(.action == "feedback.show") | .actor] | sort | join(",")' "E201,H001,M001"

# authors: the people partner of payments sees who wrote peer feedback, not cross-functional.
ok --as E201 feedback authors --cycle y26 --for E102 --json
expect_json '.relations | map(.relation) | join(",")' peer
expect_json '.relations[0].responses | map(.author) | sort | join(",")' "E101,E103,E104"
expect_json '.relations[0].responses | map(.author_name) | sort | join(",")' "Lukas Schmidt,Sofia Rossi,Tom Baker"
expect_json '.not_shown | join("|")' "upward feedback is never attributed to anyone|framework version 1 does not let people partners see who wrote cross-functional feedback (anonymity.partner_sees_authors)"
grep -q E203 "$T/out" && fail "authors names the cross-functional reviewer"
grep -q "Cross words" "$T/out" && fail "authors shows cross-functional feedback"
ok --as E201 feedback authors --cycle y26 --for E102
expect_out "peer feedback: 3 submitted"
expect_out "  E101 (Lukas Schmidt), version 1, submitted "
expect_out "not shown: framework version 1 does not let people partners see who wrote cross-functional feedback"
# Upward: refused, naming no one.
ok --as E201 feedback authors --cycle y26 --for M001
expect_out "not shown: upward feedback is never attributed to anyone"
grep -qE 'E10[1-4]|Lukas|Minh|Sofia' "$T/out" && fail "authors names a writer of upward feedback"
# Each authors read is audited on the person.
[ "$(reads feedback.authors E102)" = 2 ] || fail "authors reads of E102 not each audited"
[ "$(reads feedback.authors M001)" = 1 ] || fail "the authors read of M001 not audited"
# Nobody else looks authors up: not admins, managers, leaders, the reviewee, another unit's
# partner or an analyst.
for who in admin E203 M001 H001 E102 E202 E204; do
	if [ "$who" = admin ]; then run feedback authors --cycle y26 --for E102; else run --as "$who" feedback authors --cycle y26 --for E102; fi
	expect_status 3
	# Who may not see E102 is refused as for an unknown id.
	case $who in
	E202) expect_err "E102 is outside your scope" ;;
	*) expect_err "may not see who wrote" ;;
	esac
	expect_no_out "E101"
done
[ "$(denied feedback.authors)" = 7 ] || fail "refused authors reads not audited: $(denied feedback.authors)"
[ "$(reads feedback.authors E102)" = 2 ] || fail "a refused authors read was recorded as a read"
ok audit verify
