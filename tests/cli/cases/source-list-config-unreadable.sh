# `source list --json` stays JSON whatever a source's stored settings hold: settings that are
# not a JSON object (a hand edit cut short) are listed as null with a warning naming the
# source, and the others as the objects they are; `source remove` of such a source audits
# its settings as null, so `audit log --json` stays JSON too. Found hunting: the column was
# copied into the output (and the audit entry) as it was.
init_db
ok source add deploy --name dep
ok source add github --name gh --repo acme/widgets
ok source add deploy --name typo
sql "UPDATE sources SET config = '{\"x\": oops' WHERE name IN ('dep', 'typo')"
ok source list --json
jq -e . "$T/out" >/dev/null || fail "source list --json printed text that is not JSON"
expect_json '[.[] | "\(.name)=\(.config | tojson)"] | join(" ")' \
	'dep=null gh={"api_url":"https://api.github.com","repos":["acme/widgets"]} typo=null'
expect_err "warning: source dep: its stored settings are not a JSON object; listed as null"
! file_has "$T/err" "source gh" || fail "a warning about gh, whose settings are an object"
ok source remove typo
ok audit log --json
jq -e . "$T/out" >/dev/null || fail "audit log --json printed text that is not JSON after source remove"
expect_json '[.[] | select(.action == "source.remove")][0].detail.config' null
ok audit verify
