/* pseudonym: keyed-hash pseudonyms from a key ring kept outside the database. */
#include "core/pseudonym.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/fileio.h"
#include "base/mem.h"
#include "base/sb.h"
#include "core/ctx.h"
#include "core/ops.h"
#include "store/store.h"

#define RING_MAGIC            "plumb-pseudonym-key v1\n"
#define KEY_BYTES             32
#define RING_MAX_KEYS         256
#define HASH_HEX              16
#define PSEUDONYM_META_KEY_ID "pseudonym_key_id"

struct pseudonym_ring {
	int nkeys;
	unsigned char keys[RING_MAX_KEYS][KEY_BYTES];
	struct timespec mtime;
	off_t size;
	bool bound; /* checked against, or recorded in, the database (ring_bind) */
};

const char *pseudonym_key_path(struct arena *a, const char *audit_key_path)
{
	const char *env = getenv("PLUMB_PSEUDONYM_KEY");
	if (env && *env)
		return arena_strdup(a, env);
	if (!audit_key_path)
		return NULL;
	const char *slash = strrchr(audit_key_path, '/');
	if (!slash)
		return "pseudonym.key";
	return arena_printf(a, "%.*s/pseudonym.key", (int)(slash - audit_key_path), audit_key_path);
}

static int no_path(struct error *err)
{
	err_set(err, ERR_USAGE, "no pseudonym key path: HOME is not set");
	err_hint(err, "set PLUMB_PSEUDONYM_KEY, or PLUMB_AUDIT_KEY (the key sits beside it)");
	return ERR_USAGE;
}

static void append_key(struct sb *body)
{
	unsigned char key[KEY_BYTES];
	char hex[2 * KEY_BYTES + 1];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	sb_printf(body, "%s\n", hex);
	sodium_memzero(key, sizeof key);
	sodium_memzero(hex, sizeof hex);
}

int pseudonym_key_create(const char *path, bool *created, struct error *err)
{
	struct stat st;
	*created = false;
	if (!path)
		return no_path(err);
	if (stat(path, &st) == 0)
		return 0;
	struct sb body = SB_INIT;
	sb_puts(&body, RING_MAGIC);
	append_key(&body);
	int rc = file_create_new(path, body.buf, body.len, 0600, err);
	sodium_memzero(body.buf, body.len);
	sb_release(&body);
	if (rc == ERR_CONFLICT) { /* created meanwhile by another process */
		err_clear(err);
		return 0;
	}
	if (rc == 0)
		*created = true;
	return rc;
}

static int ring_parse(const char *path, char *data, size_t len, struct pseudonym_ring *r,
                      struct error *err)
{
	size_t magic = strlen(RING_MAGIC);
	r->nkeys = 0;
	if (len < magic || memcmp(data, RING_MAGIC, magic) != 0)
		goto bad;
	for (size_t at = magic; at < len;) {
		const char *nl = memchr(data + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (data + at)) : len - at;
		size_t got = 0;
		if (n != 2 * KEY_BYTES || r->nkeys == RING_MAX_KEYS ||
		    sodium_hex2bin(r->keys[r->nkeys], KEY_BYTES, data + at, n, NULL, &got, NULL) !=
		            0 ||
		    got != KEY_BYTES)
			goto bad;
		r->nkeys++;
		at += n + 1;
	}
	if (r->nkeys > 0)
		return 0;
bad:
	err_set(err, ERR_INVALID, "%s is not a plumb pseudonym key", path);
	err_detail(err,
	           "expected a first line 'plumb-pseudonym-key v1', then lines of 64 hex digits");
	return ERR_INVALID;
}

static int ring_read(const char *path, struct pseudonym_ring *r, struct error *err)
{
	if (!path)
		return no_path(err);
	struct stat st;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		err_set(err, ERR_INVALID, "pseudonym key %s is not a regular file", path);
		err_hint(err, "the key is a file 'plumb init' made");
		return ERR_INVALID;
	}
	if (stat(path, &st) == 0 && (st.st_mode & 077)) {
		err_set(err, ERR_POLICY, "pseudonym key %s is readable by other users", path);
		err_detail(err, "its mode is %04o", (unsigned)(st.st_mode & 07777));
		err_hint(err, "chmod 600 %s", path);
		return ERR_POLICY;
	}
	char *data = NULL;
	size_t len = 0;
	int rc =
	        file_read(path, (size_t)RING_MAX_KEYS * (2 * KEY_BYTES + 1) + 64, &data, &len, err);
	if (rc < 0) {
		err_hint(err, "the pseudonym key is created by 'plumb init'; point to it with "
		              "PLUMB_PSEUDONYM_KEY");
		return rc;
	}
	rc = ring_parse(path, data, len, r, err);
	sodium_memzero(data, len);
	free(data);
	r->mtime = st.st_mtim;
	r->size = st.st_size;
	return rc;
}

