# README.md's commands, run as a new user runs them: `make run` (scripts/demo itself, with
# PLUMB_DEMO_SERVE=0, from a stand-in for a clone whose ./plumb is the binary under test),
# then every `./plumb` line of README.md's ```sh blocks, in order, from that clone's root, so
# a renamed flag or a changed demo cannot leave the README wrong unseen. The lines are read
# from README.md here, so one added later runs too. Each must exit 0, or the status its
# comment gives ("refused (exit 3)"); where a comment states a fact the demo makes true
# (which raters are lenient and which severe, peer feedback withheld, the contractors'
# accounts) or a command promises a shape (--limit N rows, --output FILE, a `| jq -r` of
# its --json), that is checked too. `metric-value:ID` is an id from `dora --json`, as the
# README's comment says. The sign-ins README.md says make run prints are those it printed.
# The lines without --db are the reader's own organization's ("Your own organization", the
# webhooks; `help` and `calibrate reliability` need no database): they run on a copy of the
# demo as scripts/demo left it (an organization with teams, services and ingested data, as
# theirs is after a sync). Left out, and said so in
# the trace: a line run with VAR=... (GITHUB_TOKEN, GH_HOOK_SECRET: a real credential and
# GitHub over the network), a line of the reader's own files that the repository does not
# have (people.csv, mappings.yaml, slos.yaml), `serve` (runs until stopped), and a block
# that names a postgres:// URL (the reader's PostgreSQL server). A `--db` other than
# demo.db fails the case: this case does not know that database.
sqlite_only "make run is SQLite"
command -v python3 >/dev/null || skip "no python3 to read README.md's sh blocks"

# A clone as scripts/demo sees it (it runs ./plumb and reads examples/ from its parent
# directory): ./plumb is the binary under test; the README's fixtures are reached as there.
clone=$T/clone
mkdir -p "$clone/scripts" || fail "could not make $clone"
ln -s "$PLUMB" "$clone/plumb"
ln -s "$ROOT/scripts/demo" "$clone/scripts/demo"
for d in examples tests docs; do ln -s "$ROOT/$d" "$clone/$d"; done

# `make run`, stopped before it serves, exactly as it runs: no variable of the caller's.
echo "+ PLUMB_DEMO_SERVE=0 scripts/demo" >&2
started=$SECONDS
(
	unset PLUMB_LISTEN PLUMB_DEMO_PASSWORD PLUMB_DB
	PLUMB_DEMO_SERVE=0 PLUMB_DEMO_DB=$clone/demo.db "$clone/scripts/demo"
) >"$T/out" 2>"$T/err" </dev/null
status=$?
if sanitizer_report "$T/err"; then fail "sanitizer report from scripts/demo"; fi
[ "$status" -eq 0 ] || fail "scripts/demo exited $status"
echo "+ scripts/demo took $((SECONDS - started)) s" >&2
cp "$T/out" "$T/demo.out"

