# The framework's two evidence metrics (examples/metrics/reviews-given.yaml and
# prs-merged.yaml) become active with the development function's approval and count one
# person's own events: the reviews they submitted, the pull requests they authored that
# were merged.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101
ok identity link github bob --person E201
ok identity link github carol --person E202
for f in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$f.yaml"; done
ok metrics approve reviews_given --version 1 --function development
expect_out "reviews_given version 1 approved by development: now active"
ok metrics approve prs_merged --version 1 --function development
expect_out "prs_merged version 1 approved by development: now active"
for key in reviews_given prs_merged; do
	ok metrics show-def "$key" --json
	expect_json '"\(.status) \(.scopes | sort | join(",")) \(.audiences | sort | join(",")) \(.incentive_linked)"' \
		"active individual,team individual,team false"
done

show() { # KEY PERSON: "VALUE N" over March 2024
	ok metrics show "$1" --person "$2" --from 2024-03-01 --to 2024-04-01 --json
	json '"\(.value.value) \(.value.n)"'
}
# reviews.json: bob requested changes and approved #101; carol commented on it and has a
# pending (unsubmitted) review, which is not counted; alice reviewed nothing.
[ "$(show reviews_given E201)" = "2 2" ] || fail "bob's reviews: $(show reviews_given E201)"
[ "$(show reviews_given E202)" = "1 1" ] || fail "carol's reviews: $(show reviews_given E202)"
[ "$(show reviews_given E101)" = "0 0" ] || fail "alice's reviews: $(show reviews_given E101)"
# pulls.json: alice's #101 was merged; bob's #102 closed unmerged; carol's #103 is open.
[ "$(show prs_merged E101)" = "1 1" ] || fail "alice's merged pull requests: $(show prs_merged E101)"
[ "$(show prs_merged E201)" = "0 0" ] || fail "bob's merged pull requests: $(show prs_merged E201)"
[ "$(show prs_merged E202)" = "0 0" ] || fail "carol's merged pull requests: $(show prs_merged E202)"
