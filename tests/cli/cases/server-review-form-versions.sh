# The manager's review page opens with the newest evaluation version, so that a new version
# starts from the last: posted back unchanged (a correction of the case alone), every evidence
# item comes back as it was (found in review: the form held 20 rows and a rating citing 22
# items, as a file may, lost 4 in the next version; and it had no field for `negative`, so
# evidence that counted against the person counted for them in the next version). The
# "counts against the person" box is shown checked, and unchecking it clears the flag.
expect_page() { file_has "$T/out" "$1" || fail "page lacks: $1"; }
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
ok cycle create a26 --kind annual --scope payments
ok user add --person M001 --role manager
printf 'a long enough password\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
{
	echo "ratings:"
	echo "  technical_skill:"
	echo "    rating: 4"
	echo "    evidence:"
	for i in $(seq 1 22); do echo "      - {kind: link, ref: \"https://wiki.acme.example/$i\", title: \"item $i\"}"; done
	echo "  delivery:"
	echo "    rating: 4"
	echo "    evidence:"
	echo "      - {kind: pull_request, ref: \"https://github.com/acme/pay/pull/9\", negative: true, title: Slipped twice}"
	echo "  collaboration: {rating: 3, no_evidence_reason: seen in planning}"
	echo "case: First case."
} >ev.yaml
ok --as M001 evaluation submit --cycle a26 --person E101 ev.yaml
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=M001&password=a+long+enough+password"
expect_http 303
http GET /cycles/a26/review/E101 -b "$jar"
expect_http 200
expect_page 'value="https://wiki.acme.example/22"'
expect_page '<input type="hidden" name="evrows.technical_skill" value="24">'
expect_page 'name="ev.delivery.0.negative" value="true" aria-label="Delivery evidence 1: counts against the person" checked>'
expect_page 'name="ev.technical_skill.0.negative" value="true" aria-label="Technical skill evidence 1: counts against the person">'
cp "$T/out" form.html
# form_body [SKIP]: what a browser posts for the form as shown (checked boxes only), with a
# reason, less the field SKIP.
form_body() {
	python3 - form.html "${1:-}" <<'PY'
import html, re, sys, urllib.parse
s = open(sys.argv[1]).read()
# The review form's fields alone, as a browser posts them: not the header's sign-out form.
s = s[s.index('<form method="post" action="/cycles/'):]
s = s[:s.index('</form>')]
skip = sys.argv[2]
pairs = []
for m in re.finditer(r'<input ([^>]*)>', s):
    a, n, v = m.group(1), re.search(r'name="([^"]*)"', m.group(1)), re.search(r'value="([^"]*)"', m.group(1))
    if n and ('type="checkbox"' not in a or ' checked' in a):
        pairs.append((html.unescape(n.group(1)), html.unescape(v.group(1)) if v else ''))
for m in re.finditer(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', s, re.S):
    sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
    pairs.append((m.group(1), html.unescape(sel.group(1)) if sel else ''))
for m in re.finditer(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', s, re.S):
    pairs.append((m.group(1), html.unescape(m.group(2))))
pairs = [(k, v) for k, v in pairs if k not in ('reason', skip)] + [('reason', 'the case, corrected'), ('action', 'submit')]
print(urllib.parse.urlencode(pairs))
PY
}
form_body >post.txt || fail "could not read the form"
http POST /cycles/a26/review/E101 -b "$jar" --data @post.txt
expect_http 303
items() { sql "SELECT e.version || ':' || COUNT(*) || ':' || SUM(x.negative) FROM evaluations e JOIN evaluation_evidence x ON x.evaluation_id = e.id WHERE x.dimension = '$1' GROUP BY e.version ORDER BY e.version"; }
[ "$(items technical_skill | tr '\n' ' ')" = "1:22:0 2:22:0 " ] || fail "technical_skill evidence by version: $(items technical_skill | tr '\n' ' ')"
[ "$(items delivery | tr '\n' ' ')" = "1:1:1 2:1:1 " ] || fail "delivery evidence by version: $(items delivery | tr '\n' ' ')"
# Unchecked, the item no longer counts against the person.
http GET /cycles/a26/review/E101 -b "$jar"
expect_page "Shown: version 2 by M001"
cp "$T/out" form.html
form_body ev.delivery.0.negative >post.txt || fail "could not read the form"
http POST /cycles/a26/review/E101 -b "$jar" --data @post.txt
expect_http 303
[ "$(items delivery | tr '\n' ' ')" = "1:1:1 2:1:1 3:1:0 " ] || fail "delivery evidence by version: $(items delivery | tr '\n' ' ')"
