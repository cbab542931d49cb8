# Resolving a held account to a person without consent keeps what any hold keeps from a
# withdrawal, by the same rule: here an event a team metric value's lineage names, under a
# hold on metric_values, stays held and is counted in held_kept (found in fix-govern4: only
# a hold on the person or on events kept them). A mechanism refusing everyone (not enabled)
# deletes nothing: it says nothing of the person, and the events stay held. Evidence that
# cited an event deleted so, or by a re-attribution, says why, not that its person withdrew
# consent.
init_db
ok org import "$FIXTURES/org-small.csv"
import_pr_policy
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
held() { sql "SELECT COUNT(*) FROM events WHERE kind IN ('pull_request', 'review') AND account LIKE 'H1-%' AND person_id IS NULL"; }
all=$(held)
[ "$all" -ge 3 ] || fail "setup: $all held events"

# Not enabled: linking bob to E103, who has not consented, deletes none of his.
import_pr_policy enabled=false name=off
ok identity link github bob --person E103
[ "$(held)" = "$all" ] || fail "a mechanism not enabled deleted held events: $(held) of $all left"
import_pr_policy

# carol's held events: her pull request is named by a team value's lineage, her review cited
# by an evaluation of E201's.
pr=$(sql "SELECT id FROM events WHERE external_id = 'acme/widgets#103'")
review=$(sql "SELECT e.id FROM events e JOIN events p ON p.account = e.account WHERE p.id = $pr AND e.kind = 'review'")
[ -n "$pr" ] && [ -n "$review" ] || fail "setup: carol's pull request ($pr) or review ($review) is missing"
def=$(sql "SELECT MIN(id) FROM metric_defs")
sql "INSERT INTO metric_values(def_id, scope, scope_id, period_start, period_end, grain, statistic,
  value, n, detail, inputs_hash, computed_at) SELECT $def, 'team', id, 0, 1, 'all', 'count', 1, 1,
  '{}', 'y', 0 FROM teams WHERE name = 'search'"
sql "INSERT INTO metric_lineage(value_id, event_id, role) SELECT MAX(id), $pr, 'input' FROM metric_values"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope search
ok user add --person M002 --role manager
file e201.yaml <<'YAML'
ratings:
  technical_skill: {rating: 4, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
ok --as M002 evaluation submit --cycle a26 --person E201 "$T/e201.yaml"
sql "INSERT INTO evaluation_evidence(evaluation_id, dimension, kind, ref, title, occurred_at, negative)
  SELECT MAX(id), 'technical_skill', 'event', '$review', 'review 2002', 1, 0 FROM evaluations"
ok hold add --category metric_values --reason "case 2026-90: the search team's numbers"

# Linked to E201, who has not consented: the held value's pull request stays held, counted.
ok identity link github carol --person E201
[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $pr AND person_id IS NULL AND account LIKE 'H1-%'")" = 1 ] ||
	fail "the held value's pull request was deleted or given to E201"
[ "$(sql "SELECT COUNT(*) FROM metric_lineage WHERE event_id = $pr")" = 1 ] || fail "the held value lost its lineage"
[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $review")" = 0 ] || fail "carol's review, which no hold keeps, was kept"
ok audit log --json --object identity:github:carol
expect_json '[.[] | select(.action == "consent.resolve-held")][0].detail | "\(.held_events_resolved) \(.held_events_deleted) \(.held_kept)"' "0 1 1"
[ "$(sql "SELECT title FROM evaluation_evidence WHERE ref = '$review'")" = \
	"(removed when its held account was matched to a person without a consent or approval the policy requires)" ] ||
	fail "the evidence says: $(sql "SELECT title FROM evaluation_evidence WHERE ref = '$review'")"

# bob's held events, his account put on the bot list, are a bot's; linked to E104, who has
# not consented, they are deleted, and evidence citing one says so.
ok identity unlink github bob
ok source set gh --bot bob
bob=$(sql "SELECT id FROM events WHERE external_id = 'acme/widgets#102' AND account = 'bob' AND person_id IS NULL")
[ -n "$bob" ] || fail "setup: bob's pull request is not a bot's"
sql "INSERT INTO evaluation_evidence(evaluation_id, dimension, kind, ref, title, occurred_at, negative)
  SELECT MAX(id), 'delivery', 'event', '$bob', 'pull request 102', 1, 0 FROM evaluations"
ok identity link github bob --person E104
[ "$(sql "SELECT COUNT(*) FROM events WHERE id = $bob")" = 0 ] || fail "E104 was given bob's pull request without consent"
[ "$(sql "SELECT title FROM evaluation_evidence WHERE ref = '$bob'")" = \
	"(removed when it was re-attributed to a person without a consent or approval the policy requires)" ] ||
	fail "the evidence says: $(sql "SELECT title FROM evaluation_evidence WHERE ref = '$bob'")"
ok audit verify
