/* cli_me: what plumb holds about the person running the command. */
#include <inttypes.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "govern/me.h"

static void print_report(FILE *o, const struct me_report *r)
{
	char a[TS_BUF], b[TS_BUF];
	int64_t now = ts_now_ms();
	fprintf(o, "%s %s <%s>, %s, %s, team %s\n", r->employee_id, r->name, r->email,
	        r->title[0] ? r->title : "no title", r->country, r->team ? r->team : "none");
	fprintf(o, "accounts:");
	for (size_t i = 0; i < r->naccounts; i++)
		fprintf(o, " %s", r->accounts[i]);
	fprintf(o, "%s\n", r->naccounts ? "" : " none");
	if (r->nmerged) {
		fprintf(o, "records merged into yours, counted here:");
		for (size_t i = 0; i < r->nmerged; i++)
			fprintf(o, " %s", r->merged[i]);
		fputc('\n', o);
	}
	fprintf(o, "\nwhat plumb holds about you (policy version %d):\n", r->policy_version);
	for (size_t i = 0; i < r->nholdings; i++) {
		const struct me_holding *h = &r->holdings[i];
		if (!h->count)
			continue;
		/* The holding named first, its count after: "what" is a plural
		 * phrase, which "1 self reviews you wrote" misused. */
		fprintf(o, "  %s", h->what);
		if (h->source)
			fprintf(o, " from %s", h->source);
		if (h->mechanism)
			fprintf(o, " (mechanism %s)", h->mechanism);
		fprintf(o, ": %" PRId64, h->count);
		/* No times for what others wrote about you: they would tell when they wrote. */
		if (h->first)
			fprintf(o, ", %s to %s", ts_format_date(h->first, a),
			        ts_format_date(h->last, b));
		fputc('\n', o);
		if (h->retention_days && h->next_deletion)
			fprintf(o, "    kept %" PRId64 " days, then %sd; the oldest %s %s",
			        h->retention_days, h->retention_action,
			        h->next_deletion <= now ? "has been due since" : "on",
			        ts_format_date(h->next_deletion, a));
		else if (h->retention_days)
			fprintf(o, "    kept %" PRId64 " days, then %sd", h->retention_days,
			        h->retention_action);
		else
			fprintf(o, "    kept without a time limit");
		if (h->anonymized)
			fprintf(o, "; %" PRId64 " anonymized already", h->anonymized);
		fputc('\n', o);
	}
	if (r->nmechanisms)
		fprintf(o, "\ntracking mechanisms:\n");
	for (size_t i = 0; i < r->nmechanisms; i++)
		fprintf(o, "  %-24s %s\n", r->mechanisms[i].key, r->mechanisms[i].status);
	fprintf(o, "\nconsent records:%s\n", r->nconsents ? "" : " none");
	for (size_t i = 0; i < r->nconsents; i++)
		fprintf(o, "  %s %s %s, recorded by %s%s%s\n", ts_format(r->consents[i].at, a),
		        r->consents[i].mechanism, r->consents[i].state, r->consents[i].recorded_by,
		        r->consents[i].note ? ": " : "",
		        r->consents[i].note ? r->consents[i].note : "");
	fprintf(o, "\ndemographic attributes held:");
	for (size_t i = 0; i < r->ndemographics; i++)
		fprintf(o, " %s", r->demographics[i]);
	fprintf(o, "%s\n", r->ndemographics ? "" : " none");
	fprintf(o, "\nwho else read or changed your records:%s\n", r->naccesses ? "" : " nobody");
	for (size_t i = 0; i < r->naccesses; i++)
		fprintf(o, "  %s %s %s\n", ts_format(r->accesses[i].at, a), r->accesses[i].actor,
		        r->accesses[i].action);
}

static int cmd_me(struct cli_run *r)
{
	struct me_report *rep;
	int rc = me_show(r->ctx, &rep, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		me_report_json(&w, rep);
		cli_json_end(r, &buf);
		return 0;
	}
	print_report(r->out, rep);
	return 0;
}

static int cmd_me_export(struct cli_run *r)
{
	struct sb out = SB_INIT;
	const char *path = cli_opt(r, "output");
	/* The file is made before the read: the read's audit entry, written when
	 * it ends, must not record an export whose file could not be made. */
	int fd = -1;
	if (path && file_open_new(path, 0600, &fd, &r->err) < 0)
		return r->err.code;
	int rc = me_export(r->ctx, &out, !r->global->compact, &r->err);
	if (rc == 0)
		sb_putc(&out, '\n');
	if (rc == 0 && path)
		rc = file_write_close(fd, path, out.buf, out.len, &r->err);
	else if (rc == 0)
		fwrite(out.buf, 1, out.len, r->out);
	else if (path)
		close(fd);
	if (rc < 0 && path)
		unlink(path);
	if (rc == 0 && path)
		fprintf(r->out, "everything plumb holds about you written to %s\n", path);
	sb_release(&out);
	return rc;
}

static const struct cli_opt export_opts[] = {
        {"output", "FILE", OPT_VALUE, "write to FILE (a new file, mode 0600), not stdout"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"me", OP_ME_SHOW, "", 0, 0, CMD_JSON, NULL, cmd_me,
         "what plumb holds about you: data, sources, mechanisms, consent, retention, readers",
         "Every data category plumb holds about the person running the command (or --as), "
         "from which sources and tracking mechanisms, when each is deleted under the policy, "
         "the consent records, the demographic attributes held, and who else read or "
         "changed the person's records (from the audit log). The web page /me shows the "
         "same."},
        {"me export", OP_ME_EXPORT, "", 0, 0, CMD_JSON, export_opts, cmd_me_export,
         "export everything plumb holds about you as one JSON document",
         "What a subject access request needs: the report of 'plumb me' and every record "
         "behind it. The export itself is recorded in the audit log."},
};

const struct cli_group cli_group_me = {"me", commands, sizeof commands / sizeof commands[0]};
