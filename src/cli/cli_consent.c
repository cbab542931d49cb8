/* cli_consent: tracking mechanisms (list, approve, revoke-approval) and consent records
 * (grant, withdraw, list). */
#include <inttypes.h>

#include "base/ts.h"
#include "cli/cli.h"
#include "core/consent.h"
#include "core/ctx.h"

static void json_approval(struct jw *w, const struct mechanism_approval_row *a)
{
	if (!a) {
		jw_null(w);
		return;
	}
	char when[TS_BUF];
	jw_object_begin(w);
	jw_kint(w, "id", a->id);
	jw_kstr(w, "body", a->body);
	jw_kstr(w, "country", *a->country ? a->country : NULL);
	jw_kstr(w, "reference", a->reference);
	jw_kstr(w, "approved_at", ts_format(a->approved_at, when));
	jw_kstr(w, "recorded_by", a->recorded_by);
	jw_object_end(w);
}

static void json_state(struct jw *w, const struct mechanism_country_state *s)
{
	jw_kstr(w, "approval_needed",
	        s->approval == POLICY_APPROVAL_NONE ? NULL : policy_approval_name(s->approval));
	jw_kbool(w, "approved", s->approval == POLICY_APPROVAL_NONE || s->by);
	jw_key(w, "approval");
	json_approval(w, s->by);
	jw_kstr(w, "state", s->state);
}

static void json_strings(struct jw *w, const char *key, const char *const *list, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, list[i]);
	jw_array_end(w);
}

static const char *joined(struct sb *sb, const char *const *list, size_t n)
{
	sb_reset(sb);
	for (size_t i = 0; i < n; i++)
		sb_printf(sb, "%s%s", i ? ", " : "", list[i]);
	return sb->buf;
}

static int cmd_mechanism_list(struct cli_run *r)
{
	int version;
	struct mechanism_info *list;
	size_t n;
	int rc = mechanism_list(r->ctx, &version, &list, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "policy_version", version);
		jw_key(&w, "mechanisms");
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct policy_mechanism *m = list[i].m;
			jw_object_begin(&w);
			jw_kstr(&w, "key", m->key);
			jw_kstr(&w, "name", m->name);
			jw_kstr(&w, "purpose", m->purpose);
			json_strings(&w, "categories", m->categories, m->ncategories);
			json_strings(&w, "event_kinds", m->event_kinds, m->nevent_kinds);
			jw_kbool(&w, "enabled", m->enabled);
			jw_kbool(&w, "prohibited", m->prohibited);
			jw_kbool(&w, "consent_required", m->consent_required);
			jw_kstr(&w, "without_consent",
			        m->without_consent == POLICY_PSEUDONYMIZE ? "pseudonymize"
			                                                  : "skip");
			jw_kstr(&w, "on_withdrawal", m->delete_on_withdrawal ? "delete" : "keep");
			json_state(&w, &list[i].company);
			jw_key(&w, "countries");
			jw_array_begin(&w);
			for (size_t c = 0; c < list[i].ncountries; c++) {
				jw_object_begin(&w);
				jw_kstr(&w, "country", list[i].countries[c].country);
				json_state(&w, &list[i].countries[c]);
				jw_object_end(&w);
			}
			jw_array_end(&w);
			jw_kstr(&w, "state_text", list[i].state_text);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	/* CSV stays a table (its header row) for the scripts that read it. */
	if (version == 0 && !r->global->csv) {
		fprintf(r->out,
		        "no policy imported: no mechanism is governed, ingestion stores what "
		        "it reads ('plumb policy import FILE.yaml')\n");
		return 0;
	}
	static const char *const headers[] = {"mechanism", "event kinds", "consent", "state"};
	struct cli_table t;
	struct sb kinds = SB_INIT;
	cli_table_init(&t, headers, 4);
	for (size_t i = 0; i < n; i++) {
		const struct policy_mechanism *m = list[i].m;
		const char *consent = !m->consent_required ? "not required"
		                      : m->without_consent == POLICY_PSEUDONYMIZE
		                              ? "required (else pseudonymized)"
		                              : "required (else skipped)";
		cli_table_add(&t, m->key, joined(&kinds, m->event_kinds, m->nevent_kinds), consent,
		              list[i].state_text);
	}
	cli_table_print(r, &t);
	cli_table_release(&t);
	sb_release(&kinds);
	return 0;
}

