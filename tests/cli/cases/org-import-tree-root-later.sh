# The team tree is checked at --effective even when no parent row starts after it: a later
# import that made a team a root only closed a row, and the tree at --effective is another
# than the final one (found in session 41's review: payments made a root from 2026-08-01,
# then engineering put under payments from 2026-07-01 was accepted, each the other's parent
# for July).
init_db
ok org import "$FIXTURES/org-small.csv"
printf 'teams:\n  - name: payments\n    parent: ~\n' >aug.yaml
ok org import aug.yaml --effective 2026-08-01
rows() { sql "SELECT t.name || '<' || COALESCE(q.name, '-') || ' ' || COALESCE(p.valid_from, 0) || ' ' || COALESCE(p.valid_to, 0)
  FROM team_parents p JOIN teams t ON t.id = p.team_id LEFT JOIN teams q ON q.id = p.parent_id ORDER BY p.id"; }
before=$(rows)
printf 'teams:\n  - name: engineering\n    parent: payments\n' >jul.yaml
run org import jul.yaml --effective 2026-07-01
expect_status 1
expect_err "from 2026-07-01 to 2026-08-01"
expect_err "engineering"
[ "$(rows)" = "$before" ] || fail "the refused import wrote parent rows: $(rows)"
# From August on payments is a root, and engineering may go under it.
ok org import jul.yaml --effective 2026-08-01
ok audit verify
