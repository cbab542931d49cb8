/* webhook: signature checks and signed deliveries into events (see webhook.h). */
#include "ingest/webhook.h"

#include <cjson/cJSON.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "ingest/ingest.h"
#include "ingest/parse.h"
#include "ingest/run.h"
#include "ingest/source.h"
#include "ingest/webhook_queue.h"
#include "store/store.h"

#define MAC_BYTES crypto_auth_hmacsha256_BYTES
/* v1 values read from one PagerDuty header; rotation needs two. */
#define PD_MAX_SIGNATURES 16

static bool usable(const char *secret)
{
	return secret && *secret;
}

static void hmac(const char *secret, const char *body, size_t len, unsigned char out[MAC_BYTES])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof st);
}

/* Exactly 64 hex digits (either case) into 32 bytes. */
static bool hex_mac(const char *hex, size_t n, unsigned char out[MAC_BYTES])
{
	size_t bin_len = 0;
	const char *end = NULL;
	return n == 2 * MAC_BYTES &&
	       sodium_hex2bin(out, MAC_BYTES, hex, n, NULL, &bin_len, &end) == 0 &&
	       bin_len == MAC_BYTES && end == hex + n;
}

static bool header_ok(const char *header)
{
	return header && strnlen(header, WEBHOOK_HEADER_MAX + 1) <= WEBHOOK_HEADER_MAX &&
	       sodium_init() >= 0;
}

int webhook_github_match(const char *header, const char *body, size_t len,
                         const char *const *secrets, size_t nsecrets)
{
	static const char prefix[] = "sha256=";
	unsigned char want[MAC_BYTES], got[MAC_BYTES];
	if (!header_ok(header) || strncmp(header, prefix, sizeof prefix - 1) != 0)
		return -1;
	const char *hex = header + sizeof prefix - 1;
	if (!hex_mac(hex, strlen(hex), want))
		return -1;
	for (size_t i = 0; i < nsecrets; i++) {
		if (!usable(secrets[i]))
			continue;
		hmac(secrets[i], body, len, got);
		if (sodium_memcmp(got, want, MAC_BYTES) == 0)
			return (int)i;
	}
	return -1;
}

int webhook_pagerduty_match(const char *header, const char *body, size_t len,
                            const char *const *secrets, size_t nsecrets)
{
	unsigned char want[PD_MAX_SIGNATURES][MAC_BYTES], got[MAC_BYTES];
	size_t nwant = 0;
	if (!header_ok(header))
		return -1;
	/* v1=<hex>, comma-separated, spaces around each allowed; anything
	 * else in the list (another version, a bad value) is skipped. */
	/* The first PD_MAX_SIGNATURES v1 values, well formed or not, as the
	 * documentation says: a header of many bad ones is not read to its end. */
	size_t nseen = 0;
	for (const char *p = header; *p && nseen < PD_MAX_SIGNATURES;) {
		size_t n = strcspn(p, ",");
		const char *item = p, *end = p + n;
		while (item < end && (*item == ' ' || *item == '\t'))
			item++;
		while (end > item && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end - item >= 3 && strncmp(item, "v1=", 3) == 0) {
			nseen++;
			if (hex_mac(item + 3, (size_t)(end - item - 3), want[nwant]))
				nwant++;
		}
		p += n + (p[n] == ',');
	}
	for (size_t i = 0; i < nsecrets && nwant; i++) {
		if (!usable(secrets[i]))
			continue;
		hmac(secrets[i], body, len, got);
		for (size_t k = 0; k < nwant; k++)
			if (sodium_memcmp(got, want[k], MAC_BYTES) == 0)
				return (int)i;
	}
	return -1;
}

int webhook_bearer_match(const char *authorization, const char *const *secrets, size_t nsecrets)
{
	if (!header_ok(authorization) || strncasecmp(authorization, "Bearer ", 7) != 0)
		return -1;
	const char *token = authorization + 7;
	while (*token == ' ')
		token++;
	size_t n = strlen(token);
	while (n && (token[n - 1] == ' ' || token[n - 1] == '\t'))
		n--;
	if (n == 0)
		return -1;
	unsigned char want[crypto_generichash_BYTES], got[crypto_generichash_BYTES];
	crypto_generichash(want, sizeof want, (const unsigned char *)token, n, NULL, 0);
	for (size_t i = 0; i < nsecrets; i++) {
		if (!usable(secrets[i]))
			continue;
		crypto_generichash(got, sizeof got, (const unsigned char *)secrets[i],
		                   strlen(secrets[i]), NULL, 0);
		if (sodium_memcmp(got, want, sizeof want) == 0)
			return (int)i;
	}
	return -1;
}

