# retire (with a reason), map to objectives (known ones only), objectives add and the
# objectives listing by leading and lagging; all audited.
init_db
ok metrics map wip --objective quality
expect_out "metric wip mapped to objective quality"
ok metrics map wip --objective quality
expect_out "was already mapped"
run metrics map wip --objective happiness
expect_status 4
expect_err "no objective 'happiness'"
expect_err "detail: the objectives are: time to market, reliability, quality, efficiency, people"
run metrics map no_such_metric --objective quality
expect_status 4
# Unmapping takes a mapping away; a pair that is not mapped is exit 5 naming the key's
# objectives (found in audit: a wrong mapping could not be undone).
ok metrics unmap wip --objective quality
expect_out "metric wip no longer mapped to objective quality"
run metrics unmap wip --objective quality
expect_status 5
expect_err "metric wip is not mapped to objective 'quality'"
expect_err "its objectives are: efficiency, people"
run metrics unmap wip --objective happiness
expect_status 4
run metrics unmap no_such_metric --objective quality
expect_status 4
ok metrics map wip --objective quality
ok objectives add "customer value" --description "Outcomes customers notice"
expect_out "objective customer value added"
run objectives add "customer value"
expect_status 5
# A name with a terminal escape sequence or a NEL (U+0085, a line break) is not one line of
# text; the error quotes it with its controls shown as '?', never sent to the terminal (found
# in review).
run objectives add $'x\e[2Jy'
[ "$status" -ne 0 ] || fail "a name with an escape sequence was accepted"
expect_err "'x?[2Jy'"
! grep -q $'\e' "$T/err" || fail "the error sent an escape sequence to the terminal"
run objectives add --description $'one\xc2\x85two' "speed"
[ "$status" -ne 0 ] || fail "a description with a NEL was accepted"
[ "$(sql "SELECT COUNT(*) FROM objectives WHERE name IN ('speed', 'x')")" = 0 ] || fail "a refused objective was stored"
ok metrics map slo_attainment --objective "customer value"
ok metrics map deployment_frequency --objective "customer value"
ok objectives --json
expect_json '.[] | select(.name == "customer value") | "\(.builtin) \(.leading | join(",")) / \(.lagging | join(","))"' \
	"false deployment_frequency / slo_attainment"
expect_json '.[] | select(.name == "quality") | .leading | join(",")' "review_turnaround,wip"
ok objectives
expect_out "customer value"
# Retire needs a reason; a retired metric leaves the objectives and cannot be retired twice.
run metrics retire wip
expect_status 2
expect_err "needs --reason"
ok metrics retire wip --reason "replaced by flow load"
expect_out "metric wip retired (1 version)"
ok metrics show-def wip --json
expect_json '"\(.status) \(.status_reason)"' "retired replaced by flow load"
ok objectives --json
expect_json '[.[] | .leading[], .lagging[] | select(. == "wip")] | length' 0
run metrics retire wip --reason again
expect_status 5
ok audit log --json
expect_json '[.[] | select(.object_type == "metric" or .object_type == "objective") | .action] | join(",")' \
	"metric.map,metric.unmap,metric.map,objective.add,metric.map,metric.map,metric.retire"
expect_json '[.[] | select(.action == "metric.retire")][0].detail.reason' "replaced by flow load"
expect_json '[.[] | select(.action == "metric.unmap")][0] | "\(.object_id) \(.detail.objective)"' "wip quality"
