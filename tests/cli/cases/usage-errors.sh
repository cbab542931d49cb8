# Usage errors exit 2 with 'plumb: error:' and a hint: unknown command or option, --json/--csv where not offered, no command.
run frobnicate
expect_status 2
expect_err "plumb: error: unknown command 'frobnicate'"
expect_err "hint: run 'plumb help' for the list of commands"
[ -s "$T/out" ] && fail "error wrote to stdout"

run org frob
expect_status 2
expect_err "unknown command 'plumb org frob'"
expect_err "detail: 'plumb org' takes one of: import, show, tree"

run help nosuch
expect_status 2
expect_err "unknown command 'nosuch'"

ok init >/dev/null
run org show --bogus
expect_status 2
expect_err "plumb: error: unknown option --bogus for 'plumb org show'"
expect_err "hint: run 'plumb org show --help'"

run person list -v
expect_status 2
expect_err "unknown option -v"
expect_err "two dashes"

run init --json
expect_status 2
expect_err "plumb: error: 'plumb init' has no --json output"

run org show --csv
expect_status 2
expect_err "'plumb org show' has no --csv output"

run person list --json --csv
expect_status 2
expect_err "choose one of --json and --csv"

run person show
expect_status 2
expect_err "'plumb person show' needs EMPLOYEE_ID"

run person show E1 E2
expect_status 2
expect_err "unexpected argument 'E2'"
expect_err "hint: usage: plumb person show EMPLOYEE_ID"
# A command that takes no argument: its usage without a trailing space.
run sync --status gh
expect_status 2
grep -qx "hint: usage: plumb sync --status" "$T/err" || fail "the usage hint: $(tail -1 "$T/err" | cat -A)"

run org import
expect_status 2

run user add --person E1
expect_status 2
expect_err "needs --role"

run audit log --limit
expect_status 2
expect_err "option --limit needs a value"

run audit log --limit 0
expect_status 2
expect_err "--limit: '0' is not a number"

run audit log --object person
expect_status 2
expect_err "--object: 'person' is not TYPE:ID"

run org import --full=yes x.csv
expect_status 2
expect_err "option --full takes no value"

run
expect_status 2
expect_err "plumb: error: no command given"
[ -s "$T/out" ] && fail "no command: usage belongs on stderr"
expect_err "usage: plumb"

# None of this touched the database beyond init.
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = 1 ] || fail "a usage error was audited or wrote"
# A global option that chooses who or where may be given once only.
run --as E1 --as E2 org show
expect_status 2
expect_err "option --as given more than once"
run --db a.db --db b.db org show
expect_status 2
expect_err "option --db given more than once"
# The global flags too are given once, without a value; an empty user, key or database
# names nothing; an option before any command is named, not taken for a missing command.
for flag in --json --csv --help; do
	run org show $flag $flag
	expect_status 2
	expect_err "plumb: error: option $flag given more than once"
	run org show $flag=yes
	expect_status 2
	expect_err "plumb: error: option $flag takes no value"
done
run org show -h --help
expect_status 2
expect_err "option --help given more than once"
for opt in --db --as --audit-key; do
	run "$opt=" org show
	expect_status 2
	expect_err "plumb: error: option $opt needs a value, not an empty one"
	run "$opt" "" org show
	expect_status 2
	expect_err "option $opt needs a value"
done
for opt in -x --bogus; do
	run $opt org show
	expect_status 2
	expect_err "plumb: error: unknown option $opt"
	expect_err "hint: run 'plumb help'"
	grep -q "^usage: plumb" "$T/err" && fail "an unknown leading option printed the whole help"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = 1 ] || fail "a global option's usage error was audited or wrote"
# Arguments are UTF-8 text: other bytes reached the audit log as they were, and PostgreSQL
# refuses them (the command there, and db copy of such a SQLite file there, failed).
printf 'employee_id,name\n' >$'caf\xe9.csv'
for args in "person show E\xff|3|it reads 'E\\xff'" \
	"--as E\xff person show E1|2|it follows --as and reads 'E\\xff'" \
	"identity resolve github x\xffy|4|it reads 'x\\xffy'" \
	"org import caf\xe9.csv|3|it reads 'caf\\xe9.csv'" \
	"ingest --source=x\xff caf\xe9.csv|2|it reads '--source=x\\xff'" \
	"--db=x\xff.db person list|1|it reads '--db=x\\xff.db'"; do
	IFS='|' read -r line n detail <<<"$args"
	read -ra words <<<"$(printf '%b' "$line")"
	run "${words[@]}"
	expect_status 2
	expect_err "plumb: error: argument $n is not UTF-8 text"
	expect_err "detail: $detail"
	expect_err "hint: give names, ids and file names in UTF-8"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = 1 ] || fail "an argument that is not UTF-8 was audited"
[ -z "$(find . -name 'x*.db')" ] || fail "a database named by bytes that are not UTF-8 was made"
# --json where only text is printed: help is refused (it printed the text and exited 0, found
# in review); --version prints JSON.
for args in "help --json" "help org show --json" "org show --help --json"; do
	# shellcheck disable=SC2086 # $args is the words
	run $args
	expect_status 2
	expect_err "help has no --json output"
	[ -s "$T/out" ] && fail "'plumb $args' printed on stdout: $(head -2 "$T/out")"
done
ok --version --json
expect_json .version "$("$PLUMB" --version | cut -d' ' -f2)"
