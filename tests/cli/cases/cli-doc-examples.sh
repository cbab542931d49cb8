# A few of docs/cli.md's examples, run on the demo as the page says they were made
# (plumb demo of the week of 2026-11-01, review cycles and all, looked at on 2026-11-28),
# must print what the page shows: the text, CSV and JSON of org tree, person show and list,
# identity resolve and its refusals, org show on an earlier day and service unowned (found
# walking the docs: its example named events after the demo's data ends); then, in the page's
# metric sections, dora for team payments in October 2026, metrics show of the lead time
# it stored (the same value id) and of pull request cycle time, explain of that lead time,
# and metrics show --person's refusal. They run in this order on one database, as a user
# copying them would: the value ids (101 on, after the review cycles' 100) depend on it.
# Examples are checked whole (each command's stdout and stderr together as the page shows
# them, trailing spaces and CSV's CR aside), but for explain's, which the page trims: there
# a line `...` stands for any lines and `...` in a line for any text. The records' files
# are named as the page's demo.db names them (demo-data/...), wherever this database's
# demo wrote them. The commands are read from the page, so an example rewritten there is
# checked as written.
# A change that makes one of them wrong fails here: fix the page with it.
command -v python3 >/dev/null || skip "no python3 to read docs/cli.md"
demo_db

python3 - "$ROOT/docs/cli.md" "$T/examples" <<-'PY' || fail "could not read docs/cli.md's examples"
	import os, sys
	wanted = [
	    "plumb org tree platform",
	    "plumb org tree platform --csv",
	    "plumb org tree identity --json",
	    "plumb person show E026",
	    "plumb person show E026 --json",
	    "plumb person list --team identity",
	    "plumb --as E085 person show E012",
	    "plumb identity resolve github nobody",
	    "plumb identity resolve github ryanobrien91 --json | jq -c '{employee_id, team}'",
	    "PLUMB_NOW=2026-08-01T00:00:00Z plumb org show | head -1",
	    "plumb service unowned",
	    "plumb dora --team payments --from 2026-10-01 --to 2026-11-01",
	    "plumb metrics show lead_time --team payments --from 2026-10-01 --to 2026-11-01",
	    "plumb metrics show pr_cycle_time --team payments --from 2026-10-01 --to 2026-11-01",
	    "plumb explain metric-value:102",
	    "plumb metrics show lead_time --person E101",
	]
	trimmed = {"plumb explain metric-value:102"}
	lines = open(sys.argv[1]).read().split('\n')
	os.makedirs(sys.argv[2])
	found = {}
	for i, l in enumerate(lines):
	    # an example in a list item is indented two more
	    ind = len(l) - len(l.lstrip(' '))
	    if ind not in (4, 6) or not l[ind:].startswith('$ ') or l[ind + 2:] not in wanted:
	        continue
	    out = []
	    for m in lines[i + 1:]:
	        if not m.startswith(' ' * ind) or m[ind:].startswith('$ '):
	            break
	        out.append(m[ind:])
	    found.setdefault(l[ind + 2:], out)
	missing = [w for w in wanted if w not in found]
	if missing:
	    sys.exit('docs/cli.md no longer has these examples: %s' % missing)
	for n, w in enumerate(wanted):
	    if w not in trimmed and any(o.strip() == '...' for o in found[w]):
	        sys.exit('the example %r is trimmed (...) now: choose another' % w)
	    open('%s/%02d.cmd' % (sys.argv[2], n), 'w').write(w + '\n')
	    open('%s/%02d.want' % (sys.argv[2], n), 'w').write('\n'.join(found[w]).rstrip('\n') + '\n')
	    if w in trimmed:
	        open('%s/%02d.trimmed' % (sys.argv[2], n), 'w').close()
	PY
# match.py WANT GOT: GOT is what WANT shows, `...` in it standing for what the page left out
cat >"$T/match.py" <<-'PY'
	import re, sys
	want, got = (open(f).read() for f in sys.argv[1:3])
	pat = ''.join(r'(?:[^\n]*\n)*?' if w.strip() == '...' else
	              '.*?'.join(re.escape(p) for p in w.split('...')) + r'\n'
	              for w in want.rstrip('\n').split('\n'))
	sys.exit(0 if re.fullmatch(pat, got) else 1)
	PY

checked=0
for cmd in "$T"/examples/*.cmd; do
	want=${cmd%.cmd}.want got=${cmd%.cmd}.got
	line=$(cat "$cmd")
	echo "+ $line" >&2
	# `plumb` in the line is the binary under test; PLUMB_NOW= in the line wins over this one.
	PLUMB_NOW=2026-11-28 bash -c "plumb() { \"\$PLUMB\" \"\$@\"; }; $line" 2>&1 |
		sed 's/[ \r]*$//; s#raw payload \([0-9]*\) from [^ ]*\(plumb-data\|plumb-demo-[^/ ]*\)/#raw payload \1 from demo-data/#' >"$got"
	if sanitizer_report "$got"; then
		cat "$got" >&2
		fail "sanitizer report from: $line"
	fi
	if [ -f "${cmd%.cmd}.trimmed" ]; then python3 "$T/match.py" "$want" "$got"; else cmp -s "$want" "$got"; fi ||
		{ diff -u "$want" "$got" >&2; fail "docs/cli.md's example '$line' prints otherwise now (diff above)"; }
	checked=$((checked + 1))
done
[ "$checked" -eq 16 ] || fail "checked $checked examples, not 16"
