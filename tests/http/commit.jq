# commit(SHA; DATE; PARENTS): the template commit (the second of a commits page of
# acme/widgets, the input) as SHA, authored and committed at DATE, with the PARENTS' shas.
# For the sync cases that build compares and merges: jq -L "$ROOT/tests/http" 'include "commit"; ...'
def commit($sha; $date; $parents): .[1] | .sha = $sha | .url = "https://api.github.com/repos/acme/widgets/commits/\($sha)" |
	.html_url = "https://github.com/acme/widgets/commit/\($sha)" | .commit.author.date = $date |
	.commit.committer.date = $date | .commit.message = "commit \($sha[0:4])" |
	.parents = [$parents[] | {sha: ., url: "https://api.github.com/repos/acme/widgets/commits/\(.)"}];
