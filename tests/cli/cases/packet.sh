# plumb packet: a promotion packet with every section (the axes and the composite beside them,
# the target level's expectations beside the evidence, feedback themes within the anonymity
# rules, metrics, the manager's case), in Markdown and HTML (escaped); who may write one (the
# person's managers and people partners, audited; not the person, a peer or an admin); a
# target level that is no promotion is refused.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E201 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok cycle advance --cycle a26
i=0
for r in E102 E103 E104; do
	i=$((i + 1))
	file "fb$i.yaml" <<EOF2
answers:
  strengths: "Keeps the refunds design doc current ($i)"
  growth: "Could hand the on-call runbook to others ($i)"
ratings:
  collaboration: $((3 + i % 2))
EOF2
	ok --as "$r" feedback submit --cycle a26 --for E101 "$T/fb$i.yaml"
done
# Two of M001's four reports write upward feedback: fewer than the threshold of 3.
file up.yaml <<'EOF2'
answers:
  strengths: "Shields the team from churn"
EOF2
ok --as E101 feedback submit --cycle a26 --for M001 "$T/up.yaml"
ok cycle advance --cycle a26
file ev.yaml <<'EOF2'
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/12", date: 2026-03-02, title: Idempotent refunds}
      - {kind: feedback, ref: peer}
  delivery:
    rating: 4
    evidence:
      - {kind: document, ref: "https://docs.acme.example/refunds-v2", date: 2026-06-10, title: Refunds v2 design}
  collaboration:
    rating: 3
    no_evidence_reason: "seen in every planning meeting; nothing written down"
case: |
  Lukas led the refunds rewrite end to end <script>alert(1)</script> and is ready for L5.
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 "$T/ev.yaml"

ok --as M001 packet --cycle a26 --person E101 --target-level L5
# plumb's own words hold no Markdown the packet escapes, to be shown as written (a literal
# "\`plumb score show\`" read with its backticks in every rendering).
! grep -qF '\`' "$T/out" || fail "the packet escapes a backtick: $(grep -F '\`' "$T/out")"
expect_out "# Promotion packet: Lukas Schmidt (E101), L4 Engineer 4 to L5 Engineer 5"
for section in "## The three axes" "## Expectations at L5 Engineer 5 and the evidence" "## Feedback themes" \
	"## Metrics cited" "## The manager's case"; do
	expect_out "$section"
done
# performance 0.4 x 4 + 0.4 x 4 + 0.2 x 3 = 3.8; impact 0.4 x 4 + 0.3 x 4 + 0.3 x 3 = 3.7;
# potential 0.4 x 3 + 0.3 x 4 + 0.3 x 4 = 3.6; composite 0.5 x 3.8 + 0.3 x 3.7 + 0.2 x 3.6 = 3.73.
expect_out "| performance | 3.80 |"
expect_out "| impact | 3.70 |"
expect_out "| potential | 3.60 |"
expect_out "Composite, shown beside the axes and never instead of them: 3.73"
expect_out "### Technical skill: rated 4 (Exceeds expectations)"
expect_out "**Expected at L5 (target):** Technical skill as expected at L5."
expect_out "**Expected at L4 (now):** Technical skill as expected at L4."
expect_out "- pull_request: Idempotent refunds (<https://github.com/acme/pay/pull/12>), 2026-03-02"
expect_out "**No evidence cited, because:** seen in every planning meeting; nothing written down"
expect_out "### peer feedback (3 responses)"
for i in 1 2 3; do expect_out "- Keeps the refunds design doc current ($i)"; done
expect_out "- rating of collaboration: mean 3.67 over 3 responses"
# The ratings are a list of their own under a label, not more answers to the last question.
[ "$(grep -B2 -- '^- rating of collaboration' "$T/out" | head -1)" = "**Ratings:** the mean of each competency's ratings, over the responses that gave one" ] ||
	fail "the ratings follow the last question's answers: $(grep -B4 -- '^- rating of' "$T/out")"
expect_out "The evaluation cites no metrics."
expect_out "Lukas led the refunds rewrite end to end"
# Nothing in the packet names a peer.
for who in E102 E103 E104 "Nguyen" "Sofia Rossi" "Tom Baker"; do expect_no_out "$who"; done
# M001's own packet: the upward group of one is withheld whole.
run --as E201 packet --cycle a26 --person M001 --target-level M3
expect_status 4
expect_err "M001 has no evaluation in cycle 'a26' yet"
file ev-m001.yaml <<'EOF2'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: "a manager's systems knowledge, seen in design reviews"}
  delivery: {rating: 3, no_evidence_reason: "the team's roadmap shipped"}
  collaboration: {rating: 4, no_evidence_reason: "runs the payments guild"}
case: Ready for a larger organization.
EOF2
ok --as E201 evaluation submit --cycle a26 --person M001 "$T/ev-m001.yaml"
ok --as E201 packet --cycle a26 --person M001 --target-level M3
expect_out "### upward feedback: withheld"
expect_out "fewer upward responses than the threshold of 3; how many is not said"
expect_no_out "1 upward"
expect_no_out "Shields the team from churn"

