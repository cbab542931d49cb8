# Help is generated from the command tables: general help, per-command help both ways, and --version.
ok help
expect_out "usage: plumb [--db PATH] [--as USER] COMMAND"
for c in init backup demo "org import" "org show" "org tree" "person show" "person list" \
	"identity resolve" "service set" "service list" "user add" "user list" "audit log" \
	"audit verify" "audit checkpoint"; do
	expect_out "  $c "
done
expect_out "exit status: 0 ok, 1 failed, 2 usage error, 3 refused by policy or permission, 4 not found, 5 conflict"
expect_out "75 the database was busy or in a conflict: try again"
[ -s "$T/err" ] && fail "help wrote to stderr"
# The summaries start in one column: a command name too long for it ends its line, and its
# summary starts the next (found walking the README: "calibrate session create create a
# calibration session ...", "mechanism revoke-approval end a mechanism's approval").
python3 - "$T/out" <<'PY' || fail "a summary out of its column (above)"
import sys
lines = open(sys.argv[1]).read().split('\n')
cmds = lines[lines.index('commands:') + 1:]
cmds = cmds[:cmds.index('')]
bad = False
for i, line in enumerate(cmds):
    if line.startswith(' ' * 23):  # a summary under a long name
        ok = i > 0 and len(cmds[i - 1]) > 22 and not cmds[i - 1].startswith(' ' * 3)
    elif i + 1 < len(cmds) and cmds[i + 1].startswith(' ' * 23):  # a long name alone
        ok = len(line) > 22
    else:  # a name and its summary from column 24, the name ending before it
        ok = len(line) > 23 and line[22] == ' ' and line[23] != ' '
    if not ok:
        print(line)
        bad = True
sys.exit(bad)
PY
grep -A1 -x '  calibrate session create' "$T/out" | tail -1 | grep -qx ' \{23\}create a calibration session over a cycle.s teams' ||
	fail "calibrate session create's summary: $(grep -A1 'calibrate session create' "$T/out")"

ok help org import
expect_out "usage: plumb org import FILE [--effective DATE] [--full] [--dry-run] [--format FORMAT] [--json]"
expect_out "--effective DATE"
expect_out "--full"
expect_out "--dry-run"
expect_out "--format FORMAT"
expect_out "operation: org.import (needs admin, audited write)"
expect_no_out "--csv"          # org import has no CSV output, so help does not offer it
cp "$T/out" "$T/help-words"

ok org import --help
cmp -s "$T/out" "$T/help-words" || fail "'plumb org import --help' differs from 'plumb help org import'"

ok help person list
expect_out "[--json] [--csv]"
expect_out "shows only the people your roles cover"
ok help org show
expect_out "any user"
ok help org
expect_out "org import"
expect_out "org tree"
ok org --help
expect_out "org show"
# A two-word group, both ways, lists its commands only; an unknown command in it is named
# with the group's commands.
ok help calibrate session
expect_out "usage: plumb calibrate session COMMAND [ARGS]"
expect_out "  calibrate session open"
expect_no_out "calibrate mark"
cp "$T/out" "$T/help-group"
ok calibrate session --help
cmp -s "$T/out" "$T/help-group" || fail "'plumb calibrate session --help' differs from 'plumb help calibrate session'"
run calibrate session frob
expect_status 2
expect_err "unknown command 'plumb calibrate session frob'"
expect_err "detail: 'plumb calibrate session' takes one of: create, list, status, open, close"
# A group alone asks for a subcommand and lists the group's commands as help does (exit 2).
for group in metrics calibrate "calibrate session"; do
	# shellcheck disable=SC2086 # a group of one or two words
	run $group
	expect_status 2
	expect_err "plumb: error: plumb $group needs a subcommand"
	expect_err "usage: plumb $group COMMAND [ARGS]"
	! grep -q "unknown command" "$T/err" || fail "'plumb $group' called an unknown command"
	[ ! -s "$T/out" ] || fail "'plumb $group' wrote to stdout"
done
expect_err "  calibrate session open"
run metrics
expect_err "  metrics show "