static int cmd_mechanism_approve(struct cli_run *r)
{
	struct mechanism_approval_row a;
	int rc = mechanism_approve(r->ctx, r->pos[0], cli_opt(r, "body"), cli_opt(r, "country"),
	                           cli_opt(r, "reference"), &a, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "mechanism", a.mechanism);
		jw_key(&w, "approval");
		json_approval(&w, &a);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "approval %" PRId64 ": %s approved by the %s%s%s (%s)\n", a.id, a.mechanism,
	        a.body, *a.country ? " for " : "", a.country, a.reference);
	return 0;
}

static int cmd_mechanism_revoke(struct cli_run *r)
{
	int64_t n = 0;
	const char *country = cli_opt(r, "country");
	int rc = mechanism_revoke_approval(r->ctx, r->pos[0], cli_opt(r, "body"), country,
	                                   cli_opt(r, "reference"), &n, &r->err);
	if (rc < 0)
		return rc;
	fprintf(r->out, "%s: %s approval%s%s revoked; the mechanism waits for a new one\n",
	        r->pos[0], cli_opt(r, "body"), country ? " for " : "", country ? country : "");
	return 0;
}

static void json_consent(struct jw *w, const struct consent_record *c)
{
	char when[TS_BUF];
	jw_object_begin(w);
	jw_kint(w, "id", c->id);
	jw_kstr(w, "person", c->employee_id);
	jw_kstr(w, "mechanism", c->mechanism);
	jw_kstr(w, "state", c->state);
	jw_kstr(w, "at", ts_format(c->at, when));
	jw_kstr(w, "recorded_by", c->recorded_by);
	jw_kstr(w, "note", c->note);
	jw_kbool(w, "current", c->current);
	jw_object_end(w);
}

static int consent_change(struct cli_run *r, bool grant)
{
	struct consent_change c;
	int rc = consent_set(r->ctx, cli_opt(r, "person"), cli_opt(r, "mechanism"), grant,
	                     cli_opt(r, "note"), &c, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_key(&w, "consent");
		json_consent(&w, &c.record);
		if (c.deleted_data) {
			jw_key(&w, "deleted");
			jw_object_begin(&w);
			jw_kint(&w, "events", c.events_deleted);
			jw_kint(&w, "event_versions", c.versions_deleted);
			jw_kint(&w, "metric_lineage", c.lineage_deleted);
			jw_object_end(&w);
			jw_kint(&w, "event_versions_anonymized", c.versions_anonymized);
			/* null to whom may not know of holds, whether or not any
			 * kept anything (consent_change.holds_hidden). */
			jw_key(&w, "event_versions_held_kept");
			if (c.holds_hidden)
				jw_null(&w);
			else
				jw_int(&w, c.versions_held_kept);
			jw_key(&w, "held_kept");
			if (c.holds_hidden)
				jw_null(&w);
			else
				jw_int(&w, c.held_kept);
		}
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "consent of %s to %s %s\n", c.record.employee_id, c.record.mechanism,
	        c.record.state);
	if (c.deleted_data)
		fprintf(r->out,
		        "earlier data deleted, as the policy says: %" PRId64 " %s, %" PRId64
		        " earlier %s, %" PRId64 " metric lineage %s\n",
		        c.events_deleted, cli_plural(c.events_deleted, "event", "events"),
		        c.versions_deleted, cli_plural(c.versions_deleted, "version", "versions"),
		        c.lineage_deleted, cli_plural(c.lineage_deleted, "row", "rows"));
	if (c.versions_anonymized)
		fprintf(r->out, "%" PRId64 " earlier %s of others' events no longer %s them\n",
		        c.versions_anonymized,
		        cli_plural(c.versions_anonymized, "version", "versions"),
		        cli_plural(c.versions_anonymized, "names", "name"));
	if (c.versions_held_kept && !c.holds_hidden)
		fprintf(r->out,
		        "kept under a legal hold on their event's person: %" PRId64
		        " earlier %s naming them\n",
		        c.versions_held_kept,
		        cli_plural(c.versions_held_kept, "version", "versions"));
	if (c.held_kept && !c.holds_hidden)
		fprintf(r->out,
		        "kept under a legal hold: %" PRId64 " %s (deleted once the hold is "
		        "released and consent is withdrawn again)\n",
		        c.held_kept, cli_plural(c.held_kept, "event", "events"));
	return 0;
}

static int cmd_consent_grant(struct cli_run *r)
{
	return consent_change(r, true);
}

static int cmd_consent_withdraw(struct cli_run *r)
{
	return consent_change(r, false);
}

