# A team scope visits only the deployments of the teams it holds, over the spans it holds
# them and the query's period (src/metrics/metrics.c, deploy_index; docs/PERFORMANCE.md,
# "Each team's deployments, not the org's"): the counts are those of a pass over every
# deployment.  Pinned at the edges: a deployment exactly at the period's start (counts) and
# end (does not), exactly when a team moves under another parent (the new parent's) and
# when a service moves to another team (the new owner's), the second before each, a
# service with no owner (the org's only), a failure in the period restored after it, the
# trend's weeks, and a refresh of every team.
moved_team_tree # tc under ta, then tb from 2026-07-15; svc-m ta's, then tb's from 2026-07-20
ok source add deploy --name deploys
d() { # id service sha-number finished [ref]
	echo "$1,$2,production,$(printf '%040x' "$3"),${5:-main},$4,$4,success"
}
{
	echo "id,service,environment,sha,ref,started,finished,status"
	d C0 svc-c 1 2026-06-30T23:59:59Z    # before July, tc under ta
	d C1 svc-c 2 2026-07-01T00:00:00Z    # July's first moment
	d C2 svc-c 3 2026-07-14T23:59:59Z    # tc's last second under ta
	d C3 svc-c 4 2026-07-15T00:00:00Z    # tc's first moment under tb
	d H1 svc-c 9 2026-07-31T23:00:00Z    # July's last hour: failed, the hotfix after July restores it
	d C4 svc-c 5 2026-08-01T00:00:00Z hotfix/refunds # after July
	d M1 svc-m 6 2026-07-19T23:59:59Z    # ta's last second owning svc-m
	d M2 svc-m 7 2026-07-20T00:00:00Z    # tb's first moment owning it
	d N1 svc-none 8 2026-07-10T12:00:00Z # a service of no team
} >deploys.csv
ok ingest --source deploys deploys.csv
n() { # scope from to
	ok dora $1 --from "$2" --to "$3" --json
	json '.keys.deployment_frequency.value.n'
}
counts() { # from to: each team's and the org's
	local t out=
	for t in root ta tb tc; do out="$out$t=$(n "--team $t" "$1" "$2") "; done
	echo "${out}org=$(n "" "$1" "$2")"
}
[ "$(counts 2026-07-01 2026-08-01)" = "root=6 ta=3 tb=3 tc=4 org=7" ] ||
	fail "July: $(counts 2026-07-01 2026-08-01)"
[ "$(counts 2026-07-15 2026-07-20)" = "root=2 ta=1 tb=1 tc=1 org=2" ] ||
	fail "July 15 to 20: $(counts 2026-07-15 2026-07-20)"
[ "$(counts 2026-06-30 2026-07-01)" = "root=1 ta=1 tb=0 tc=1 org=1" ] ||
	fail "June 30: $(counts 2026-06-30 2026-07-01)"
[ "$(counts 2026-08-01 2026-08-02)" = "root=1 ta=0 tb=1 tc=1 org=1" ] ||
	fail "August 1: $(counts 2026-08-01 2026-08-02)"
# The keys that reach past the period: H1, July's last hour, failed, and C4, the hotfix of
# August's first moment, restored it an hour later. July counts the failure and its
# recovery for the team that owned svc-c then (tc, under tb), not for ta.
failures() { # team
	ok dora ${1:+--team $1} --from 2026-07-01 --to 2026-08-01 --json
	json '"\(.keys.change_failure_rate.value.detail.numerator)/\(.keys.change_failure_rate.value.detail.denominator) \(.keys.recovery_time.value.n) \(.keys.recovery_time.value.value)"'
}
[ "$(failures tc)" = "1/4 1 1" ] || fail "tc's July failures: $(failures tc)"
[ "$(failures tb)" = "1/3 1 1" ] || fail "tb's July failures: $(failures tb)"
[ "$(failures ta)" = "0/3 0 null" ] || fail "ta's July failures: $(failures ta)"
[ "$(failures "")" = "1/7 1 1" ] || fail "the org's July failures: $(failures "")"

# The trend's weeks (Monday to Monday), each a period of its own.
weeks() {
	ok metrics show deployment_frequency --team "$1" --from 2026-06-29 --to 2026-08-03 --by week --json
	json '[.points[] | "\(.from[5:10])=\(.n)"] | join(" ")'
}
[ "$(weeks tb)" = "06-29=0 07-06=0 07-13=1 07-20=1 07-27=2" ] || fail "tb's weeks: $(weeks tb)"
[ "$(weeks ta)" = "06-29=2 07-06=0 07-13=2 07-20=0 07-27=0" ] || fail "ta's weeks: $(weeks ta)"

# A refresh of every team, in one batch: 90 days to August 1.
export PLUMB_NOW=2026-08-01T12:00:00Z
ok dashboard refresh
expect_out "dashboard refreshed for 4 teams"
ok dashboard --json
expect_json '[.teams[] | "\(.team)=\(.keys.deployment_frequency.n)"] | join(" ")' \
	"root=8 ta=4 tb=4 tc=6"
