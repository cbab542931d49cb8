/* cli_signoff: leadership sign-off of incentive-linked metrics (request,
 * approve, reject, list). */
#include <inttypes.h>
#include <stdlib.h>

#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "core/signoff.h"

static void signoff_json(struct jw *w, const struct signoff *s)
{
	jw_object_begin(w);
	jw_kint(w, "id", s->id);
	jw_kstr(w, "metric", s->metric_key);
	jw_kint(w, "version", s->metric_version);
	jw_kstr(w, "status", s->status);
	jw_kstr(w, "state", s->state);
	jw_kint(w, "approvals", s->approvals);
	jw_kint(w, "required", s->required);
	jw_kstr(w, "requested_by", s->requested_by);
	jw_key(w, "requested_at");
	jw_time(w, s->requested_at, true);
	jw_key(w, "decided_at");
	jw_time(w, s->decided_at, s->decided_at != 0);
	jw_key(w, "expires_at");
	jw_time(w, s->expires_at, s->expires_at != 0);
	jw_key(w, "votes");
	jw_array_begin(w);
	for (size_t i = 0; i < s->nvotes; i++) {
		jw_object_begin(w);
		jw_kstr(w, "approver", s->votes[i].approver);
		jw_kstr(w, "decision", s->votes[i].decision);
		jw_kstr(w, "reason", s->votes[i].reason);
		jw_key(w, "at");
		jw_time(w, s->votes[i].at, true);
		jw_kbool(w, "counts", s->votes[i].counts);
		jw_kstr(w, "not_counted", s->votes[i].not_counted);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static int print_one(struct cli_run *r, const struct signoff *s, const char *what)
{
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		signoff_json(&w, s);
		cli_json_end(r, &buf);
		return 0;
	}
	char date[TS_BUF];
	fprintf(r->out, "sign-off %" PRId64 " of %s version %d %s: %s, %d of %d approvals", s->id,
	        s->metric_key, s->metric_version, what, s->state, s->approvals, s->required);
	fputs(signoff_uncounted_text(r->ctx->arena, s), r->out);
	if (s->expires_at)
		fprintf(r->out, ", expires %s", ts_format_date(s->expires_at, date));
	fputc('\n', r->out);
	return 0;
}

static int cmd_request(struct cli_run *r)
{
	struct signoff s = {0};
	int rc = signoff_request(r->ctx, r->pos[0], &s, &r->err);
	return rc < 0 ? rc : print_one(r, &s, "requested");
}

static int parse_id(struct cli_run *r, int64_t *id)
{
	if (!cli_parse_id(r->pos[0], id))
		return cli_usage_error(&r->err, "sign-off id '%s' is not a positive number",
		                       r->pos[0]);
	return 0;
}

static int vote(struct cli_run *r, bool approve)
{
	int64_t id = 0;
	int rc = parse_id(r, &id);
	struct signoff s = {0};
	if (rc == 0)
		rc = signoff_vote(r->ctx, id, approve, cli_opt(r, "reason"), &s, &r->err);
	return rc < 0 ? rc : print_one(r, &s, approve ? "approved by you" : "rejected by you");
}

static int cmd_approve(struct cli_run *r)
{
	return vote(r, true);
}

static int cmd_reject(struct cli_run *r)
{
	return vote(r, false);
}

static int cmd_list(struct cli_run *r)
{
	struct signoff *all;
	size_t n;
	int rc = signoff_list(r->ctx, cli_opt(r, "metric"), &all, &n, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			signoff_json(&w, &all[i]);
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"id",        "metric",  "version", "state",
	                                      "approvals", "expires", "votes"};
	struct cli_table t;
	cli_table_init(&t, headers, 7);
	for (size_t i = 0; i < n; i++) {
		char id[24], version[16], approvals[32], date[TS_BUF];
		struct sb votes = SB_INIT;
		snprintf(id, sizeof id, "%" PRId64, all[i].id);
		snprintf(version, sizeof version, "%d", all[i].metric_version);
		snprintf(approvals, sizeof approvals, "%d of %d", all[i].approvals,
		         all[i].required);
		for (size_t k = 0; k < all[i].nvotes; k++) {
			const struct signoff_vote *v = &all[i].votes[k];
			sb_printf(&votes, "%s%s %s", k ? ", " : "", v->approver, v->decision);
			if (!v->counts)
				sb_printf(&votes, " (not counted: %s)", v->not_counted);
		}
		cli_table_add(&t, id, all[i].metric_key, version, all[i].state, approvals,
		              all[i].expires_at ? ts_format_date(all[i].expires_at, date) : "",
		              votes.buf);
		sb_release(&votes);
	}
	const char *metric = cli_opt(r, "metric");
	char none[256];
	snprintf(none, sizeof none, "no sign-offs%s%s (plumb signoff request METRIC)",
	         metric ? " of " : " yet", metric ? metric : "");
	cli_table_print_or(r, &t, none);
	cli_table_release(&t);
	return 0;
}

static const struct cli_opt vote_opts[] = {
        {"reason", "TEXT", OPT_VALUE | OPT_REQUIRED,
         "why, one line (kept with the vote and audited)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt list_opts[] = {
        {"metric", "KEY", OPT_VALUE, "only this metric's sign-offs"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"signoff request", OP_SIGNOFF_REQUEST, "METRIC", 1, 1, CMD_JSON, NULL, cmd_request,
         "request leadership sign-off of an incentive-linked metric",
         "For the metric's current version, which must be marked incentive_linked.  The "
         "sign-off expires at that version's next review date.  Until the policy's approvers "
         "(signoff.approvers) approve it, signoff.required of them, the metric cannot be used "
         "in anything tied to compensation or promotion (rule incentive-needs-signoff)."},
        {"signoff approve", OP_SIGNOFF_APPROVE, "ID", 1, 1, CMD_JSON, vote_opts, cmd_approve,
         "approve a sign-off (the policy's approvers only)",
         "One vote per approver.  The required number of approvals approves it."},
        {"signoff reject", OP_SIGNOFF_REJECT, "ID", 1, 1, CMD_JSON, vote_opts, cmd_reject,
         "reject a sign-off (the policy's approvers only)",
         "One rejection rejects the sign-off, whatever approvals it had: a veto.  A new "
         "request starts over."},
        {"signoff list", OP_SIGNOFF_LIST, "", 0, 0, CMD_JSON, list_opts, cmd_list,
         "list sign-offs with their votes and state",
         "State is pending, approved, rejected, expired (past the metric's review date) or "
         "superseded (the metric has another current version); only approved counts."},
};

const struct cli_group cli_group_signoff = {"sign-off", commands,
                                            sizeof commands / sizeof commands[0]};
