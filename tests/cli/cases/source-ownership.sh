# Data ownership: a source's owning team decides which other org units may read the
# individual-level events it brings (who did what); org-wide roles, admins and the person
# themselves always may.  Under a centralized policy one team owns every source.
init_db
ok org import "$FIXTURES/org-small.csv"
ok source add github --name gh --repo acme/widgets --owner payments
ok ingest --source gh "$FIXTURES/github"
ok identity link github alice --person E101 # payments
ok identity link github bob --person E201   # search
ok user add --person H001 --role leader:engineering
ok user add --person E203 --role people-partner:search
ok user add --person M002 --role manager
ok user add --person E201 --role employee
ok user add --person E204 --role analyst # a member of search
prs() { # [--as USER]: "number=person" of the pull requests
	ok "$@" events list --kind pull_request --json
	json 'map("\(.external_id | sub("acme/widgets#"; ""))=\(.person)") | join(",")'
}
ok source list --json
expect_json '.[0] | "\(.owner) \(.readers | length)"' "payments 0"
# The people partner for search may see E201, but payments owns the source and has not
# shared it with search; the leader of engineering holds payments; E201 sees themselves.
[ "$(prs --as E203)" = "101=null,102=null,103=null,104=null" ] || fail "pp before share: $(prs --as E203)"
pseudo() { # "number=person/account" of the pull requests an analyst lists, pseudonyms as P-/H-
	ok --as E204 events list --kind pull_request --json
	json 'map("\(.external_id | sub("acme/widgets#"; ""))=\(.person // "null" | .[0:2])/\(.account // "null" | .[0:1])") | join(",")'
}
[ "$(pseudo)" = "101=nu/n,102=nu/n,103=nu/n,104=nu/d" ] || fail "analyst before share: $(pseudo)"
# A bot linked to a person keeps its login, not its person's pseudonym.
ok identity link github 'dependabot[bot]' --person E102
[ "$(pseudo)" = "101=nu/n,102=nu/n,103=nu/n,104=nu/d" ] || fail "analyst, a linked bot: $(pseudo)"
ok identity unlink github 'dependabot[bot]'
[ "$(prs --as H001)" = "101=E101,102=E201,103=null,104=null" ] || fail "leader: $(prs --as H001)"
[ "$(prs --as E201)" = "101=null,102=E201,103=null,104=null" ] || fail "self: $(prs --as E201)"
# The aggregate is not the owner's to withhold: every pull request is listed to everyone.
ok --as E203 events list --kind pull_request --json
expect_json 'length' 4

# Only the owning unit's leaders (or an admin) share; a refusal is audited.
run --as M002 source share gh --with search
expect_status 3
expect_err "only the owning team's leaders or an admin share source gh"
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.actor)"' "access.denied M002"
# A source without an owner is refused to a leader as a missing one is, without saying it
# exists (found in review: a detail said it had no owning team yet).
ok source add deploy --name ownerless
run --as H001 source share ownerless --with search
expect_status 3
[ "$(cat "$T/err")" = "plumb: error: only the owning team's leaders or an admin share source ownerless" ] ||
	fail "the refusal for an ownerless source says more than a missing one's: $(cat "$T/err")"
run --as H001 source share nosuch --with search
expect_status 3
[ "$(cat "$T/err")" = "plumb: error: only the owning team's leaders or an admin share source nosuch" ] ||
	fail "the refusal for a missing source: $(cat "$T/err")"
ok source remove ownerless
ok --as H001 source share gh --with search
expect_out "search may now read the individual-level events of source gh"
ok --as H001 source share gh --with search
expect_out "could already"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'source.share' AND detail <> '{\"ok\":true}'")" = 1 ] ||
	fail "a repeated share was audited as a share"
[ "$(prs --as E203)" = "101=null,102=E201,103=null,104=null" ] || fail "pp after share: $(prs --as E203)"
# An analyst's pseudonyms still tell whose events are whose: the owner's sharing governs
# them as it governs names.
[ "$(pseudo)" = "101=P-/H,102=P-/H,103=nu/H,104=nu/d" ] || fail "analyst after share: $(pseudo)"
ok source list
expect_out "payments  search"
ok source unshare gh --with search
[ "$(prs --as E203)" = "101=null,102=null,103=null,104=null" ] || fail "pp after unshare: $(prs --as E203)"

# Bad input: nothing written.
before=$(sql "SELECT COUNT(*) FROM audit_log")
run source share gh --with nowhere
expect_status 4
expect_err "no team 'nowhere'"
run source owner nosuch payments
expect_status 4
expect_err "no source 'nosuch'"
run source add deploy --name d2 --owner nowhere
expect_status 4
expect_err "--owner: no team 'nowhere'"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$before" ] || fail "bad input was written"
run --as H001 source owner gh search
expect_status 3

# Centralized: the policy's central owner owns every source, whatever the source says.
sed -e 's/^  model: federated/  model: centralized/' -e 's/^  # central_owner: Platform/  central_owner: search/' \
	"$ROOT/examples/policy.yaml" >central.yaml
ok policy import central.yaml
[ "$(prs --as E203)" = "101=null,102=E201,103=null,104=null" ] || fail "pp, centralized on search: $(prs --as E203)"
# The central owner's leaders decide, not the leaders of the team the source names: a
# payments leader may not share gh (it would let payments read events search owns).
ok user add --person E101 --role leader:payments
ok user add --person E202 --role leader:search
run --as E101 source share gh --with payments
expect_status 3
expect_err "only the owning team's leaders or an admin share source gh"
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.actor) \(.object_id)"' "access.denied E101 source.share"
# A leader outside the owner learns nothing of which sources and teams exist: a source or a
# team that is not there is refused alike (found in review: 'no source', 'no team').
run --as E101 source share nosuch --with payments
expect_status 3
expect_err "only the owning team's leaders or an admin share source nosuch"
run --as E101 source share gh --with nosuchteam
expect_status 3
expect_err "only the owning team's leaders or an admin share source gh"
ok --as E202 source share gh --with payments
expect_out "payments may now read"
run --as E101 source unshare gh --with payments
expect_status 3
ok --as E202 source unshare gh --with payments
[ "$(sql "SELECT COUNT(*) FROM source_readers")" = 0 ] || fail "readers left after unshare"
ok source owner gh search
ok audit log --json --limit 1
expect_json '.[0] | "\(.action) \(.object_id) \(.detail.owner)"' "source.owner gh search"
