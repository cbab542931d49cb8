# The demo's review cycles on the example framework: a finished annual review of everyone in
# engineering but the VP (every phase due before today, peers within 3..5 and the reviewer
# cap, some nominations declined, evidence from the person's own events), with lenient and
# severe managers, a team too small for anonymous peer feedback, a high performer on a project
# of low impact and a quiet contributor; an open check-in with late and draft self reviews.
# Every phase of both is due by the end of its day, as --due DATE gives it.
demo_db
cp "$T/out" "$T/demo.out"
# demo_line TEXT: the line of the demo's summary with TEXT (checked for by the caller).
demo_line() { grep -F -- "$1" "$T/demo.out"; }
expect_out "review cycles on framework version 1 (Example Software engineering career framework):"
expect_out "2026-annual      annual review of 120 people, 2026-05-03..2026-11-01, closed:"
expect_out "2026-q4-checkin  check-in of "
# README.md and scripts/demo name seed 1's portrayed people.
expect_out "lenient managers: E014, E013; severe managers: E016, E012 ("
expect_out "observability (E010, E051): too few peers for anonymity"
expect_out "E075 (manager E005): high performance on a project of low impact"
expect_out "E099 (manager E006): a quiet contributor with little visible evidence"
now=$(($(date +%s) * 1000))

# The framework and the two metrics it names came from examples/, through the services.
ok framework export
cmp -s "$T/out" "$ROOT/examples/framework.yaml" || fail "the stored framework is not examples/framework.yaml"
[ "$(sql "SELECT COUNT(*) FROM metric_defs WHERE key IN ('reviews_given', 'prs_merged') AND status = 'active'")" = 2 ] ||
	fail "the example metrics are not active"

# The annual review: closed, its phases due in order and before now, everyone evaluated.
ok cycle list --json
expect_json '[.[] | .name + ":" + .kind + ":" + .phase] | join(",")' "2026-annual:annual:closed,2026-q4-checkin:checkin:self_review"
annual=$(sql "SELECT id FROM cycles WHERE name = '2026-annual'")
[ "$(sql "SELECT COUNT(*) FROM cycle_phases WHERE cycle_id = $annual AND closed_at IS NOT NULL AND due_at < $now")" = 6 ] ||
	fail "not every phase of the annual review is closed and due before now"
[ "$(sql "SELECT COUNT(*) FROM cycle_phases a JOIN cycle_phases b ON b.cycle_id = a.cycle_id AND b.seq = a.seq + 1 WHERE a.cycle_id = $annual AND b.due_at < a.due_at")" = 0 ] ||
	fail "the annual review's phases are not due in order"
# Every phase of both cycles is due by the end of its day, as --due DATE gives it.
[ "$(sql "SELECT COUNT(*) FROM cycle_phases WHERE due_at % 86400000 <> 86399999")" = 0 ] ||
	fail "phases not due at the end of a day: $(sql "SELECT cycle_id, name, due_at FROM cycle_phases WHERE due_at % 86400000 <> 86399999")"
# Everyone in engineering who has not left, but the VP at its root.
active=$(sql "SELECT COUNT(*) FROM people WHERE end_date IS NULL OR end_date > $now")
members=$(sql "SELECT COUNT(*) FROM cycle_members WHERE cycle_id = $annual")
[ "$members" = $((active - 1)) ] || fail "the annual review has $members members, expected $((active - 1))"
[ "$(sql "SELECT COUNT(*) FROM cycle_members m JOIN people p ON p.id = m.person_id WHERE m.cycle_id = $annual AND p.employee_id = 'E001'")" = 0 ] ||
	fail "the VP is in the annual review"
[ "$(sql "SELECT COUNT(DISTINCT person_id) FROM evaluations WHERE cycle_id = $annual")" = "$members" ] ||
	fail "not every member of the annual review has an evaluation"
# Every evaluation was submitted by the person's manager in the cycle, but those the calibration
# session wrote back (source calibration, by its facilitator).
[ "$(sql "SELECT COUNT(*) FROM evaluations e JOIN cycle_members m ON m.cycle_id = e.cycle_id AND m.person_id = e.person_id JOIN people mp ON mp.id = m.manager_id WHERE e.cycle_id = $annual AND e.source = 'manager' AND e.created_by <> mp.employee_id")" = 0 ] ||
	fail "an evaluation was not submitted by the person's manager"
calibrated=$(sql "SELECT COUNT(*) FROM evaluations e JOIN calibration_sessions s ON s.cycle_id = e.cycle_id JOIN users u ON u.id = s.facilitator_id WHERE e.cycle_id = $annual AND e.source = 'calibration' AND e.created_by = u.name AND e.reason LIKE 'calibration session ' || s.name || ':%'")
[ "$calibrated" -gt 0 ] && [ "$calibrated" = "$(sql "SELECT COUNT(*) FROM evaluations WHERE cycle_id = $annual AND source <> 'manager'")" ] ||
	fail "the calibration session's versions: $calibrated"
