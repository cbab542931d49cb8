/* cli_audit: audit log, verify and checkpoint. */
#include <inttypes.h>

#include "base/arena.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "core/audit.h"
#include "core/auditops.h"
#include "core/ctx.h"

static int cmd_audit_log(struct cli_run *r)
{
	struct audit_filter f = {0};
	int rc = cli_opt_time(r, "since", &f.since, &f.has_since);
	long long limit = 0;
	bool given;
	if (rc == 0)
		rc = cli_opt_int(r, "limit", 1, INT64_MAX, &limit, &given);
	if (rc < 0)
		return rc;
	f.limit = limit;
	const char *object = cli_opt(r, "object");
	if (object) {
		const char *colon = strchr(object, ':');
		if (!colon || colon == object || !colon[1]) {
			err_set(&r->err, ERR_USAGE, "--object: '%s' is not TYPE:ID", object);
			err_hint(&r->err, "for example --object person:E042");
			return ERR_USAGE;
		}
		char *type = arena_strndup(r->ctx->arena, object, (size_t)(colon - object));
		f.object_type = type;
		f.object_id = colon + 1;
	}
	struct audit_entry *entries;
	size_t n;
	if ((rc = auditops_log(r->ctx, &f, &entries, &n, &r->err)) < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++) {
			const struct audit_entry *e = &entries[i];
			jw_object_begin(&w);
			jw_kint(&w, "seq", e->seq);
			jw_key(&w, "at");
			jw_time(&w, e->at, true);
			jw_kstr(&w, "actor", e->actor);
			jw_kstr(&w, "os_user", e->os_user);
			jw_kstr(&w, "action", e->action);
			jw_kstr(&w, "object_type", e->object_type);
			jw_kstr(&w, "object_id", e->object_id);
			jw_key(&w, "detail");
			jw_raw(&w, e->detail);
			jw_kstr(&w, "prev_hash", e->prev_hash);
			jw_kstr(&w, "hash", e->hash);
			jw_kstr(&w, "redacted", e->redacted);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	static const char *const headers[] = {"seq", "at", "actor", "action", "object", "detail"};
	struct cli_table t;
	cli_table_init(&t, headers, 6);
	for (size_t i = 0; i < n; i++) {
		const struct audit_entry *e = &entries[i];
		char seq[24], at[TS_BUF], actor[160];
		snprintf(seq, sizeof seq, "%" PRId64, e->seq);
		if (e->os_user)
			snprintf(actor, sizeof actor, "%s (as, by %s)", e->actor, e->os_user);
		else
			snprintf(actor, sizeof actor, "%s", e->actor);
		char *object_name =
		        arena_printf(r->ctx->arena, "%s:%s", e->object_type, e->object_id);
		cli_table_add(&t, seq, ts_format(e->at, at), actor, e->action, object_name,
		              e->detail);
	}
	cli_table_print_or(r, &t, "no audit entries match");
	cli_table_release(&t);
	return 0;
}

static int cmd_audit_verify(struct cli_run *r)
{
	struct audit_verify_report rep;
	int rc = auditops_verify(r->ctx, cli_opt(r, "public-key"), cli_opt(r, "head"), &rep,
	                         &r->err);
	if (r->global->json && (rc == 0 || rc == ERR_TAMPERED)) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kbool(&w, "verified", rc == 0);
		jw_kint(&w, "entries", rep.entries);
		jw_kint(&w, "redacted", rep.redacted);
		jw_kint(&w, "checkpoints", rep.checkpoints);
		jw_kint(&w, "last_checkpoint_seq", rep.last_checkpoint_seq);
		jw_key(&w, "first_bad_seq");
		if (rep.bad_seq)
			jw_int(&w, rep.bad_seq);
		else
			jw_null(&w);
		jw_kstr(&w, "key_id", rep.key_id);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		/* "verified": false is the answer, not a failure to give one (cli.h). */
		if (rc == ERR_TAMPERED)
			r->found_status = 1;
	}
	if (rc < 0)
		return rc;
	if (!r->global->json)
		fprintf(r->out,
		        "verified %" PRId64 " entries (%" PRId64
		        " signed checkpoints, key %s; %" PRId64 " redacted by retention)\n",
		        rep.entries, rep.checkpoints, rep.key_id, rep.redacted);
	return 0;
}

static int cmd_audit_checkpoint(struct cli_run *r)
{
	struct audit_checkpoint cp;
	int rc = auditops_checkpoint(r->ctx, &cp, &r->err);
	if (rc < 0)
		return rc;
	char at[TS_BUF];
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "seq", cp.seq);
		jw_kstr(&w, "hash", cp.hash);
		jw_kstr(&w, "at", ts_format(cp.at, at));
		jw_kstr(&w, "key_id", cp.key_id);
		jw_kstr(&w, "public_key", cp.public_key[0] ? cp.public_key : NULL);
		jw_kstr(&w, "signature", cp.signature);
		char *head = arena_printf(r->ctx->arena, "%" PRId64 ":%s", cp.seq, cp.hash);
		jw_kstr(&w, "head", head);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "plumb-audit-checkpoint seq=%" PRId64 " hash=%s at=%s key=%s sig=%s\n",
	        cp.seq, cp.hash, ts_format(cp.at, at), cp.key_id, cp.signature);
	if (cp.public_key[0])
		fprintf(r->out, "public key: %s\n", cp.public_key);
	fprintf(r->out,
	        "publish this line; later, check against it with:\n"
	        "  plumb audit verify --head %" PRId64 ":%s%s%s\n",
	        cp.seq, cp.hash, cp.public_key[0] ? " --public-key " : "", cp.public_key);
	return 0;
}

static const struct cli_opt log_opts[] = {
        {"since", "TIME", OPT_VALUE, "entries at or after TIME"},
        {"object", "TYPE:ID", OPT_VALUE, "entries about one object, e.g. person:E042"},
        {"limit", "N", OPT_VALUE, "only the newest N entries"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_opt verify_opts[] = {
        {"public-key", "HEX", OPT_VALUE,
         "verify with this public key (as printed by 'plumb audit checkpoint') instead of the key "
         "file"},
        {"head", "SEQ:HASH", OPT_VALUE,
         "also require a head published earlier by 'plumb audit checkpoint' (catches a cut-off "
         "end)"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"audit log", OP_AUDIT_LOG, "", 0, 0, CMD_JSON | CMD_CSV, log_opts, cmd_audit_log,
         "read the audit log", NULL},
        {"audit verify", OP_AUDIT_VERIFY, "", 0, 0, CMD_JSON, verify_opts, cmd_audit_verify,
         "verify the hash chain and its signed checkpoints",
         "Exits 0 with 'verified N entries' when every entry matches its hash, each entry links to "
         "the one before, every signed checkpoint verifies and the chain reaches the last "
         "checkpoint; "
         "otherwise exits 1 naming the first bad sequence number."},
        {"audit checkpoint", OP_AUDIT_CHECKPOINT, "", 0, 0, CMD_JSON, NULL, cmd_audit_checkpoint,
         "print the latest signed head, for publishing outside the database", NULL},
};

const struct cli_group cli_group_audit = {"audit", commands, sizeof commands / sizeof commands[0]};
