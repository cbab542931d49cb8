# A read answered from a stored value writes nothing, and is recorded with --as all the same,
# as every --as read is (found in review: a reused value left no entry, so a manager could
# read one person's figures, or a team's keys, unrecorded). Without --as, still no entry.
demo_db
me=$(id -un)
q() { sql "SELECT $1 FROM audit_log WHERE $2 ORDER BY seq" | paste -sd, -; }
ok metrics show reviews_given --person E021 --json
ok dora --team payments --json
n0=$(sql "SELECT MAX(seq) FROM audit_log")
for i in 1 2; do
	ok --as E005 metrics show reviews_given --person E021 --json
	expect_json .reused true
	ok --as E005 dora --team payments --json
done
[ "$(q "actor || '/' || os_user || '/' || action" "seq > $n0")" = \
	"E005/$me/metric.compute,E005/$me/dora.compute,E005/$me/metric.compute,E005/$me/dora.compute" ] ||
	fail "reused reads with --as: $(q "actor || '/' || action" "seq > $n0")"
n1=$(sql "SELECT MAX(seq) FROM audit_log")
ok metrics show reviews_given --person E021 --json
expect_json .reused true
ok dora --team payments --json
[ "$(sql "SELECT MAX(seq) FROM audit_log")" = "$n1" ] || fail "a reused read without --as left an entry"
ok audit verify