# Self reviews from all but a few.
selfs=$(sql "SELECT COUNT(DISTINCT a.id) FROM review_assignments a JOIN feedback_responses f ON f.assignment_id = a.id WHERE a.cycle_id = $annual AND a.relation = 'self' AND f.status = 'submitted'")
[ "$selfs" -ge $((members - 3)) ] && [ "$selfs" -lt "$members" ] || fail "$selfs self reviews of $members"
# Peers: nominated by the reviewee, decided by the manager; 3..5 approved (2 on the small
# team), some declined with a reason, nobody above the reviewer cap of 8.
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewee_id WHERE a.cycle_id = $annual AND a.relation = 'peer' AND a.nominated_by <> p.employee_id")" = 0 ] ||
	fail "a peer was not nominated by the reviewee"
[ "$(sql "SELECT COUNT(*) FROM review_assignments a JOIN cycle_members m ON m.cycle_id = a.cycle_id AND m.person_id = a.reviewee_id JOIN people mp ON mp.id = m.manager_id WHERE a.cycle_id = $annual AND a.relation = 'peer' AND a.decided_by <> mp.employee_id")" = 0 ] ||
	fail "a nomination was not decided by the reviewee's manager"
declined=$(sql "SELECT COUNT(*) FROM review_assignments WHERE cycle_id = $annual AND status = 'declined'")
[ "$declined" -ge 3 ] || fail "only $declined nominations declined"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.decide' AND detail LIKE '%\"declined\"%' AND detail LIKE '%\"reason\":\"%'")" = "$declined" ] ||
	fail "a declined nomination has no reason"
small_line=$(demo_line "too few peers for anonymity, their peer feedback is withheld")
[ -n "$small_line" ] || fail "the demo names no small team"
small_team=$(echo "$small_line" | awk '{print $1}')
small_people=$(echo "$small_line" | sed 's/.*(\(.*\)).*/\1/' | tr -d ',')
peers() { sql "SELECT COUNT(*) FROM review_assignments a JOIN people p ON p.id = a.reviewee_id WHERE a.cycle_id = $annual AND a.relation = 'peer' AND a.status = 'active' AND p.employee_id = '$1'"; }
for eid in $(sql "SELECT p.employee_id FROM cycle_members m JOIN people p ON p.id = m.person_id WHERE m.cycle_id = $annual AND m.manager_id IS NOT NULL"); do
	n=$(peers "$eid")
	case " $small_people " in
	*" $eid "*) [ "$n" = 2 ] || fail "$eid of the small team has $n peers, expected 2" ;;
	*) [ "$n" -ge 3 ] && [ "$n" -le 5 ] || fail "$eid has $n approved peers" ;;
	esac
done
[ "$(sql "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM review_assignments WHERE cycle_id = $annual AND relation IN ('peer', 'upward', 'cross_functional') AND status <> 'declined' GROUP BY reviewer_id) AS loads")" -le 8 ] ||
	fail "a reviewer holds more than the cap of 8"
# Evidence: events are the person's own pull requests and deployments, never an incident;
# metrics only those the framework lists.
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence v JOIN evaluations e ON e.id = v.evaluation_id WHERE e.cycle_id = $annual AND v.kind = 'event'")" -ge 200 ] ||
	fail "few events cited"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence v JOIN evaluations e ON e.id = v.evaluation_id JOIN events x ON CAST(x.id AS TEXT) = v.ref WHERE v.kind = 'event' AND (x.person_id <> e.person_id OR x.kind NOT IN ('pull_request', 'deployment'))")" = 0 ] ||
	fail "an evaluation cites an event that is not the person's own pull request or deployment"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence WHERE kind = 'incident'")" = 0 ] || fail "incident evidence cited"
[ "$(sql "SELECT COUNT(DISTINCT ref) FROM evaluation_evidence WHERE kind = 'metric'")" = 2 ] || fail "not both example metrics cited"
[ "$(sql "SELECT COUNT(*) FROM evaluation_evidence WHERE kind = 'metric' AND metric_value_id IS NULL")" = 0 ] || fail "metric evidence without a stored value"
# Two evaluations have a second version from their manager, with a reason.
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE cycle_id = $annual AND version = 2 AND source = 'manager' AND reason <> ''")" = 2 ] ||
	fail "expected two second versions with a reason"
[ "$(sql "SELECT COUNT(*) FROM evaluations WHERE cycle_id = $annual AND version > 2")" = 0 ] || fail "a third version"

