/* cli_notify: `plumb notify`, review reminders by email and chat, and the delivery options
 * `plumb serve --notify-every` shares. */
#include <inttypes.h>
#include <stdlib.h>

#include "base/ts.h"
#include "cli/cli.h"
#include "core/ctx.h"
#include "review/mail.h"
#include "review/notify.h"

/* The value of the environment variable named by option opt, or NULL when
 * the option is absent; ERR_USAGE when the variable is unset or empty. */
static int env_opt(struct cli_run *r, const char *opt, const char **var, const char **value)
{
	*var = cli_opt(r, opt);
	*value = NULL;
	if (!*var)
		return 0;
	/* Not echoed when it is no name: it may be the secret itself. */
	if (!**var ||
	    strspn(*var, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") !=
	            strlen(*var)) {
		err_set(&r->err, ERR_USAGE, "--%s: expected the NAME of an environment variable",
		        opt);
		err_hint(&r->err, "put the secret in a variable and name it: --%s SMTP_PASSWORD",
		         opt);
		return ERR_USAGE;
	}
	*value = getenv(*var);
	if (!*value || !**value) {
		err_set(&r->err, ERR_USAGE, "--%s: $%s is not set", opt, *var);
		return ERR_USAGE;
	}
	return 0;
}

static int days_opt(struct cli_run *r, const char *name, int dflt, int *out)
{
	long long v;
	bool given;
	int rc = cli_opt_int(r, name, 0, NOTIFY_DAYS_MAX, &v, &given);
	*out = given ? (int)v : dflt;
	return rc;
}

int cli_notify_options(struct cli_run *r, struct notify_options *o, struct mail_smtp *smtp,
                       struct mail_chat *chat)
{
	memset(smtp, 0, sizeof *smtp);
	memset(chat, 0, sizeof *chat);
	int rc;
	if ((rc = days_opt(r, "due-within", NOTIFY_DUE_WITHIN_DAYS, &o->due_within_days)) < 0 ||
	    (rc = days_opt(r, "grace", NOTIFY_GRACE_DAYS, &o->grace_days)) < 0)
		return rc;
	const char *url = cli_opt(r, "smtp-url"), *from = cli_opt(r, "from");
	if (!url != !from) {
		err_set(&r->err, ERR_USAGE, "%s",
		        url ? "--smtp-url needs --from" : "--from needs --smtp-url");
		return ERR_USAGE;
	}
	if (!url && (cli_opt(r, "smtp-user") || cli_opt(r, "smtp-password-env")))
		return err_set(&r->err, ERR_USAGE,
		               "--smtp-user and --smtp-password-env need --smtp-url");
	if (url) {
		smtp->url = url;
		smtp->from = from;
		smtp->user = cli_opt(r, "smtp-user");
		if ((rc = env_opt(r, "smtp-password-env", &smtp->password_env, &smtp->password)) <
		    0)
			return rc;
		o->smtp = smtp;
	}
	if ((rc = env_opt(r, "chat-webhook-env", &chat->url_env, &chat->url)) < 0)
		return rc;
	if (chat->url)
		o->chat = chat;
	return 0;
}

static void json_report(struct jw *w, const struct notify_report *rep)
{
	jw_object_begin(w);
	jw_key(w, "as_of");
	jw_time(w, rep->as_of, true);
	jw_kbool(w, "dry_run", rep->dry_run);
	jw_kint(w, "cycles", rep->cycles);
	jw_kint(w, "pending", rep->pending);
	jw_kint(w, "sent", rep->sent);
	jw_kint(w, "would_send", rep->would_send);
	jw_kint(w, "failed", rep->failed);
	jw_kint(w, "skipped", rep->skipped);
	jw_kbool(w, "stopped", rep->stopped);
	jw_key(w, "reminders");
	jw_array_begin(w);
	for (size_t i = 0; i < rep->n; i++) {
		const struct notify_reminder *x = &rep->reminders[i];
		jw_object_begin(w);
		jw_kstr(w, "cycle", x->cycle);
		jw_kint(w, "assignment", x->assignment_id);
		jw_kstr(w, "relation", x->relation);
		jw_kstr(w, "reviewee", x->reviewee);
		jw_kstr(w, "reviewer", x->reviewer);
		jw_kstr(w, "kind", notify_kind_name(x->kind));
		jw_kstr(w, "channel", notify_channel_name(x->channel));
		jw_kstr(w, "recipient", x->recipient);
		jw_kstr(w, "recipient_name", x->recipient_name);
		jw_kstr(w, "email",
		        x->channel == NOTIFY_EMAIL && x->recipient_email && *x->recipient_email
		                ? x->recipient_email
		                : NULL);
		jw_key(w, "due_at");
		jw_time(w, x->due_at, true);
		jw_kstr(w, "outcome", notify_outcome_name(x->outcome));
		jw_kstr(w, "why", x->why);
		jw_key(w, "reminder");
		if (x->reminder_id)
			jw_int(w, x->reminder_id);
		else
			jw_null(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static const char *outcome_word(enum notify_outcome outcome)
{
	return outcome == NOTIFY_WOULD_SEND ? "would send" : notify_outcome_name(outcome);
}

static void print_report(struct cli_run *r, const struct notify_report *rep)
{
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		json_report(&w, rep);
		cli_json_end(r, &buf);
		return;
	}
	for (size_t i = 0; i < rep->n; i++) {
		const struct notify_reminder *x = &rep->reminders[i];
		fprintf(r->out, "%s: %s by %s to %s (%s", outcome_word(x->outcome),
		        notify_kind_name(x->kind), notify_channel_name(x->channel),
		        x->recipient_name ? x->recipient_name : "nobody",
		        x->recipient ? x->recipient : "-");
		if (x->channel == NOTIFY_EMAIL && x->recipient_email && *x->recipient_email)
			fprintf(r->out, ", %s", x->recipient_email);
		fprintf(r->out, "): cycle %s, assignment %" PRId64 " (%s, %s reviews %s)", x->cycle,
		        x->assignment_id, x->relation, x->reviewer, x->reviewee);
		if (x->why)
			fprintf(r->out, ": %s", x->why);
		fputc('\n', r->out);
	}
	char when[TS_BUF];
	ts_format(rep->as_of, when);
	if (rep->dry_run)
		fprintf(r->out,
		        "dry run as of %s: %d would be sent, %d skipped; nothing sent or "
		        "recorded",
		        when, rep->would_send, rep->skipped);
	else
		fprintf(r->out, "notify as of %s: %d sent, %d failed, %d skipped", when, rep->sent,
		        rep->failed, rep->skipped);
	fprintf(r->out, " (%d open %s, %d %s pending)\n", rep->cycles,
	        cli_plural(rep->cycles, "cycle", "cycles"), rep->pending,
	        cli_plural(rep->pending, "assignment", "assignments"));
}

static int cmd_notify(struct cli_run *r)
{
	struct notify_options o = {.dry_run = cli_flag(r, "dry-run")};
	struct mail_smtp smtp;
	struct mail_chat chat;
	bool given;
	int rc = cli_opt_time(r, "as-of", &o.as_of, &given);
	if (rc == 0 && !given)
		o.as_of = ts_now_ms();
	if (rc == 0)
		rc = cli_notify_options(r, &o, &smtp, &chat);
	if (rc < 0)
		return rc;
	struct notify_report rep = {0};
	rc = notify_run(r->ctx, &o, &rep, &r->err);
	/* A failed send still leaves a report: what went out and what did not. */
	if (rc == 0 || rep.failed)
		print_report(r, &rep);
	return rc;
}

static const struct cli_opt notify_opts[] = {
        {"as-of", "TIME", OPT_VALUE, "act as if it were TIME (default: now)"},
        CLI_NOTIFY_OPTS,
        {"dry-run", NULL, 0, "say what would be sent; send and record nothing"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"notify", OP_NOTIFY, "", 0, 0, CMD_JSON, notify_opts, cmd_notify,
         "send due and overdue review reminders; escalate to managers",
         "For each open cycle, each active assignment of its current phase that is not done: "
         "a 'due' reminder to the reviewer when due within --due-within days, 'overdue' once "
         "past due, and 'escalation' to the reviewer's manager once more than --grace days "
         "past due; by email (--smtp-url, --from) and to a chat webhook (--chat-webhook-env), "
         "whichever are given. Each reminder goes out once per assignment, kind and channel: "
         "it is recorded, with an audit entry, and shown in cycle status. A failed send is "
         "not recorded (the next run tries again), does not stop the others, and makes the "
         "exit status 1. Passwords and the webhook URL are read from the environment "
         "variables named. Run it from cron, or let `plumb serve --notify-every` run it. "
         "Admins only."},
};

const struct cli_group cli_group_notify = {"notify", commands,
                                           sizeof commands / sizeof commands[0]};
