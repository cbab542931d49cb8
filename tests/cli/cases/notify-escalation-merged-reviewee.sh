# Nothing is escalated to the person reviewed (notify.c, plan_assignment), and a person is all
# their records: a peer's overdue feedback on a record that person merge made one human with
# the reviewer's manager is not escalated to that manager, whichever record of the two the
# merge kept and whichever the reporting line names.  The escalation would tell the manager
# which of their reports have not written about them.  (Untested before the governance hunt.)
init_db
cp "$FIXTURES/org-small.csv" org.csv
# E306: an old record of M001's, still in payments.  M301 manages E307; E308 is M301's other
# record, into which M301 is merged (so E307's reporting line names the record merged away).
cat >>org.csv <<'CSV'
E306,Jonas Becker,jonas.becker.old@acme.example,H001,payments,Software Engineer,L3,ic,backend,DE,2017-01-02,,,,,
M301,Ines Duarte,ines.duarte@acme.example,H001,payments,Engineering Manager,M2,manager,manager,DE,2019-01-07,,,,,
E307,Ravi Kumar,ravi.kumar@acme.example,M301,payments,Software Engineer,L3,ic,backend,DE,2021-01-04,,,,,
E308,Ines Duarte,ines.duarte2@acme.example,H001,payments,Software Engineer,L4,ic,backend,DE,2016-05-02,,,,,
CSV
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create y26 --kind annual --scope payments --due self_review=2026-12-01 --due feedback=2026-12-02
ok user add --person H001 --role manager
ok user add --person M001 --role manager
ok --as H001 cycle nominate --cycle y26 --for E306 --reviewer E101
ok --as H001 cycle nominate --cycle y26 --for E308 --reviewer E307
ok --as M001 cycle nominate --cycle y26 --for E104 --reviewer E101 # the control: E104 is not M001
ok cycle advance --cycle y26 # feedback
escalations() {
	ok notify --as-of 2026-12-05T12:00:00Z --grace 1 --dry-run --smtp-url smtp://127.0.0.1:1 \
		--from plumb@acme.example --json
	json '[.reminders[] | select(.relation == "peer" and .kind == "escalation") | "\(.reviewer)>\(.reviewee)>\(.recipient)"] | unique | join(",")'
}
# Before the merges each is an ordinary peer review, escalated to the reviewer's manager.
[ "$(escalations)" = "E101>E104>M001,E101>E306>M001,E307>E308>M301" ] || fail "before the merges: $(escalations)"
ok person merge E306 --into M001 --reason "one human, two records"
ok person merge M301 --into E308 --reason "one human, two records"
# E306 is M001 now: E101's feedback on them is not escalated to them; M301 is E308: E307's
# manager (the record merged away) is the person reviewed.
[ "$(escalations)" = "E101>E104>M001" ] || fail "escalated to the person reviewed: $(escalations)"
ok audit verify
