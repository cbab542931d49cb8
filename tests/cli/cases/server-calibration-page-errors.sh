# A refused change on the calibration page is said beside the field it is about, which is
# marked aria-invalid and described by it, as on the review forms, and in the page's words:
# the refusals named the CLI's options (--reason must be text..., --evidence: a reference
# is...) and were only in the summary above the form (found hunting).  The CLI keeps its
# wording (calibrate-session.sh).  Nothing refused is written.
sqlite_only "the page is a face over the service, whose SQL runs on PostgreSQL in the calibrate-* cases"
demo_db
# An open session over a new annual cycle of the demo's observability team (E010 manages
# E051), as server-browser-calibration.sh makes it.
ok cycle create 2027-annual --kind annual --scope observability --from 2026-11-02 --to 2027-05-01
file e051.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, evidence: [{kind: link, ref: "https://wiki.example.com/obs/alerts", date: 2026-11-05}]}
  delivery: {rating: 4, evidence: [{kind: link, ref: "https://wiki.example.com/obs/dashboards", date: 2026-11-12}]}
  collaboration: {rating: 3, evidence: [{kind: link, ref: "https://wiki.example.com/obs/oncall", date: 2026-11-19}]}
  mentoring: {rating: 3, no_evidence_reason: "mentoring happens in one-to-ones"}
  operational_excellence: {rating: 4, evidence: [{kind: link, ref: "https://wiki.example.com/obs/slo", date: 2026-11-20}]}
  leadership: {rating: 3, no_evidence_reason: "no lead role this period"}
case: Noah built the alerting.
YAML
ok --as E010 evaluation submit --cycle 2027-annual --person E051 e051.yaml
for _ in 1 2 3; do ok cycle advance --cycle 2027-annual; done
ok calibrate session create --cycle 2027-annual --population observability --facilitator E002 \
	--participants E010 --name obs-calibration
ok --as E002 calibrate session open --session obs-calibration
printf 'a long enough password\n' >"$T/pw"
ok user passwd E002 --password-file "$T/pw"
serve
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=E002&password=a+long+enough+password"
expect_http 303
http GET /calibration/obs-calibration -b "$jar"
expect_http 200
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
grep -qF 'aria-invalid' "$T/out" && fail "the form is marked invalid before anything was sent"
audited=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")
link=link:https://wiki.example.com/calibration/obs/E051
# change STATUS FIELD REASON_START [FIELD=VALUE...]: post a change of E051's delivery to 3
# with a reason and evidence, the given fields replacing them; it is refused with STATUS, and
# the refusal is beside FIELD alone, starting with REASON_START, with no CLI option named.
change() {
	local want=$1 field=$2 start=$3
	shift 3
	local -A v=([person]=E051 [dimension]=delivery [rating]=3 [reason]="late dashboards" [evidence]=$link)
	local kv
	for kv in "$@"; do v[${kv%%=*}]=${kv#*=}; done
	local args=(--data-urlencode "csrf=$csrf") f
	for f in "${!v[@]}"; do args+=(--data-urlencode "$f=${v[$f]}"); done
	http POST /calibration/obs-calibration/changes -b "$jar" "${args[@]}"
	expect_http "$want"
	local alert
	alert=$(grep -o '<div class="error" role="alert">.*</div>' "$T/out" | sed 's|</div>.*||')
	grep -qF "<p>the form: $field: " <<<"$alert" || fail "$field: the summary does not name the field: $alert"
	grep -qE -- '--[a-z]' <<<"$alert" && fail "$field: the summary names a CLI option: $alert"
	grep -qE "<(select|input|textarea) id=\"$field\" name=\"$field\" aria-invalid=\"true\" aria-describedby=\"$field-problem\"" "$T/out" ||
		fail "$field is not marked invalid: $(grep -oE "<(select|input|textarea) id=\"$field\"[^>]*>" "$T/out")"
	local beside
	beside=$(grep -o "<p class=\"error\" id=\"$field-problem\">[^<]*" "$T/out" | sed 's/^[^>]*>//')
	[[ $beside == "$start"* ]] || fail "$field: the reason beside it: '$beside'"
	[ "$(grep -o 'aria-invalid' "$T/out" | wc -l)" = 1 ] || fail "$field: other fields are marked invalid too"
	[ "$(grep -o 'class="error" id="[a-z]*-problem"' "$T/out" | wc -l)" = 1 ] || fail "$field: other fields have a reason"
	[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")" = "$audited" ] || fail "$field: a refused change was written"
}
change 400 reason "a rating change in calibration needs a reason" "reason="
expect_page() { grep -qF -- "$1" "$T/out" || fail "the page lacks: $1"; }
expect_page 'name="evidence" rows="3">link:https://wiki.example.com/calibration/obs/E051</textarea>'
change 400 reason "must be text of at most 2000 bytes without control characters" "reason=late"$'\x01'"dashboards"
change 400 evidence "a rating change in calibration needs evidence" "evidence="
change 400 evidence "a reference is text of at most 2000 bytes without control characters" "evidence=link:https://wiki"$'\x01'".example.com"
expect_page '<p>the reference of evidence line 1 (blank lines not counted) is not</p>'
change 400 evidence "&#39;wiki:x&#39;: kind &#39;wiki&#39; is not one of pull_request" "evidence=wiki:x"
# A hint in the page's words is said with the refusal (the form left every hint out); one
# naming the CLI's options is left out (the 4.5 below: "such as --rating 4").
change 400 evidence "&#39;nocolon&#39;: expected KIND:REF" "evidence=nocolon"
expect_page '<p>Hint: for example event:1234, pull_request:https://..., document:https://...</p></div>'
change 400 evidence "at most 16 lines" "evidence=$(for i in $(seq 17); do echo "link:https://wiki.example.com/$i"; done)"
change 400 rating "&#39;4.5&#39;: expected a whole number" "rating=4.5"
change 400 rating "9 is not on the five_point scale of &#39;delivery&#39;" "rating=9"
change 400 rating "E051&#39;s delivery is 4.00 already" "rating=4"
change 400 dimension "&#39;nosuch&#39;: E051&#39;s evaluation rates no such competency" "dimension=nosuch"
stop_server
# The CLI names its options as before.
run --as E002 calibrate change --session obs-calibration --person E051 --dimension delivery --rating 3 \
	--reason "late"$'\x01'"dashboards" --evidence "$link"
expect_status 2
expect_err "--reason must be text of at most 2000 bytes without control characters"
