# plumb packet in Markdown: what people wrote reads as written once a real renderer
# (cmark-gfm, GitHub's CommonMark with its table extension) turns the packet into HTML. A feedback
# answer, an evidence title, a no-evidence reason and the manager's case holding Markdown
# (headings, lists, emphasis, links, raw HTML, an entity, a table pipe, blank lines) and a
# framework label holding `|` in the axes table add no heading, list, link, markup or cell:
# each stays one paragraph, list item or cell, with its line breaks as hard breaks. The HTML
# format keeps the same line breaks.
command -v cmark-gfm >/dev/null || skip "cmark-gfm not installed (scripts/install-test-deps installs it)"
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/^    4: Exceeds expectations$/    4: "Exceeds | beyond"/' "$FIXTURES/review/framework.yaml" >"$T/fw.yaml"
grep -q 'Exceeds | beyond' "$T/fw.yaml" || fail "the framework's label was not changed"
ok framework import "$T/fw.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103 E104; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
ok cycle advance --cycle a26
# YAML double quotes: \n is a line break.
hostile='Line one\n\n# Not a heading\n    - not a list\n1. not ordered\n<script>alert(1)</script> [x](javascript:alert(1)) **bold** &amp; `code` | pipe snake_case_name _under_\n---\n'
for r in E102 E103 E104; do
	file "fb-$r.yaml" <<EOF2
answers:
  strengths: "$r: $hostile"
  growth: "plain from $r"
ratings:
  collaboration: 4
EOF2
	ok --as "$r" feedback submit --cycle a26 --for E101 "$T/fb-$r.yaml"
done
ok cycle advance --cycle a26
file ev.yaml <<'EOF2'
ratings:
  technical_skill:
    rating: 4
    evidence:
      - {kind: pull_request, ref: "https://github.com/acme/pay/pull/12?tab=files&w=1#issuecomment-7", date: 2026-03-02, title: "Refunds | *fast* [x](javascript:alert(1))"}
  delivery: {rating: 4, no_evidence_reason: "shipped\n\n## also a heading\n> quoted\nsee https://example.com/a_b*c\nvisit www.example.com\n:-"}
  collaboration: {rating: 3, no_evidence_reason: "seen in planning\n-:"}
case: |
  Lukas led the refunds rewrite.

  ## Not a section
  * not a bullet
  1) not ordered
      indented four
  ===
EOF2
ok --as M001 evaluation submit --cycle a26 --person E101 "$T/ev.yaml"
ok --as M001 packet --cycle a26 --person E101 --target-level L5 --output "$T/packet.md"
# As GitHub renders it: tables, bare URLs and www. linked, strikethrough, unsafe tags filtered.
cmark-gfm -e table -e autolink -e strikethrough -e tagfilter "$T/packet.md" >"$T/out" ||
	fail "cmark-gfm could not read the packet"
html=$T/out

# The packet's own outline and nothing more: one h1, five h2, one h3 a competency.
count() { grep -c -- "$1" "$html" || true; }
[ "$(count '<h1>')" = 1 ] || fail "h1: $(grep '<h1>' "$html")"
[ "$(count '<h2>')" = 5 ] || fail "h2: $(grep '<h2>' "$html")"
[ "$(count '<h3>')" = 4 ] || fail "h3 (three competencies and the peer group): $(grep '<h3>' "$html")"
for tag in '<script' 'href="javascript' '<strong>bold' '<em>' '<code>' '<blockquote>' '<ol>' '<pre>' '<hr' '<del>'; do
	[ "$(count "$tag")" = 0 ] || fail "the rendered packet has $tag: $(grep -- "$tag" "$html" | head -3)"