static void keyed_hex(const unsigned char key[KEY_BYTES], const char *domain, const char *a,
                      const char *b, char hex[HASH_HEX + 1])
{
	/* BLAKE2b keyed: domain, then each part with its length, so no two
	 * inputs share an encoding. */
	crypto_generichash_state st;
	unsigned char h[crypto_generichash_BYTES_MIN];
	crypto_generichash_init(&st, key, KEY_BYTES, sizeof h);
	const char *parts[] = {domain, a, b};
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		const char *p = parts[i] ? parts[i] : "";
		unsigned char len[8];
		uint64_t n = strlen(p);
		for (int k = 0; k < 8; k++)
			len[k] = (unsigned char)(n >> (8 * k));
		crypto_generichash_update(&st, len, sizeof len);
		crypto_generichash_update(&st, (const unsigned char *)p, n);
	}
	crypto_generichash_final(&st, h, sizeof h);
	sodium_bin2hex(hex, HASH_HEX + 1, h, HASH_HEX / 2);
}

/* The id of a ring: a keyed hash of its first key, which rotation keeps. */
static void ring_id(const struct pseudonym_ring *r, char hex[HASH_HEX + 1])
{
	keyed_hex(r->keys[0], "ring id", NULL, NULL, hex);
}

/* A database's pseudonyms are made with one ring, whose id its meta table
 * keeps from the first write that has the ring (init, or the first after an
 * upgrade).  Another ring is refused, as another audit key is (found in
 * review: a link under another install's ring found none of the account's
 * held events, then said "already linked" under the right one). */
static int ring_bind(struct ctx *ctx, struct pseudonym_ring *r, const char *path, struct error *err)
{
	char id[HASH_HEX + 1];
	ring_id(r, id);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT value FROM meta WHERE key = '" PSEUDONYM_META_KEY_ID "'",
	                       &st, err);
	if (rc < 0)
		return rc;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW && strcmp(stmt_text(st, 0), id) != 0) {
		err_set(err, ERR_POLICY,
		        "the pseudonym key %s (id %s) is not the ring this database's pseudonyms "
		        "were made with (id %s)",
		        path, id, stmt_text(st, 0));
		err_hint(err, "point PLUMB_PSEUDONYM_KEY to the ring 'plumb init' made for this "
		              "database; nothing was written");
		rc = ERR_POLICY;
	}
	bool found = rc == STORE_ROW;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	bool writing = ctx->op && (ctx->op->audit == OPA_WRITE || ctx->op->audit == OPA_STAGE);
	if (!found && writing) {
		if ((rc = store_prepare(
		             ctx->store,
		             "INSERT INTO meta(key, value) VALUES ('" PSEUDONYM_META_KEY_ID "', ?)",
		             &st, err)) < 0)
			return rc;
		stmt_bind_text(st, 1, id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		if (rc < 0)
			return rc;
	}
	r->bound = found || writing;
	return 0;
}

static int ring_for(struct ctx *ctx, const struct pseudonym_ring **out, struct error *err)
{
	const char *path = pseudonym_key_path(ctx->arena, ctx->audit_key_path);
	struct stat st;
	struct pseudonym_ring *r = ctx->pseudonyms;
	if (r && path && stat(path, &st) == 0 && st.st_size == r->size &&
	    st.st_mtim.tv_sec == r->mtime.tv_sec && st.st_mtim.tv_nsec == r->mtime.tv_nsec) {
		int rc = r->bound ? 0 : ring_bind(ctx, r, path, err);
		if (rc == 0)
			*out = r;
		return rc;
	}
	if (!r)
		r = ctx->pseudonyms = xcalloc(1, sizeof *r);
	r->bound = false;
	int rc = ring_read(path, r, err);
	if (rc == 0)
		rc = ring_bind(ctx, r, path, err);
	if (rc < 0) {
		r->nkeys = 0;
		r->size = -1;
		return rc;
	}
	*out = r;
	return 0;
}

