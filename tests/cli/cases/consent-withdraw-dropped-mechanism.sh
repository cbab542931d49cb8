# A consent given under one policy version stays the person's to withdraw after a newer version
# drops the mechanism: a later version that declares the key again must not find the old
# grant still current. A withdrawal of a key the person never consented to, and a grant of a
# key the policy does not declare, are still refused (exit 4), writing nothing. (Found in
# session 40: the withdrawal was refused as an unknown mechanism, and re-declaring it revived
# the grant, so the person's deployments were collected again.)
init_db
ok org import "$FIXTURES/org-small.csv"
policy() { # NAME [with]: the policy, with delivery_pipeline when asked
	cat >"$T/policy.yaml" <<-YAML
		name: $1
		mechanisms:
		  - key: commit_metadata
		    name: Commits
		    purpose: Lead time.
		    categories: [events]
		    event_kinds: [commit]
		    enabled: true
	YAML
	[ "${2:-}" = with ] && cat >>"$T/policy.yaml" <<-'YAML'
		  - key: delivery_pipeline
		    name: Deployments
		    purpose: Change failure rate.
		    categories: [events]
		    event_kinds: [deployment]
		    enabled: true
		    consent: required
		    without_consent: skip
	YAML
	policy_retention >>"$T/policy.yaml"
}
policy v1 with
ok policy import policy.yaml
ok user add --person E101 --role employee
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101
ok --as E101 consent grant --mechanism delivery_pipeline
policy v2
ok policy import policy.yaml

# Refusals write nothing (but their audit entry: each command --as another user is).
consents="SELECT COUNT(*) FROM consents"
run --as E101 consent grant --mechanism delivery_pipeline
expect_status 4
expect_err "no mechanism 'delivery_pipeline' in the policy in force"
run --as E101 consent withdraw --mechanism calendar_data
expect_status 4
expect_err "no mechanism 'calendar_data' in the policy in force"
[ "$(sql "$consents")" = 1 ] || fail "a refusal wrote a consent record"

ok --as E101 consent withdraw --mechanism delivery_pipeline --json
expect_json '"\(.consent.mechanism) \(.consent.state) \(.consent.current)"' "delivery_pipeline withdrawn true"
ok --as E101 consent list --json
expect_json 'map(select(.current)) | map(.mechanism + " " + .state) | join(",")' "delivery_pipeline withdrawn"
ok audit log --json --object person:E101
expect_json '[.[] | select(.action == "consent.withdraw")][0].detail | "\(.mechanism) \(.in_policy)"' "delivery_pipeline false"

# Declared again, the mechanism finds the withdrawal, not the old grant.
policy v3 with
ok policy import policy.yaml
printf 'id,service,environment,sha,ref,started,finished,status,actor\nD1,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,2024-05-03T14:06:00Z,success,lschmidt\n' >d1.csv
ok ingest --source deploys d1.csv --json
expect_json .skipped 1
[ "$(sql "SELECT COUNT(*) FROM events WHERE kind = 'deployment'")" = 0 ] || fail "a deployment was kept after the withdrawal"
ok --as E101 me --json
expect_json '.mechanisms | map(select(.key == "delivery_pipeline")) | .[0].status' "not collected: needs your consent"
ok audit verify