/* ---- receiving ------------------------------------------------------------- */

static const struct webhook_kind {
	const char *name;
	const char *header; /* where the signature travels, for messages */
} kinds[] = {
        {"github", "X-Hub-Signature-256"},
        {"pagerduty", "X-PagerDuty-Signature"},
        {"deploy", "Authorization"},
};

/* The sources of one kind, with what is known of the delivery for each. */
struct candidates {
	const char *kind, *delivery_id;
	const char **names, **secret_envs, **configs;
	int64_t *ids, *added; /* each source's id and when it was added */
	int64_t *earlier_run; /* the run that stored this delivery before, or 0 */
	bool *seen, *paused;
	size_t n;
};

static int load_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct candidates *c = arg;
	c->n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT s.name, s.webhook_secret_env, d.run_id, CASE WHEN "
	                       "d.source_id IS NULL THEN 0 ELSE 1 END, s.config, s.paused_at, "
	                       "s.id, s.created_at "
	                       "FROM sources s "
	                       "LEFT JOIN webhook_deliveries d ON d.source_id = s.id AND "
	                       "d.delivery_id = ? "
	                       "WHERE s.kind = ? ORDER BY s.id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, c->delivery_id);
	stmt_bind_text(st, 2, c->kind);
	size_t a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0, a8 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		c->names = arena_grow(ctx->arena, c->names, c->n, &a1, sizeof *c->names);
		c->secret_envs =
		        arena_grow(ctx->arena, c->secret_envs, c->n, &a2, sizeof *c->secret_envs);
		c->earlier_run =
		        arena_grow(ctx->arena, c->earlier_run, c->n, &a3, sizeof *c->earlier_run);
		c->seen = arena_grow(ctx->arena, c->seen, c->n, &a4, sizeof *c->seen);
		c->configs = arena_grow(ctx->arena, c->configs, c->n, &a5, sizeof *c->configs);
		c->names[c->n] = stmt_text_dup(st, 0, ctx->arena);
		c->secret_envs[c->n] = stmt_text_dup(st, 1, ctx->arena);
		c->earlier_run[c->n] = stmt_is_null(st, 2) ? 0 : stmt_int(st, 2);
		c->seen[c->n] = stmt_int(st, 3) != 0;
		c->configs[c->n] = stmt_text_dup(st, 4, ctx->arena);
		c->paused = arena_grow(ctx->arena, c->paused, c->n, &a6, sizeof *c->paused);
		c->paused[c->n] = !stmt_is_null(st, 5);
		c->ids = arena_grow(ctx->arena, c->ids, c->n, &a7, sizeof *c->ids);
		c->ids[c->n] = stmt_int(st, 6);
		c->added = arena_grow(ctx->arena, c->added, c->n, &a8, sizeof *c->added);
		c->added[c->n] = stmt_int(st, 7);
		c->n++;
	}
	stmt_reset(st);
	/* A read, in the operation's own transaction: nothing to commit. */
	return rc < 0 ? rc : CTX_ROLLBACK;
}

static int match(const char *kind, const struct webhook_request *req, const char *const *secrets,
                 size_t n)
{
	if (strcmp(kind, "github") == 0)
		return webhook_github_match(req->signature, req->body, req->len, secrets, n);
	if (strcmp(kind, "pagerduty") == 0)
		return webhook_pagerduty_match(req->signature, req->body, req->len, secrets, n);
	return webhook_bearer_match(req->signature, secrets, n);
}

static int unauthenticated(const struct webhook_kind *k, size_t with_secret, struct error *err)
{
	err_set(err, ERR_UNAUTHENTICATED,
	        "the %s webhook's %s does not match any %s source's secret", k->name, k->header,
	        k->name);
	if (with_secret == 0)
		err_detail(err,
		           "no %s source has a webhook secret here: none names a "
		           "--webhook-secret-env variable that is set",
		           k->name);
	err_hint(err,
	         "nothing was stored; each %s source's --webhook-secret-env variable must hold "
	         "the secret the sender signs with",
	         k->name);
	return ERR_UNAUTHENTICATED;
}

