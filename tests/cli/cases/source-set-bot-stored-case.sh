# A bot a source holds from before the GitHub login rule (docs/cli.md, source add --bot) is
# not checked again, in whatever case it is given, as bots are compared: listed again in
# another case beside a new bot it is kept, where it was refused as if new (found in session
# 52). One not held is refused as before, and nothing is stored.
init_db
ok source add github --name gh --repo acme/widgets --bot release-robot
# As an earlier plumb stored it, outside the rule.
sql "UPDATE sources SET config = replace(config, 'release-robot', 'Release.Robot') WHERE name = 'gh'" >/dev/null
ok source list --json
expect_json '.[0].config.bots | join(",")' "Release.Robot"
ok source set gh --bot release.robot --bot ci-robot
ok source list --json
expect_json '.[0].config.bots | join(",")' "release.robot,ci-robot"
before=$(counts)
run source set gh --bot other.robot
expect_status 2
expect_err "--bot 'other.robot': expected a GitHub login"
expect_counts "$before"