# Rater effects: the lenient managers' reports are rated well above the severe managers'
# (each rating moves 0.8 before rounding; a margin of 1.0 between the two groups' means),
# and the other managers' reports in between.
raters=$(demo_line "lenient managers: ")
lenient=$(echo "$raters" | sed 's/.*lenient managers: \([^;]*\);.*/\1/' | sed "s/\(E[0-9]*\)/'\1'/g")
severe=$(echo "$raters" | sed 's/.*severe managers: \([^(]*\) (.*/\1/' | sed "s/\(E[0-9]*\)/'\1'/g")
[ -n "$lenient" ] && [ -n "$severe" ] || fail "no lenient or severe managers named"
mean_of() {
	sql "SELECT AVG(r.rating) FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id
	  JOIN cycle_members m ON m.cycle_id = e.cycle_id AND m.person_id = e.person_id JOIN people mp ON mp.id = m.manager_id
	  WHERE e.cycle_id = $annual AND e.version = (SELECT MAX(version) FROM evaluations x WHERE x.cycle_id = e.cycle_id AND x.person_id = e.person_id)
	  AND mp.employee_id $1"
}
ml=$(mean_of "IN ($lenient)")
ms=$(mean_of "IN ($severe)")
mo=$(mean_of "NOT IN ($lenient, $severe)")
awk -v l="$ml" -v s="$ms" -v o="$mo" 'BEGIN { exit !(l - s >= 1.0 && l > o && o > s) }' ||
	fail "rater effects: lenient mean $ml, severe $ms, the others $mo"

# The small team: its manager reads that its peer feedback is withheld, and why.
for eid in $small_people; do
	mgr=$(sql "SELECT mp.employee_id FROM cycle_members m JOIN people p ON p.id = m.person_id JOIN people mp ON mp.id = m.manager_id WHERE m.cycle_id = $annual AND p.employee_id = '$eid'")
	ok --as "$mgr" feedback show --cycle 2026-annual --for "$eid"
	expect_out "peer feedback: withheld: 2 peer responses, fewer than the threshold of 3"
	expect_no_out "peer feedback, "
done
[ "$(sql "SELECT COUNT(*) FROM cycle_members m JOIN teams t ON t.id = m.team_id WHERE m.cycle_id = $annual AND t.name = '$small_team'")" = "$(echo "$small_people" | wc -w)" ] ||
	fail "the small team $small_team is not the people named"

