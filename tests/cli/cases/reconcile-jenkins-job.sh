# A Jenkins build whose url names no job is keyed by the source's --job. After `source set
# --job`, reconcile re-parses its raw payload under the new job, but the event kept the key it
# was stored under: reconcile matches it by payload and build number, not by the job now
# (found in review: two false mismatches, exit 1, for data nothing had touched).
init_db
ok source add jenkins --name jk --url https://ci.example.com --job app/build
jq '.url = null' "$FIXTURES/jenkins/build-git-changeset.json" >"$T/build.json"
ok ingest --source jk "$T/build.json"
ok events list --kind ci_run --json
expect_json '.[0].external_id' "app/build#42"
ok reconcile jk
ok source set jk --job other/job
ok reconcile jk --json
expect_json '.sources[0].mismatches' 0
# Still a check: the event gone is the build's record in the payload but not in events.
sql "DELETE FROM events WHERE kind = 'ci_run'"
run reconcile jk
expect_status 1
expect_out "ci_run other/job#42 is in a raw payload but not in events"
