# A draft on an assignment person merge declined stays the writer's to read (feedback show
# --mine) but can no longer be finished: the refusal says why (the merge) and what to do
# instead (found hunting merges: it said only that no active assignment was held, and
# pointed at a list where the assignment showed declined).
init_db
cp "$FIXTURES/org-small.csv" org.csv
echo "E301,Lukas Schmidt,lukas.schmidt2@acme.example,M001,payments,Senior Software Engineer,L4,ic,backend,DE,2026-03-01,,,,," >>org.csv
ok org import org.csv
ok framework import "$FIXTURES/review/framework.yaml"
ok user add --person M001 --role manager
for u in E101 E102 E301; do ok user add --person "$u" --role employee; done
ok cycle create y26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
# Not yet known to be one human, E101 is named a peer of E301; E101 begins its self review.
ok --as M001 cycle nominate --cycle y26 --for E301 --reviewer E101
printf 'answers:\n  strengths: "Shipped the refunds rewrite"\n' >fb.yaml
ok --as E101 feedback submit --cycle y26 --for E101 --draft fb.yaml
ok person merge E101 --into E301 --reason "rehired under a new id"
# The human's self review draft, as E101, is declined: they write it as E301.
run --as E301 feedback submit --cycle y26 --for E101 fb.yaml
expect_status 5
expect_err "E301's self review of E101 in cycle 'y26' was declined"
expect_err "person merge withdrew E101"
expect_err "--for E301"
ok --as E301 feedback show --cycle y26 --for E101 --mine
expect_out "Shipped the refunds rewrite"
ok --as E301 feedback submit --cycle y26 --for E301 fb.yaml
[ "$(sql "SELECT COUNT(*) FROM feedback_responses WHERE status = 'submitted'")" = 1 ] ||
	fail "a declined draft was submitted"
ok cycle advance --cycle y26 # feedback
# E101's peer work about E301 is feedback about oneself, declined: nobody writes it.
printf 'answers:\n  strengths: "Pairs generously"\n' >peer.yaml
run --as E301 feedback submit --cycle y26 --for E301 --relation peer peer.yaml
expect_status 5
expect_err "was declined"
expect_err "one human"
ok audit verify