bool webhook_delivery_id_valid(const char *id)
{
	size_t n = strnlen(id, WEBHOOK_DELIVERY_MAX + 1);
	if (n == 0 || n > WEBHOOK_DELIVERY_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (id[i] <= 0x20 || id[i] >= 0x7f)
			return false;
	return true;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
	                              : -1;
}

static int bad_escape(size_t at, struct error *err)
{
	err_set(err, ERR_INVALID,
	        "a form-encoded github delivery: byte %zu: expected '%%' and two hex digits", at);
	err_hint(err, "nothing was stored");
	return ERR_INVALID;
}

/* A GitHub hook whose content type is application/x-www-form-urlencoded
 * sends "payload=" and the JSON body URL-encoded (other fields, none so
 * far, are skipped).  The signature covers the bytes as sent, so this runs
 * once it is checked.  The JSON goes to *json, in the arena. */
static int form_payload(struct arena *a, const char *body, size_t len, const char **json,
                        size_t *json_len, struct error *err)
{
	size_t start = strlen(WEBHOOK_FORM_PREFIX), end = start;
	while (end < len && body[end] != '&')
		end++;
	char *out = arena_alloc_raw(a, end - start + 1);
	size_t n = 0;
	for (size_t i = start; i < end; i++) {
		char c = body[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi = i + 2 < end ? hex_value(body[i + 1]) : -1;
			int lo = i + 2 < end ? hex_value(body[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return bad_escape(i + 1, err);
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	*json = out;
	*json_len = n;
	return 0;
}

/* Whether the source (its stored config) reads what the delivery is about,
 * as sync does: a github source only its own repositories, a pagerduty
 * source only its --service ones (an account-wide subscription sends every
 * service's incidents).  A delivery that names neither is in scope. */
static bool in_scope(const char *kind, const char *config, const struct parse_delivery *look)
{
	bool github = strcmp(kind, "github") == 0, pd = strcmp(kind, "pagerduty") == 0;
	if (!(github && look->repository) && !(pd && look->service))
		return true;
	cJSON *c = cJSON_Parse(config ? config : "{}");
	bool wanted = github ? source_github_wants(c, look->repository)
	                     : source_pagerduty_wants(c, look->service);
	cJSON_Delete(c);
	return wanted;
}

/* Why a delivery no source reads is ignored, naming what it is about. */
static const char *out_of_scope(struct arena *a, const struct parse_delivery *look,
                                const char *source)
{
	if (look->repository)
		return arena_printf(a, "repository %.200s is not one source %s reads",
		                    look->repository, source);
	return arena_printf(a, "PagerDuty service %.200s is not one source %s reads", look->service,
	                    source);
}

int webhook_kind_check(const char *kind, struct error *err)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kind && strcmp(kind, kinds[i].name) == 0)
			return 0;
	err_set(err, ERR_USAGE, "unknown webhook kind '%s': expected github, pagerduty or deploy",
	        kind ? kind : "");
	return ERR_USAGE;
}

static int parsed_nothing(void *data, const struct event *ev, struct error *err)
{
	(void)data, (void)ev, (void)err;
	return 0;
}

/* Queue the delivery o, to be stored once the database is free, if its
 * body parses: one that does not is refused now, as it would be then. */
static int enqueue(struct ctx *ctx, const char *dir, const char *kind,
                   const struct ingest_body_opts *o, int64_t arrived, struct webhook_result *res,
                   struct error *err)
{
	struct parse_input in = {
	        .source_kind = kind,
	        .format = o->format,
	        .event_name = o->event_name,
	        .origin = o->origin,
	        .data = o->data,
	        .len = o->len,
	        .arena = ctx->arena,
	};
	struct parse_page page;
	int rc = parse_document(&in, parsed_nothing, NULL, &page, err);
	if (rc < 0) {
		if (!err->hint[0])
			err_hint(err, "nothing was stored");
		return rc;
	}
	struct webhook_queue_item item = {
	        .kind = kind,
	        .source = o->source,
	        .source_id = o->source_id,
	        .source_added = o->source_added,
	        .format = o->format,
	        .event_name = o->event_name,
	        .delivery_id = o->delivery_id,
	        .origin = o->origin,
	        .received_at = arrived,
	        .body = o->data,
	        .len = o->len,
	};
	rc = webhook_queue_put(dir, &item, err);
	if (rc < 0)
		return rc;
	res->queued = true;
	return 0;
}

/* Store o now, or queue it: behind those queued before it, if any, or
 * after waiting for another writer past the connection's lock wait.
 * arrived: when it came, the time it is queued with; arrived_s: the same
 * on the monotonic clock, what its wait is counted from.  Another server
 * may store a later delivery first meanwhile: publishing keeps the newer
 * snapshot by the record's own updated_at, so the order changes nothing
 * seen (webhook-pull-request-order.sh). */
static int store_or_queue(struct ctx *ctx, const struct webhook_request *req, const char *kind,
                          const struct ingest_body_opts *o, int64_t arrived, double arrived_s,
                          struct ingest_result *ir, struct webhook_result *res, struct error *err)
{
	size_t waiting = 0;
	int rc;
	if (req->queue_dir && (rc = webhook_queue_count(req->queue_dir, &waiting, err)) < 0)
		return rc;
	if (waiting > 0)
		return enqueue(ctx, req->queue_dir, kind, o, arrived, res, err);
	/* Deliveries that came while another waited for the database took
	 * turns: what one spent in line counts against its wait, or a line of
	 * them during a large ingest answered after GitHub's 10 s. */
	int was = store_lock_wait(ctx->store);
	if (req->queue_dir) {
		/* Monotonic: the system clock stepped forward (NTP, a resumed VM)
		 * queued a delivery that had not waited, and stepped back had it
		 * wait for the lock past the sender's timeout. */
		int64_t left = req->queue_wait_ms - (int64_t)((ts_mono_s() - arrived_s) * 1000.0);
		if (left <= 0)
			return enqueue(ctx, req->queue_dir, kind, o, arrived, res, err);
		if ((rc = store_set_lock_wait(ctx->store, (int)left, err)) < 0)
			return rc;
	}
	rc = ingest_webhook_body(ctx, o, ir, err);
	struct error ignored = {0};
	(void)store_set_lock_wait(ctx->store, was, &ignored);
	if (rc == ERR_BUSY && req->queue_dir) {
		err_clear(err); /* the wait's error is not the queue's */
		return enqueue(ctx, req->queue_dir, kind, o, arrived, res, err);
	}
	return rc;
}

int webhook_receive(struct ctx *ctx, const struct webhook_request *req, struct webhook_result *res,
                    struct error *err)
{
	/* A queued delivery keeps when it came, not when it gave up waiting. */
	int64_t arrived = ts_clock_ms();
	double arrived_s = ts_mono_s();
	memset(res, 0, sizeof *res);
	const struct webhook_kind *k = NULL;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (req->kind && strcmp(req->kind, kinds[i].name) == 0)
			k = &kinds[i];
	int rc = ctx_op_check(ctx, OP_WEBHOOK_RECEIVE, err);
	if (rc < 0)
		return rc;
	if (!k)
		return webhook_kind_check(req->kind, err);
	if (req->len > INGEST_DOCUMENT_MAX)
		return err_set(err, ERR_TOO_BIG,
		               "a %s webhook body of %zu bytes: over the limit of %zu", k->name,
		               req->len, INGEST_DOCUMENT_MAX);
	struct candidates c = {.kind = k->name, .delivery_id = req->delivery_id};
	/* Read outside any transaction, like a session lookup: an unsigned
	 * delivery must not queue behind (or hold up) the database's writers. */
	rc = load_body(ctx, &c, err);
	if (rc < 0)
		return rc;
	const char **secrets = arena_array(ctx->arena, c.n ? c.n : 1, sizeof *secrets);
	size_t with_secret = 0;
	for (size_t i = 0; i < c.n; i++) {
		secrets[i] = c.secret_envs[i] ? getenv(c.secret_envs[i]) : NULL;
		with_secret += usable(secrets[i]);
	}
	int which = match(k->name, req, secrets, c.n);
	/* The secrets are the environment's: only the pointers are dropped. */
	if (which < 0)
		return unauthenticated(k, with_secret, err);
	const char *body = req->body;
	size_t len = req->len;
	if (strcmp(k->name, "github") == 0 && len >= strlen(WEBHOOK_FORM_PREFIX) &&
	    memcmp(body, WEBHOOK_FORM_PREFIX, strlen(WEBHOOK_FORM_PREFIX)) == 0 &&
	    (rc = form_payload(ctx->arena, req->body, req->len, &body, &len, err)) < 0)
		return rc;
	/* Senders deliver more than plumb reads (a ping when a hook is made,
	 * events nobody asked for, an organization's other repositories):
	 * acknowledged, so they are not sent again, and nothing is stored. */
	struct parse_delivery look;
	parse_delivery_look(k->name, req->event, body, len, ctx->arena, &look);
	/* An organization's hook (a PagerDuty account's subscription) has one
	 * secret, which sources splitting the organization (its services)
	 * share: the delivery goes to the first of those whose secret signed it
	 * that reads its repository (service), and is not paused.  Only paused
	 * ones: the first, whose run refuses it (409), so the sender keeps it
	 * to redeliver. */
	int signer = which, paused = -1;
	while (which >= 0 && !look.unread &&
	       (!in_scope(k->name, c.configs[which], &look) || c.paused[which])) {
		if (c.paused[which] && paused < 0 && in_scope(k->name, c.configs[which], &look))
			paused = which;
		secrets[which] = NULL;
		which = match(k->name, req, secrets, c.n);
	}
	if (which < 0 && paused >= 0)
		which = paused;
	if (which < 0) {
		which = signer;
		look.unread = out_of_scope(ctx->arena, &look, c.names[signer]);
	}
	res->source = c.names[which];
	if (look.unread) {
		res->ignored = true;
		res->reason = look.unread;
		return 0;
	}
	if (req->delivery_id && !webhook_delivery_id_valid(req->delivery_id)) {
		err_set(err, ERR_INVALID,
		        "the delivery id is malformed: expected 1 to %d printable characters "
		        "without spaces",
		        WEBHOOK_DELIVERY_MAX);
		err_hint(err, "nothing was stored");
		return ERR_INVALID;
	}
	/* A hook's delivery goes to one of the sources sharing its secret:
	 * stored by another of them (one paused since, or one that read it
	 * before a pause moved it on), it is a redelivery all the same, and
	 * storing it again would duplicate its events under a second source
	 * (found in review).  Sources of other secrets are other hooks. */
	for (size_t i = 0; i < c.n && !c.seen[which]; i++) {
		const char *own = c.seen[i] && c.secret_envs[i] ? getenv(c.secret_envs[i]) : NULL;
		if (usable(own) && match(k->name, req, &own, 1) == 0)
			which = (int)i;
	}
	if (c.seen[which]) {
		res->source = c.names[which];
		res->duplicate = true;
		res->run_id = c.earlier_run[which];
		return 0;
	}
	const char *origin = req->delivery_id ? arena_printf(ctx->arena, "%s webhook delivery %s",
	                                                     k->name, req->delivery_id)
	                                      : arena_printf(ctx->arena, "%s webhook", k->name);
	struct ingest_body_opts o = {
	        .source = res->source,
	        .source_id = c.ids[which],
	        .source_added = c.added[which],
	        .origin = origin,
	        .event_name = req->event,
	        .delivery_id = req->delivery_id,
	        .format = look.format,
	        .data = body,
	        .len = len,
	};
	/* A paused source's run refuses the delivery (409, so the sender keeps
	 * it): refused now, read outside any transaction like the rest, not
	 * after waiting for the write lock, and never queued as accepted. */
	if (c.paused[which]) {
		struct ingest_source src;
		rc = ingest_source_load_tx(ctx, res->source, &src, err);
		if (rc == 0)
			rc = ingest_source_paused(ctx->arena, &src, err);
		if (rc < 0)
			return rc;
	}
	struct ingest_result ir;
	if (req->queue_dir && req->turns)
		webhook_queue_turn_begin(req->turns);
	rc = store_or_queue(ctx, req, k->name, &o, arrived, arrived_s, &ir, res, err);
	if (req->queue_dir && req->turns)
		webhook_queue_turn_end(req->turns);
	if (rc < 0 || res->queued)
		return rc;
	res->duplicate = ir.duplicate;
	res->run_id = ir.run_id;
	if (ir.duplicate) {
		/* Stored by another process since the first look, by this source
		 * or another of its hook: say which, and its run (found in review:
		 * the other's was said as this one's, run 0).  Read outside any
		 * transaction, as the candidates were. */
		const char *by;
		int64_t run_id;
		rc = ingest_delivery_stored_tx(ctx, res->source, o.delivery_id, &by, &run_id, err);
		if (rc == 0 && by) {
			res->source = by;
			res->run_id = run_id;
		}
		return rc < 0 ? rc : 0;
	}
	res->documents = ir.counts.documents;
	res->records = ir.counts.records;
	res->inserted = ir.counts.inserted;
	res->updated = ir.counts.updated;
	res->unchanged = ir.counts.unchanged;
	res->merged = ir.counts.merged;
	res->skipped = ir.counts.skipped;
	res->service_ids = ir.touched.service_ids;
	res->nservices = ir.touched.nservices;
	res->event_kinds = ir.touched.kinds;
	res->nkinds = ir.touched.nkinds;
	return 0;
}