# The quiet contributor: few pull requests, and ratings that say why they cite nothing.
quiet=$(demo_line "a quiet contributor with little visible evidence" | awk '{print $1}')
[ -n "$quiet" ] || fail "the demo names no quiet contributor"
reasons=$(sql "SELECT COUNT(*) FROM evaluation_ratings r JOIN evaluations e ON e.id = r.evaluation_id JOIN people p ON p.id = e.person_id
  WHERE e.cycle_id = $annual AND p.employee_id = '$quiet' AND r.no_evidence_reason IS NOT NULL
  AND e.version = (SELECT MAX(version) FROM evaluations x WHERE x.cycle_id = e.cycle_id AND x.person_id = e.person_id)")
[ "$reasons" -ge 2 ] || fail "the quiet contributor $quiet has $reasons ratings with a no_evidence_reason"
prs() { sql "SELECT COUNT(*) FROM events x JOIN people p ON p.id = x.person_id WHERE x.kind = 'pull_request' AND x.status = 'merged' AND p.employee_id = '$1'"; }
avg=$(sql "SELECT COUNT(*) * 1.0 / COUNT(DISTINCT x.person_id) FROM events x JOIN cycle_members m ON m.person_id = x.person_id AND m.cycle_id = $annual WHERE x.kind = 'pull_request' AND x.status = 'merged'")
awk -v q="$(prs "$quiet")" -v a="$avg" 'BEGIN { exit !(q < a) }' || fail "the quiet contributor $quiet merged $(prs "$quiet") pull requests, the average is $avg"

# The high performer on a project of low impact: performance well above impact, in the
# score their manager sees; their packet has every section and names no peer.
hp_line=$(demo_line "high performance on a project of low impact")
hp=$(echo "$hp_line" | awk '{print $1}')
hp_mgr=$(echo "$hp_line" | sed 's/.*(manager \([A-Z0-9]*\)).*/\1/')
[ -n "$hp" ] && [ -n "$hp_mgr" ] || fail "the demo names no high performer"
[ "$(sql "SELECT t.name FROM cycle_members m JOIN people p ON p.id = m.person_id JOIN teams t ON t.id = m.team_id WHERE m.cycle_id = $annual AND p.employee_id = '$hp'")" = launch-tiger ] ||
	fail "the high performer $hp is not on the project team"
ok --as "$hp_mgr" score show --cycle 2026-annual --person "$hp" --json
perf=$(json '.axes[] | select(.axis == "performance") | .score')
impact=$(json '.axes[] | select(.axis == "impact") | .score')
awk -v p="$perf" -v i="$impact" 'BEGIN { exit !(p >= 4 && p - i >= 0.5) }' || fail "high performer $hp: performance $perf, impact $impact"
level=$(sql "SELECT m.level FROM cycle_members m JOIN people p ON p.id = m.person_id WHERE m.cycle_id = $annual AND p.employee_id = '$hp'")
target="L$((${level#L} + 1))"
ok --as "$hp_mgr" packet --cycle 2026-annual --person "$hp" --target-level "$target"
for s in "## The three axes" "## Expectations at $target" "## Feedback themes" "## Metrics cited" "## The manager's case" \
	"### peer feedback (" "launch-tiger"; do
	expect_out "$s"
done
sql "SELECT p.employee_id || '|' || p.name FROM review_assignments a JOIN people p ON p.id = a.reviewer_id JOIN people e ON e.id = a.reviewee_id
  WHERE a.cycle_id = $annual AND e.employee_id = '$hp' AND a.relation <> 'self' AND a.relation <> 'manager'" >"$T/reviewers"
[ "$(wc -l <"$T/reviewers")" -ge 3 ] || fail "the high performer has few reviewers"
while IFS='|' read -r eid name; do
	expect_no_out "$eid"
	expect_no_out "$name"
done <"$T/reviewers"

# plumb me lists the audit entries about the person on other objects too (E021, README's
# employee): the manager's evaluation and the calibration mark of the delivered annual review,
# never who was nominated or approved to review them.
ok --as E021 me export
expect_json '[.audit_entries[] | select(.action == "evaluation.submit" and .detail.person == "E021")] | length > 0' true
expect_json '[.audit_entries[] | select(.action == "calibrate.mark" and .detail.person == "E021")] | length > 0' true
expect_json '[.audit_entries[] | select(.detail.reviewee? == "E021")] | length' 0
ok --as E021 me
expect_out "calibrate.mark"

# The check-in: open in its self review, some submitted, some drafts, some not started,
# every one not submitted late.
ok cycle status --cycle 2026-q4-checkin --json
expect_json .phase self_review
expect_json '[.phases[] | .name] | join(",")' "self_review,manager_review,delivery"
total=$(json '[.assignments[] | select(.relation == "self")] | length')
done_=$(json '[.assignments[] | select(.relation == "self" and .done)] | length')
drafts=$(json '[.late[] | select(.relation == "self" and .draft)] | length')
blank=$(json '[.late[] | select(.relation == "self" and (.draft | not))] | length')
[ "$done_" -ge 1 ] && [ "$drafts" -ge 1 ] && [ "$blank" -ge 1 ] || fail "check-in: $done_ done, $drafts late drafts, $blank late not started"
[ $((done_ + drafts + blank)) = "$total" ] || fail "check-in: $done_ + $drafts + $blank is not the $total self reviews"
ok cycle status --cycle 2026-q4-checkin
expect_out "late ($((drafts + blank))):"
# A draft is told apart from nothing written, as the cycle's page tells it.
[ "$(grep -c ' owes self feedback on E[0-9]* (draft saved), due ' "$T/out")" = "$drafts" ] &&
	[ "$(grep -c ' owes self feedback on E[0-9]*, due ' "$T/out")" = "$blank" ] ||
	fail "drafts ($drafts) and blanks ($blank) in the text: $(grep owes "$T/out")"
# The closed annual review's undone work is not "late" and owed: nobody owes it any more.
ok cycle status --cycle 2026-annual --json
undone=$(json '.late | length')
[ "$undone" -ge 1 ] || fail "the annual review has no undone work to show"
ok cycle status --cycle 2026-annual
expect_out "not done when the cycle closed ($undone):"
expect_no_out "late ("
expect_no_out " owes "
expect_out " did not give "

# README.md: the forced curve is a proposal on a plain demo and refused on the database of
# `make run`, whose scripts/demo imports examples/policy.yaml (no forced ranking in DE), as
# it says; the governance walk-through needs that database.
grep -qF 'calibrate curve --session 2026-annual-calibration   # refused (exit 3)' "$ROOT/README.md" ||
	fail "README.md does not say the curve is refused on the make run database"
grep -qF 'policy import examples/policy.yaml' "$ROOT/scripts/demo" || fail "scripts/demo imports no policy"
ok policy show
expect_out "no policy imported"
ok --as E002 calibrate curve --session 2026-annual-calibration
expect_out "(a proposal: no rating changed)"
ok policy import "$ROOT/examples/policy.yaml"
run --as E002 calibrate curve --session 2026-annual-calibration
expect_status 3
expect_err "refused by acceptable-use rule forced-ranking-forbidden"

ok audit verify
