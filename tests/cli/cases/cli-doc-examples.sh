# A few of docs/cli.md's examples, run on the demo as the page says they were made
# (plumb demo, looked at on 2026-11-28), must print what the page shows: the text, CSV and
# JSON of org tree, person show and list, identity resolve and its refusals, and org show
# on an earlier day. Only whole examples are checked (none trimmed with `...`), each
# command's stdout and stderr together as the page shows them, trailing spaces (and
# CSV's CR) aside; the commands are read from the page, so an example rewritten there is
# checked as written.
# A change that makes one of them wrong fails here: fix the page with it.
command -v python3 >/dev/null || skip "no python3 to read docs/cli.md"
demo_db --no-reviews

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
	]
	lines = open(sys.argv[1]).read().split('\n')
	os.makedirs(sys.argv[2])
	found = {}
	for i, l in enumerate(lines):
	    if not l.startswith('    $ ') or l[6:] not in wanted:
	        continue
	    out = []
	    for m in lines[i + 1:]:
	        if not m.startswith('    ') or m.startswith('    $ '):
	            break
	        out.append(m[4:])
	    found.setdefault(l[6:], out)
	missing = [w for w in wanted if w not in found]
	if missing:
	    sys.exit('docs/cli.md no longer has these examples: %s' % missing)
	for n, w in enumerate(wanted):
	    if any(o.strip() == '...' for o in found[w]):
	        sys.exit('the example %r is trimmed (...) now: choose another' % w)
	    open('%s/%02d.cmd' % (sys.argv[2], n), 'w').write(w + '\n')
	    open('%s/%02d.want' % (sys.argv[2], n), 'w').write('\n'.join(found[w]).rstrip('\n') + '\n')
	PY

checked=0
for cmd in "$T"/examples/*.cmd; do
	want=${cmd%.cmd}.want got=${cmd%.cmd}.got
	line=$(cat "$cmd")
	echo "+ $line" >&2
	# `plumb` in the line is the binary under test; PLUMB_NOW= in the line wins over this one.
	PLUMB_NOW=2026-11-28 bash -c "plumb() { \"\$PLUMB\" \"\$@\"; }; $line" 2>&1 | sed 's/[ \r]*$//' >"$got"
	if sanitizer_report "$got"; then
		cat "$got" >&2
		fail "sanitizer report from: $line"
	fi
	diff -u "$want" "$got" >&2 || fail "docs/cli.md's example '$line' prints otherwise now (diff above)"
	checked=$((checked + 1))
done
[ "$checked" -eq 10 ] || fail "checked $checked examples, not 10"
