# Who may change the career framework: admins and people partners import; employees and
# managers are refused (exit 3, audited, nothing stored); everyone may read it.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok user add --person M001 --role manager
ok user add --person E104 --role people-partner
ok user add --person E202 --role people-partner:search
for f in reviews-given prs-merged; do ok metrics define "$ROOT/examples/metrics/$f.yaml"; done
ok metrics approve reviews_given --version 1 --function development
ok metrics approve prs_merged --version 1 --function development
cp "$ROOT/examples/framework.yaml" fw.yaml

# A people partner of one unit may not change what applies to everyone.
for who in E201 M001 E202; do
	run --as "$who" framework import fw.yaml
	expect_status 3
	expect_err "plumb: error: $who may not import a career framework"
	expect_err "hint: admins and company-wide people partners import frameworks"
	[ "$(sql "SELECT COUNT(*) FROM frameworks")" = 0 ] || fail "$who imported a framework"
	[ "$(sql "SELECT action || ' ' || object_type || ':' || object_id FROM audit_log ORDER BY seq DESC LIMIT 1")" = \
		"access.denied op:framework.import" ] || fail "the refusal of $who was not audited"
done

ok --as E104 framework import fw.yaml
expect_out "framework version 1 imported"
[ "$(sql "SELECT version || ' ' || imported_by FROM frameworks")" = "1 E104" ] || fail "the people partner's import is not recorded as theirs"

for who in E201 M001 E104; do
	ok --as "$who" framework show --json
	expect_json .version 1
	expect_json '.profiles | length' 6
	ok --as "$who" framework export
	cmp -s "$T/out" fw.yaml || fail "$who got another text from export"
done
ok --as E201 framework diff 1 1
expect_out "say the same"