done
# The axes table: three rows of four cells, the label whole in its cell.
[ "$(count '<table>')" = 1 ] || fail "tables: $(count '<table>') (a text's line made a delimiter row)"
[ "$(count '<td>')" = 12 ] || fail "table cells: $(count '<td>')"
# The two URLs written are links to exactly what was written; nothing else links.
[ "$(grep -o '<a [^>]*>' "$html" | sort | tr '\n' ' ')" = '<a href="https://example.com/a_b*c"> <a href="https://github.com/acme/pay/pull/12?tab=files&amp;w=1#issuecomment-7"> ' ] ||
	fail "links: $(grep -o '<a [^>]*>' "$html")"
[ "$(count '<td>between Meets expectations and Exceeds | beyond</td>')" = 3 ] ||
	fail "the label's pipe split its cell: $(grep '<td>' "$html" | head -4)"
expect_out '<h3>Technical skill: rated 4 (Exceeds | beyond)</h3>'
# Each answer is one list item with every character as written and its breaks hard breaks.
for r in E102 E103 E104; do
	python3 - "$html" "$r" <<'PY' || fail "$r's answer is not one list item as written"
import html, re, sys
doc = open(sys.argv[1]).read()
who = sys.argv[2]
want = (who + ": Line one\n\n# Not a heading\n- not a list\n1. not ordered\n"
        "<script>alert(1)</script> [x](javascript:alert(1)) **bold** &amp; `code` | pipe "
        "snake_case_name _under_\n---")
items = [html.unescape(m.replace("<br />", "")) for m in re.findall(r"<li>(.*?)</li>", doc, re.S)]
sys.exit(0 if items.count(want) == 1 else 1)
PY
done
# The evidence title and the reason, the same way.
expect_out '<li>pull_request: Refunds | *fast* [x](javascript:alert(1)) (<a href="https://github.com/acme/pay/pull/12?tab=files&amp;w=1#issuecomment-7">https://github.com/acme/pay/pull/12?tab=files&amp;w=1#issuecomment-7</a>), 2026-03-02</li>'
python3 - "$html" <<'PY' || fail "the no-evidence reasons are not paragraphs as written"
import html, re, sys
doc = open(sys.argv[1]).read()
def para(start):
    m = re.search(r"<p><strong>No evidence cited, because:</strong> (" + re.escape(start) + r".*?)</p>", doc, re.S)
    return html.unescape(re.sub(r"<br />|<a [^>]*>|</a>", "", m.group(1))) if m else None
ok = (para("shipped") == "shipped\n\n## also a heading\n&gt; quoted\nsee https://example.com/a_b*c\n"
                         "visit www.example.com\n:-".replace("&gt;", ">")
      and para("seen in planning") == "seen in planning\n-:")
sys.exit(0 if ok else 1)
PY
# The manager's case: one paragraph, its blank line kept as a second break.
case_as_written() { # FILE HEADING
	python3 - "$1" "$2" <<'PY'
import html, re, sys
doc = open(sys.argv[1]).read()
case = doc.split(sys.argv[2], 1)[1]
paras = re.findall(r"<p>(.*?)</p>", case, re.S)
want = ("Lukas led the refunds rewrite.\n\n## Not a section\n* not a bullet\n1) not ordered\n"
        "indented four\n===")
breaks = len(re.findall(r"<br ?/?>", paras[0])) if paras else 0
sys.exit(0 if len(paras) == 1 and breaks == want.count("\n") and
         html.unescape(re.sub(r"<br ?/?>", "", paras[0])) == want else 1)
PY
}
case_as_written "$html" "<h2>The manager's case</h2>" || fail "the manager's case is not one paragraph as written"
file_has "$T/packet.md" "snake_case_name \\_under\\_" || fail "an underscore inside a word was escaped"
# The HTML format shows the same: escaped, its line breaks kept as <br>.
ok --as M001 packet --cycle a26 --person E101 --target-level L5 --format html
expect_out "&lt;script&gt;alert(1)&lt;/script&gt;"
expect_out "<td>between Meets expectations and Exceeds | beyond</td>"
case_as_written "$T/out" "<h2>The manager&#39;s case</h2>" || fail "the HTML packet's case is not as written"