# "(required)" and "(repeatable)" come from the option's flags, once; the usage line lists
# the options after the synopsis, and an option that goes alone on a line of its own (found
# by an acceptance test: "(repeatable) (repeatable)", and --file twice in service map's
# usage).
ok source add --help
expect_out "  --repo OWNER/NAME        github: a repository (repeatable)"
expect_no_out "(repeatable) (repeatable)"
ok cycle create --help
expect_out "reviewed (required) (repeatable)"
expect_no_out "repeatable (required)"
# Options the command itself requires, for a message of its own, are shown required too (found
# walking the docs: calibrate change's usage bracketed --reason and --evidence, which the page
# and the command require).
ok calibrate change --help
expect_out "usage: plumb calibrate change --session SESSION --person EMPLOYEE_ID --dimension COMPETENCY --rating N --reason TEXT --evidence KIND:REF"
expect_out "  --reason TEXT            why (required)"
expect_no_out "(required) (required)"
ok service map --help
expect_out "usage: plumb service map SERVICE [--repo OWNER/NAME] [--path PREFIX] [--job NAME] [--pagerduty ID] [--jira-project KEY]"
expect_out "       plumb service map --file FILE"
[ "$(grep -c -- "--file FILE" "$T/out")" = 2 ] || fail "service map help names --file FILE other than in its usage line and option"
# ingest's help lists the formats from the parsers' table: every one docs/cli.md lists,
# with its source kind.
ok ingest --help
expect_out "formats (--format):"
formats=$(awk '/^\| format \| source kind \|/ { t = 1; next } t && !/^\|/ { t = 0 }
	t && /^\| `/ { split($0, c, "|"); gsub(/[` ]/, "", c[2]); gsub(/ /, "", c[3]); print c[2], c[3] }' "$ROOT/docs/cli.md")
[ "$(echo "$formats" | wc -l)" -ge 14 ] || fail "docs/cli.md's format table not found: $formats"
while read -r format kind; do
	grep -qE "^  $format +$kind " "$T/out" || fail "ingest --help does not list $format ($kind)"
done <<<"$formats"

# Every command the general help lists: its help both ways, exit 0 with its usage on stdout
# and nothing on stderr; a plain read (an operation that is not audited) offers --json; and
# docs/cli.md has a section for it ("## plumb NAME", or named in a heading of several).  A
# new command without them fails here (found by a conformance hunt: signoff reject had no
# heading of its own).  Names are padded to 20 columns; a longer one is alone on its line,
# its summary on the next.
ok help
commands=$(awk -v pad="                       " '/^commands:$/ { c = 1; next } c && /^$/ { exit } c { line[++n] = $0 }
	END { for (i = 1; i <= n; i++) {
		if (substr(line[i], 1, 23) == pad || line[i] ~ /^  help /) continue
		s = substr(line[i], 3)
		name = i < n && substr(line[i + 1], 1, 23) == pad ? s : substr(s, 1, 20)
		sub(/ +$/, "", name); print name } }' "$T/out")
[ "$(echo "$commands" | wc -l)" -ge 130 ] || fail "too few commands read from plumb help: $commands"
headings=$(sed -n 's/^## plumb //p' "$ROOT/docs/cli.md" | sed 's/, plumb /\n/g')
while IFS= read -r c; do
	# shellcheck disable=SC2086 # a command of one to three words
	ok $c --help
	[ -s "$T/err" ] && fail "'plumb $c --help' wrote to stderr"
	head -1 "$T/out" | grep -qF "usage: plumb $c" || fail "'plumb $c --help' does not start with its usage"
	if ! grep -q '^operation: .*audited' "$T/out"; then
		head -1 "$T/out" | grep -qF -- "[--json]" || fail "read command '$c' offers no --json"
	fi
	cp "$T/out" "$T/help-flag"
	cat "$T/out" >>"$T/help-all"
	# shellcheck disable=SC2086
	ok help $c
	cmp -s "$T/out" "$T/help-flag" || fail "'plumb help $c' differs from 'plumb $c --help'"
	printf '%b\n' "$headings" | grep -qxF -- "$c" || fail "docs/cli.md has no section for 'plumb $c'"
done <<<"$commands"
# Each option's description starts in one column, 27: an option whose name and argument run
# past it ends its line, and its description starts the next (found walking the docs:
# "--decision approve|decline the manager's decision" read "the" as part of the argument).
python3 - "$T/help-all" <<'PY' || fail "an option's description out of its column (above)"
import sys
lines = open(sys.argv[1]).read().split('\n')
bad = False
for i, line in enumerate(lines):
    if not line.startswith('  --'):
        continue
    if len(line) > 27 and line[26] == ' ' and line[27] != ' ':
        continue  # the option, padded, then its description
    nxt = lines[i + 1] if i + 1 < len(lines) else ''
    if len(line[2:].split()) <= 2 and nxt.startswith(' ' * 27) and nxt[27:28] not in ('', ' '):
        continue  # a long option alone, its description under the column
    print(line)
    bad = True
sys.exit(bad)
PY

ok --version
expect_out "plumb 0.1.0"
expect_out_lines 1

# help needs no database: nothing was created.
[ -e "$PLUMB_DB" ] && fail "help created a database"
true