# The sign-ins README.md says `make run` ends by printing, and its password, are those it
# printed.
readme_signins=$(python3 - "$ROOT/README.md" <<-'PY'
	import re, sys
	text = open(sys.argv[1]).read()
	m = re.search(r'ends by printing the demo sign-ins \(password `([^`]+)`\):(.*?)Open', text, re.S)
	if m:
	    print(m.group(1), ' '.join(sorted(re.findall(r'`([^`]+)`', m.group(2)))))
	PY
)
[ -n "$readme_signins" ] || fail "README.md no longer says which sign-ins make run prints"
demo_signins=$(awk '/^== demo sign-ins at .*\(password: / { p = 1; sub(/.*\(password: /, ""); sub(/\)$/, ""); pw = $0; next }
	p && /^  / { print $1 }' "$T/demo.out" | sort | tr '\n' ' ')
demo_pw=$(sed -n 's/^== demo sign-ins at .*(password: \(.*\))$/\1/p' "$T/demo.out")
[ "$readme_signins" = "$demo_pw ${demo_signins% }" ] ||
	fail "README.md says make run prints sign-ins (password, names) '$readme_signins'; it printed '$demo_pw ${demo_signins% }'"

# The review cycles' commands README.md lists are those `make run` prints to try (found
# walking the README: evaluation list was added to one and not the other).
python3 - "$ROOT/README.md" "$T/demo.out" <<-'PY' || fail "README.md's review cycle commands differ from those make run prints (above)"
	import re, sys
	norm = lambda line: ' '.join(line.split('#')[0].split())
	readme = open(sys.argv[1]).read()
	block = re.search(r'Review cycles \(.*?```sh\n(.*?)```', readme, re.S).group(1)
	want = [norm(l) for l in block.splitlines() if l.startswith('./plumb ')]
	printed = open(sys.argv[2]).read()
	tries = printed[printed.index('== review cycles:'):].split('\n\n')[0].splitlines()[1:]
	got = [re.sub(r'--db \S+', '--db demo.db', norm(l)) for l in tries]  # PLUMB_DEMO_DB here
	if not want or want != got:
	    print('README.md:', *want, 'make run:', *got, sep='\n  ')
	    sys.exit(1)
	PY

# The reader's own organization: a copy of the demo as scripts/demo left it.
cp "$clone/demo.db" "$PLUMB_DB" || fail "could not copy demo.db"
[ ! -f "$clone/demo.db-wal" ] || cp "$clone/demo.db-wal" "$PLUMB_DB-wal" || fail "could not copy demo.db's WAL"

# One line per command, fields joined by \x1f: README line, where it runs (demo, own, or
# "left out: REASON"), its comment, the jq filter a `| jq -r` gives it, then its arguments
# after ./plumb.
python3 - "$ROOT/README.md" "$clone" >"$T/commands" <<-'PY' || fail "could not read README.md's commands"
	import os, re, shlex, sys
	readme, clone = sys.argv[1], sys.argv[2]
	blocks, block, insh = [], None, False
	for n, line in enumerate(open(readme).read().split('\n'), 1):
	    if line.startswith('```'):
	        if block is not None:
	            blocks.append(block)
	        insh = block is None and line.strip() == '```sh'
	        block = [] if insh else None
	        continue
	    if insh:
	        block.append((n, line))
	def comment_of(line, args):
	    for m in re.finditer(r'\s#', line):
	        try:
	            if shlex.split(line[:m.start()]) == args:
	                return line[m.end():].strip()
	        except ValueError:
	            pass
	    return ''
	for block in blocks:
	    postgres = any('postgres://' in l for _, l in block)
	    for n, line in block:
	        jq = ''
	        sub = re.match(r'^[A-Za-z_]\w*=\$\((\./plumb .*?)\s*\|\s*jq -r (\S+)\)\s*$', line)
	        env = re.match(r'^(?:[A-Za-z_]\w*=\S*\s+)+\./plumb\s', line)
	        if sub:
	            cmd, jq = sub.group(1), sub.group(2)
	        elif env or line.startswith('./plumb '):
	            cmd = line[line.index('./plumb '):]
	        else:
	            continue
	        args = shlex.split(cmd, comments=True)[1:]
	        comment = comment_of(cmd, ['./plumb'] + args)
	        db = args[args.index('--db') + 1] if '--db' in args[:-1] else None
	        where = 'demo' if db == 'demo.db' else 'own' if db is None else 'db ' + db
	        if postgres:
	            where = 'left out: the reader\'s PostgreSQL server'
	        elif env:
	            where = 'left out: %s, a real credential and the network' % env.group(0).split('=')[0]
	        elif 'serve' in args:
	            where = 'left out: serve runs until stopped'
	        elif where == 'own':
	            files = [a for a in args if re.search(r'\.(csv|ya?ml|json)$', a) or a.endswith('/')]
	            missing = [f for f in files if not os.path.exists(os.path.join(clone, f))]
	            if missing:
	                where = 'left out: the reader\'s own ' + ', '.join(missing)
	        print('\x1f'.join([str(n), where, comment, jq] + args))
	PY

ran=0 on_demo=0
# As of the demo's today, 2026-11-01: lib.sh pins the week its data ends in
# (PLUMB_DEMO_AS_OF, the demo README.md describes), and a reader who runs make run looks at it
# in that week, so the default windows (dora, dashboard, metrics show) hold its data whatever
# the day the suite runs (docs/cli.md, plumb demo: "Set PLUMB_NOW to the Sunday").
export PLUMB_NOW=2026-11-01
# The commands read from fd 3: none of them reads README's list as its stdin.
cd "$clone" || fail "no $clone"
while IFS=$'\x1f' read -r -u 3 -a f; do
	line=${f[0]} where=${f[1]} comment=${f[2]} filter=${f[3]}
	args=("${f[@]:4}")
	case $where in
	"left out: "*) echo "+ README.md:$line ${where}: ./plumb ${args[*]}" >&2; continue ;;
	"db "*) fail "README.md:$line runs ./plumb on ${where#db }: this case runs demo.db (make run's) and, without --db, the reader's own" ;;
	own) ;; # PLUMB_DB: the copy above
	demo) on_demo=$((on_demo + 1)) ;;
	esac
	# The README's placeholder: an id from dora's output.
	for i in "${!args[@]}"; do
		if [ "${args[i]}" = "metric-value:ID" ]; then
			ok --db demo.db dora --json
			args[i]=$(json '.keys.lead_time.value.id')
			[[ ${args[i]} == metric-value:[0-9]* ]] || fail "dora --json gave no lead_time value id"
		fi
	done
	echo "+ README.md:$line" >&2
	run "${args[@]}"
	want=0
	[[ $comment =~ exit\ ([0-9]+) ]] && want=${BASH_REMATCH[1]}
	[ "$status" -eq "$want" ] ||
		fail "README.md:$line: expected exit $want from './plumb ${args[*]}' ($comment), got $status"
	ran=$((ran + 1))

	# What the comment says, where the demo makes it true.
	[[ $comment != *refused* ]] || expect_err "refused"
	[[ $comment != *"peer feedback withheld"* ]] || expect_out "peer feedback: withheld"
	[[ $comment != *"deployments and commits"* ]] || { expect_out "deployment "; expect_out " commits "; }
	if [[ $comment =~ (E[0-9]+(,\ E[0-9]+)*)\ lenient\;\ (E[0-9]+(,\ E[0-9]+)*)\ severe ]]; then
		lenient=$(echo "${BASH_REMATCH[1]}" | tr -d ' ' | tr ',' '\n' | sort | paste -sd,)
		severe=$(echo "${BASH_REMATCH[3]}" | tr -d ' ' | tr ',' '\n' | sort | paste -sd,)
		run "${args[@]}" --json
		expect_status 0
		expect_json '[.raters[] | select(.flagged and .direction == "lenient") | .rater] | sort | join(",")' "$lenient"
		expect_json '[.raters[] | select(.flagged and .direction == "severe") | .rater] | sort | join(",")' "$severe"
	fi
	if [[ $comment == *"contractors' accounts"* ]]; then
		# Nobody on the payroll (their addresses are @example.com) and no bot.
		run "${args[@]}" --json
		expect_status 0
		expect_json 'length > 0 and all(.[]; (.bot | not) and (.email | endswith("@example.com") | not))' true
	fi
	# What the command's own flags promise.
	for i in "${!args[@]}"; do
		case ${args[i]} in
		--limit)
			n=${args[i + 1]}
			rows=$(($(wc -l <"$T/out") - 1))
			if [ "$rows" -lt 1 ] || [ "$rows" -gt "$n" ]; then fail "README.md:$line: --limit $n printed $rows rows"; fi
			;;
		--output) jq -e . "${args[i + 1]}" >/dev/null || fail "README.md:$line: ${args[i + 1]} is not the JSON written" ;;
		esac
	done
	if [ -n "$filter" ]; then
		jq -er "$filter" "$T/out" >/dev/null || fail "README.md:$line: '| jq -r $filter' finds nothing in its output"
	fi
done 3<"$T/commands"

echo "+ ran $ran of README.md's commands, $on_demo on demo.db" >&2
# Never a pass on a README or a parser that lost its commands.
[ "$on_demo" -ge 25 ] || fail "only $on_demo commands on demo.db read from README.md's sh blocks"