void pseudonym_ring_unbind(struct pseudonym_ring *r)
{
	if (r)
		r->bound = false;
}

void pseudonym_ring_free(struct pseudonym_ring *r)
{
	if (!r)
		return;
	sodium_memzero(r, sizeof *r);
	free(r);
}

int pseudonym_key_generation(struct ctx *ctx, int *generation, struct error *err)
{
	const struct pseudonym_ring *r;
	int rc = ring_for(ctx, &r, err);
	if (rc == 0)
		*generation = r->nkeys;
	return rc;
}

static const char *rotation_path(const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s.new", path);
	return buf;
}

int pseudonym_key_prepare_rotation(const char *path, int *generation, struct error *err)
{
	struct pseudonym_ring r;
	int rc = ring_read(path, &r, err);
	if (rc < 0)
		return rc;
	if (r.nkeys == RING_MAX_KEYS) {
		sodium_memzero(&r, sizeof r);
		return err_set(err, ERR_CONFLICT, "pseudonym key %s already holds %d keys", path,
		               RING_MAX_KEYS);
	}
	struct sb body = SB_INIT;
	sb_puts(&body, RING_MAGIC);
	char hex[2 * KEY_BYTES + 1];
	for (int i = 0; i < r.nkeys; i++) {
		sodium_bin2hex(hex, sizeof hex, r.keys[i], KEY_BYTES);
		sb_printf(&body, "%s\n", hex);
	}
	sodium_memzero(hex, sizeof hex);
	append_key(&body);
	*generation = r.nkeys + 1;
	sodium_memzero(&r, sizeof r);
	char tmp[4096];
	rotation_path(path, tmp, sizeof tmp);
	unlink(tmp); /* left by an earlier rotation that failed */
	rc = file_create_new(tmp, body.buf, body.len, 0600, err);
	sodium_memzero(body.buf, body.len);
	sb_release(&body);
	return rc;
}

int pseudonym_key_commit_rotation(const char *path, struct error *err)
{
	char tmp[4096];
	if (rename(rotation_path(path, tmp, sizeof tmp), path) != 0) {
		err_set(err, ERR_IO, "cannot replace %s", path);
		err_detail(err, "%s", strerror(errno));
		return ERR_IO;
	}
	return 0;
}

void pseudonym_key_abort_rotation(const char *path)
{
	char tmp[4096];
	unlink(rotation_path(path, tmp, sizeof tmp));
}

int pseudonym_person(struct ctx *ctx, const char *employee_id, char out[PSEUDONYM_TEXT],
                     struct error *err)
{
	const struct pseudonym_ring *r;
	int rc = ring_for(ctx, &r, err);
	if (rc < 0)
		return rc;
	char hex[HASH_HEX + 1];
	keyed_hex(r->keys[r->nkeys - 1], "person", employee_id, NULL, hex);
	snprintf(out, PSEUDONYM_TEXT, "P-%s", hex);
	return 0;
}

int pseudonym_account(struct ctx *ctx, int gen, const char *system, const char *login,
                      char out[PSEUDONYM_TEXT], struct error *err)
{
	const struct pseudonym_ring *r;
	int rc = ring_for(ctx, &r, err);
	if (rc < 0)
		return rc;
	if (gen <= 0)
		gen = r->nkeys;
	if (gen > r->nkeys)
		return err_set(err, ERR_NOT_FOUND, "the pseudonym key has no generation %d", gen);
	char lower[256];
	size_t n = 0;
	for (; login[n] && n + 1 < sizeof lower; n++)
		lower[n] = (char)((login[n] >= 'A' && login[n] <= 'Z') ? login[n] + 32 : login[n]);
	lower[n] = '\0';
	char hex[HASH_HEX + 1];
	keyed_hex(r->keys[gen - 1], "account", system, lower, hex);
	snprintf(out, PSEUDONYM_TEXT, "H%d-%s", gen, hex);
	return 0;
}

bool pseudonym_account_shaped(const char *login)
{
	if (!login || (login[0] != 'H' && login[0] != 'h'))
		return false;
	size_t i = 1;
	while (login[i] >= '0' && login[i] <= '9')
		i++;
	if (i == 1 || login[i] != '-')
		return false;
	size_t hex = 0;
	for (i++; login[i]; i++, hex++)
		if (!strchr("0123456789abcdefABCDEF", login[i]))
			return false;
	return hex == 16;
}