static int cmd_consent_list(struct cli_run *r)
{
	struct consent_record *list;
	size_t n;
	int rc = consent_list(r->ctx, cli_opt(r, "person"), &list, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			json_consent(&w, &list[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"person",      "mechanism", "state",  "at",
	                                      "recorded by", "note",      "current"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < n; i++) {
		char when[TS_BUF];
		cli_table_add(&t, list[i].employee_id, list[i].mechanism, list[i].state,
		              ts_format(list[i].at, when), list[i].recorded_by, list[i].note,
		              list[i].current ? "yes" : "");
	}
	const char *person = cli_opt(r, "person");
	char none[256];
	snprintf(
	        none, sizeof none,
	        "no consent records%s%s (plumb consent grant --person EMPLOYEE_ID --mechanism KEY)",
	        person ? " of " : " yet", person ? person : "");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static const struct cli_opt approve_opts[] = {
        {"body", "works-council|leadership", OPT_VALUE | OPT_REQUIRED, "who approved it"},
        {"country", "CC", OPT_VALUE,
         "the country the approval is for (as people.country); none: company-wide"},
        {"reference", "TEXT", OPT_VALUE | OPT_REQUIRED,
         "where the decision is written down (minutes, agreement)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt revoke_opts[] = {
        {"body", "works-council|leadership", OPT_VALUE | OPT_REQUIRED, "whose approval ends"},
        {"country", "CC", OPT_VALUE, "the country it was for; none: the company-wide one"},
        {"reference", "TEXT", OPT_VALUE, "where the revocation is written down"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt set_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE, "whose consent (default: your own)"},
        {"mechanism", "KEY", OPT_VALUE | OPT_REQUIRED, "the mechanism ('plumb mechanism list')"},
        {"note", "TEXT", OPT_VALUE, "one line kept with the record"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt list_opts[] = {
        {"person", "EMPLOYEE_ID", OPT_VALUE, "only this person's records"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command mechanism_commands[] = {
        {"mechanism list", OP_MECHANISM_LIST, "", 0, 0, CMD_JSON | CMD_CSV, NULL,
         cmd_mechanism_list, "list the tracking mechanisms and whether each runs",
         "From the policy in force: each mechanism's purpose, data categories, the event kinds "
         "it covers, whether it is enabled, prohibited or needs consent, and its state: "
         "running, waiting (for which approval, in which country), disabled or prohibited. "
         "Everyone may read it."},
        {"mechanism approve", OP_MECHANISM_APPROVE, "KEY", 1, 1, CMD_JSON, approve_opts,
         cmd_mechanism_approve, "record a works-council or leadership approval of a mechanism",
         "Admins and people partners record the decision; --reference says where it is written "
         "down. A prohibited mechanism is refused (rule prohibited-mechanism, exit 3)."},
        {"mechanism revoke-approval", OP_MECHANISM_REVOKE, "KEY", 1, 1, 0, revoke_opts,
         cmd_mechanism_revoke, "end a mechanism's approval: it waits for a new one",
         "Later ingests skip the data the approval covered; what was stored stays."},
};

static const struct cli_command consent_commands[] = {
        {"consent grant", OP_CONSENT_GRANT, "", 0, 0, CMD_JSON, set_opts, cmd_consent_grant,
         "record a person's consent to a mechanism",
         "Recorded by the person themselves, a people partner for people in their org units, "
         "or an admin. The history is kept; the newest record counts. Ingests from then on "
         "keep the person's data of that mechanism."},
        {"consent withdraw", OP_CONSENT_WITHDRAW, "", 0, 0, CMD_JSON, set_opts,
         cmd_consent_withdraw, "record the withdrawal of a person's consent",
         "Later ingests skip (or pseudonymize) the person's data of that mechanism. When the "
         "policy says on_withdrawal: delete, the person's earlier events of the mechanism's "
         "kinds are deleted in the same transaction, and the audit entry counts them."},
        {"consent list", OP_CONSENT_LIST, "", 0, 0, CMD_JSON | CMD_CSV, list_opts, cmd_consent_list,
         "list consent records, newest first",
         "Without --person: the records of everyone you may see. Each read is audited."},
};

const struct cli_group cli_group_mechanism = {
        "mechanism", mechanism_commands, sizeof mechanism_commands / sizeof mechanism_commands[0]};
const struct cli_group cli_group_consent = {"consent", consent_commands,
                                            sizeof consent_commands / sizeof consent_commands[0]};