# HTML: one page, every value escaped.
ok --as E201 packet --cycle a26 --person E101 --target-level L5 --format html
head -c 15 "$T/out" | grep -qx "<!doctype html>" || fail "not an HTML page"
expect_out "<h1>Promotion packet: Lukas Schmidt (E101), L4 Engineer 4 to L5 Engineer 5</h1>"
expect_out "&lt;script&gt;alert(1)&lt;/script&gt;"
expect_no_out "<script>"
ok --as E201 packet --cycle a26 --person E101 --target-level L5 --output "$T/packet.md"
[ -s "$T/packet.md" ] && [ "$(stat -c %a "$T/packet.md")" = 600 ] || fail "packet file"
# An existing file is refused before the read: nothing is read, so nothing is
# audited as a packet written.
before=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'packet.write' AND object_type = 'person'")
run --as E201 packet --cycle a26 --person E101 --target-level L5 --output "$T/packet.md"
expect_status 5
expect_err "cannot create $T/packet.md"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'packet.write' AND object_type = 'person'")" = "$before" ] ||
	fail "a packet refused its file was audited as written"

# Who may not: the person, a peer, an admin without a people role.
for who in E101 E102 admin; do
	run --as "$who" packet --cycle a26 --person E101 --target-level L5
	expect_status 3
	# E102, who may not see E101, is refused as for an unknown id.
	case $who in
	E102) expect_err "E101 is outside your scope" ;;
	*) expect_err "may not write a promotion packet for E101" ;;
	esac
done
# Not a promotion, or no such level. The refusal tells E101's level, which the packet page
# offers every level not to tell without an audited read of them: it is a failed read of
# E101 (found hunting packets: audited as of no one).
run --as M001 packet --cycle a26 --person E101 --target-level L3 --output "$T/refused.md"
expect_status 1
expect_err "E101 is at L4 already; a promotion packet targets a level above it"
[ ! -e "$T/refused.md" ] || fail "a refused packet left its file"
[ "$(sql "SELECT object_type||':'||object_id||' '||detail FROM audit_log WHERE action = 'packet.write' ORDER BY seq DESC LIMIT 1")" = 'person:E101 {"ok":false}' ] ||
	fail "the refusal that tells the level is not a read of E101: $(sql "SELECT object_type||':'||object_id||' '||detail FROM audit_log WHERE action = 'packet.write' ORDER BY seq DESC LIMIT 1")"
run --as M001 packet --cycle a26 --person E101 --target-level L9
expect_status 1
expect_err "'L9' is not a level of framework version 1"
run --as M001 packet --cycle a26 --person E101 --target-level L5 --format pdf
expect_status 2
# Each packet is an audited read of the person (three: the refused --output was not read).
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'packet.write' AND object_type = 'person' AND object_id = 'E101' AND detail = '{\"ok\":true}'")" = 3 ] ||
	fail "packets not audited: $(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'packet.write' AND object_id = 'E101'")"
# Another track at its lowest level is a promotion still (a senior engineer to a first
# manager level): tracks are not ranked against each other.
ok --as M001 packet --cycle a26 --person E101 --target-level M1
expect_out "M1"

# A packet's writer who wrote in one of its feedback groups is refused: the group is not shown
# to them, and a packet leaving it out "not shown to you: you wrote in it" would tell the
# committee that its writer was a peer reviewer (found in review). E103 wrote in E101's peer
# group, then became a people partner of payments: refused in Markdown and HTML, no file
# written, and the refusal's reason is not in the audit log, which admins read without review
# content; M001, who did not write in it, writes the packet with the group.
ok user add --person E103 --role people-partner:payments
for format in md html; do
	run --as E103 packet --cycle a26 --person E101 --target-level L5 --format $format --output "$T/by-writer.$format"
	expect_status 3
	expect_err "E103 may not write a promotion packet for E101: they wrote in E101's peer feedback"
	expect_err "another of their managers, or a people partner over them"
	[ ! -e "$T/by-writer.$format" ] || fail "a refused packet left its file"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%wrote%'")" = 0 ] ||
	fail "the audit log says who wrote: $(sql "SELECT action||' '||detail FROM audit_log WHERE detail LIKE '%wrote%'")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE actor = 'E103' AND action = 'packet.write' AND detail = '{\"ok\":false}'")" = 2 ] ||
	fail "the refused packets are not recorded as failed reads"
ok --as M001 packet --cycle a26 --person E101 --target-level L5
expect_out "### peer feedback (3 responses)"
expect_no_out "you wrote in it"

# A leaver's review stays their managers' as of their last day (found hunting: once E101's end
# date passed, H001, leader over M001, was refused E101's score, evaluation and packet while
# M001 kept them). A manager who was never over E101 is refused still. The packet says that
# E101 has left, at its head, and the CLI warns: most likely a mistake, but a backfilled cycle
# may want it.
ok user add --person H001 --role leader
ok user add --person M002 --role manager
ok --as H001 score show --cycle a26 --person E101
ok --as H001 packet --cycle a26 --person E101 --target-level L5
expect_no_out "left on"
left=$(date -u -d '2 days ago' +%F)
sed -E "s/^(E101,.*,2019-09-01),,/\1,$left,/" "$FIXTURES/org-small.csv" >org-left.csv
grep -q "^E101,.*,$left," org-left.csv || fail "the org file did not end E101"
ok org import org-left.csv
for cmd in "score show" "evaluation history"; do
	# shellcheck disable=SC2086 # the command's words
	ok --as H001 $cmd --cycle a26 --person E101
	# shellcheck disable=SC2086
	run --as M002 $cmd --cycle a26 --person E101
	expect_status 3
done
ok --as H001 packet --cycle a26 --person E101 --target-level L5
expect_out "Lukas Schmidt left on $left."
expect_err "warning: E101 left on $left: a promotion packet for someone who has left"
ok --as M001 packet --cycle a26 --person E101 --target-level L5 --format html
expect_out "<p>Lukas Schmidt left on $left.</p>"
