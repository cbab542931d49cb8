/* cli_policy: the governance policy file: import, show, diff, export. */
#include <inttypes.h>
#include <stdlib.h>

#include "base/fileio.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/policy.h"

#define POLICY_FILE_MAX (1 << 20)

static int cmd_import(struct cli_run *r)
{
	char *data = NULL;
	size_t len = 0;
	struct policy_import_result res;
	int rc = file_read(r->pos[0], POLICY_FILE_MAX, &data, &len, &r->err);
	if (rc == 0)
		rc = policy_import(r->ctx, r->pos[0], data, len, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "version", res.version);
		jw_kbool(&w, "unchanged", res.unchanged);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (res.unchanged)
		fprintf(r->out, "policy unchanged: the file is version %d, in force\n",
		        res.version);
	else
		fprintf(r->out, "policy version %d imported and in force\n", res.version);
	return 0;
}

static const char *list_text(struct sb *s, const char **list, size_t n)
{
	sb_reset(s);
	for (size_t i = 0; i < n; i++)
		sb_printf(s, "%s%s", i ? ", " : "", list[i]);
	return n ? s->buf : "(none)";
}

static void print_retention(FILE *o, const char *indent, const struct policy_retention *rules,
                            size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (rules[i].days == 0)
			fprintf(o, "%s%-14s kept without limit\n", indent,
			        policy_category_name(rules[i].category));
		else
			fprintf(o, "%s%-14s %" PRId64 " days, then %s\n", indent,
			        policy_category_name(rules[i].category), rules[i].days,
			        rules[i].action == POLICY_RETAIN_DELETE ? "deleted" : "anonymized");
	}
}

static void print_policy(FILE *o, const struct policy *p)
{
	struct sb s = SB_INIT;
	if (p->version) {
		char when[TS_BUF];
		fprintf(o, "policy version %d: %s\n", p->version, p->name);
		fprintf(o, "imported %s by %s, sha256 %s\n", ts_format(p->imported_at, when),
		        p->imported_by, p->sha256);
	} else {
		fprintf(o, "no policy imported: the built-in defaults are in force\n");
		fprintf(o, "(ingestion stores what it reads; start from examples/policy.yaml)\n");
	}
	fprintf(o, "\nownership      %s%s%s\n", p->federated ? "federated" : "centralized",
	        p->central_owner ? ", owned by " : "", p->central_owner ? p->central_owner : "");
	fprintf(o, "masking        aggregates over fewer than %d people are suppressed\n",
	        p->min_aggregate_people);
	fprintf(o, "demographics   readable by %s\n",
	        list_text(&s, p->demographics_readers, p->ndemographics_readers));
	if (p->nsignoff_approvers)
		fprintf(o, "sign-off       %d of %s\n", p->signoff_required,
		        list_text(&s, p->signoff_approvers, p->nsignoff_approvers));
	fprintf(o, "forced ranking %s\n", p->forced_ranking ? "allowed" : "forbidden");
	if (p->nmechanisms)
		fprintf(o, "\ntracking mechanisms:\n");
	for (size_t i = 0; i < p->nmechanisms; i++) {
		const struct policy_mechanism *m = &p->mechanisms[i];
		fprintf(o, "  %s (%s): %s\n", m->key, m->name,
		        m->prohibited ? "PROHIBITED"
		        : m->enabled  ? "enabled"
		                      : "disabled");
		fprintf(o, "    purpose      %s\n", m->purpose);
		fprintf(o, "    categories   %s\n", list_text(&s, m->categories, m->ncategories));
		fprintf(o, "    event kinds  %s\n", list_text(&s, m->event_kinds, m->nevent_kinds));
		if (m->consent_required)
			fprintf(o, "    consent      required; without it %s; on withdrawal %s\n",
			        m->without_consent == POLICY_SKIP ? "not stored"
			                                          : "stored pseudonymized",
			        m->delete_on_withdrawal ? "earlier data is deleted"
			                                : "earlier data is kept");
		else
			fprintf(o, "    consent      not required\n");
		if (m->approval != POLICY_APPROVAL_NONE)
			fprintf(o, "    approval     %s\n", policy_approval_name(m->approval));
	}
	if (p->nretention)
		fprintf(o, "\nretention:\n");
	print_retention(o, "  ", p->retention, p->nretention);
	for (size_t i = 0; i < p->ncountries; i++) {
		const struct policy_country *c = &p->countries[i];
		fprintf(o, "\ncountry %s:\n", c->code);
		for (size_t a = 0; a < c->napprovals; a++)
			fprintf(o, "  %s needs %s approval\n", c->approvals[a].mechanism,
			        policy_approval_name(c->approvals[a].approval));
		if (c->forced_ranking >= 0)
			fprintf(o, "  forced ranking %s\n",
			        c->forced_ranking ? "allowed" : "forbidden");
		print_retention(o, "  retention ", c->retention, c->nretention);
	}
	sb_release(&s);
}

static int cmd_show(struct cli_run *r)
{
	int version;
	int rc = cli_opt_version(r, &version);
	const struct policy *p = NULL;
	if (rc == 0)
		rc = policy_show(r->ctx, version, &p, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		policy_json(&w, p);
		cli_json_end(r, &buf);
		return 0;
	}
	print_policy(r->out, p);
	return 0;
}

static int cmd_diff(struct cli_run *r)
{
	int a = 0, b = 0;
	int rc = cli_parse_version(r, r->pos[0], "policy", &a);
	if (rc == 0)
		rc = cli_parse_version(r, r->pos[1], "policy", &b);
	const char **lines = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = policy_diff(r->ctx, a, b, &lines, &n, &r->err);
	if (rc < 0)
		return rc;
	cli_print_changes(r, a, b, lines, n, "policy");
	return 0;
}

static int cmd_export(struct cli_run *r)
{
	int version;
	int rc = cli_opt_version(r, &version);
	const char *text = NULL;
	if (rc == 0)
		rc = policy_export(r->ctx, version, &text, &r->err);
	if (rc < 0)
		return rc;
	cli_print_yaml(r, text);
	return 0;
}

static const struct cli_opt version_opts[] = {
        {"version", "N", OPT_VALUE, "this version instead of the one in force"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"policy import", OP_POLICY_IMPORT, "FILE", 1, 1, CMD_JSON, NULL, cmd_import,
         "import a governance policy file (YAML) as a new version",
         "The file says which tracking mechanisms exist and need consent or approval, how "
         "long each data category is kept, who reads demographics, who signs off "
         "incentive-linked metrics, the minimum aggregate size, data ownership, and "
         "per-country overrides. examples/policy.yaml is a commented starting point; "
         "docs/governance.md describes every field. The newest version is in force; "
         "importing the same text again changes nothing."},
        {"policy show", OP_POLICY_SHOW, "", 0, 0, CMD_JSON, version_opts, cmd_show,
         "show the governance policy in force (or --version N)",
         "Everyone may read the policy: what is collected, why, and for how long."},
        {"policy diff", OP_POLICY_DIFF, "A B", 2, 2, CMD_JSON, NULL, cmd_diff,
         "say what changed from policy version A to version B", NULL},
        {"policy export", OP_POLICY_EXPORT, "", 0, 0, CMD_JSON, version_opts, cmd_export,
         "write a policy version back as the YAML it was imported from",
         "The text is returned byte for byte as it was imported, comments included."},
};

const struct cli_group cli_group_policy = {"policy", commands,
                                           sizeof commands / sizeof commands[0]};
