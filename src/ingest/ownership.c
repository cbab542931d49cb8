/* ownership: mapping repositories, jobs, incident services and Jira projects to plumb
 * services. */
#include "ingest/ownership.h"

#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/sha256.h"
#include "base/ts.h"
#include "base/yamldoc.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "ingest/source.h"
#include "store/store.h"

#define PATH_MAX_BYTES 500

/* A repository path in one spelling: no leading "/" or "./", no empty or
 * "." segment, ".." resolved, no trailing "/" (so "web", "web/" and
 * "./web//" are one).  A path that climbs above the repository, or is not
 * one line of text, is refused (and only echoed when printable). */
static int canonical_path(struct ctx *ctx, const char *path, char **out, struct error *err)
{
	bool printable = org_valid_text(path, PATH_MAX_BYTES) && !strchr(path, '\\');
	size_t n = strlen(path);
	char *buf = arena_array(ctx->arena, n + 1, 1);
	size_t len = 0;
	bool ok = printable;
	for (const char *seg = path; ok && *seg;) {
		size_t sl = strcspn(seg, "/");
		if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
			ok = len > 0; /* climbing above the repository */
			while (len > 0 && buf[len - 1] != '/')
				len--;
			if (len > 0)
				len--; /* the '/' before the dropped segment */
		} else if (sl > 0 && !(sl == 1 && seg[0] == '.')) {
			if (len > 0)
				buf[len++] = '/';
			memcpy(buf + len, seg, sl);
			len += sl;
		}
		seg += sl;
		while (*seg == '/')
			seg++;
	}
	buf[len] = '\0';
	if (!ok) {
		if (printable)
			err_set(err, ERR_USAGE, "--path '%s': expected a path in the repository",
			        path);
		else
			err_set(err, ERR_USAGE, "--path: expected a path in the repository");
		err_detail(err,
		           "one line of text, at most %d bytes, not above the repository's root",
		           PATH_MAX_BYTES);
		return ERR_USAGE;
	}
	*out = buf;
	return 0;
}

/* A mapping's path: a canonical, non-empty directory (no --path maps the
 * whole repository). */
static int normalize_path(const char *path, char **out, struct ctx *ctx, struct error *err)
{
	if (!path) {
		*out = arena_strdup(ctx->arena, "");
		return 0;
	}
	int rc = canonical_path(ctx, path, out, err);
	if (rc == 0 && !**out) {
		err_set(err, ERR_USAGE, "--path '%s': expected a path in the repository", path);
		err_hint(err, "leave --path out to map the whole repository");
		return ERR_USAGE;
	}
	return rc;
}

static int check_key(const struct ownership_key *k, struct error *err)
{
	const char *setting = NULL, *expected = NULL;
	if (strcmp(k->system, "github") == 0) {
		if (!source_valid_repo(k->key))
			setting = "repo", expected = "OWNER/NAME";
	} else if (k->path) {
		err_set(err, ERR_USAGE, "--path goes with --repo");
		return ERR_USAGE;
	} else if (strcmp(k->system, "jenkins") == 0) {
		if (!source_valid_job(k->key))
			setting = "job", expected = "a job name (folders as a/b)";
	} else if (strcmp(k->system, "pagerduty") == 0) {
		if (!source_valid_service_id(k->key))
			setting = "pagerduty", expected = "a PagerDuty service id, upper-case "
			                                  "letters and digits such as PIJ90N7";
	} else if (strcmp(k->system, "jira") == 0) {
		if (!source_valid_project_key(k->key))
			setting = "jira-project",
			expected = "a Jira project key (upper-case letters, digits and '_', "
			           "starting with a letter), such as PAY";
	} else {
		BUG("unknown ownership system %s", k->system);
	}
	if (setting) {
		err_set(err, ERR_USAGE, "--%s '%s': expected %s", setting, k->key, expected);
		return ERR_USAGE;
	}
	return 0;
}

struct map_args {
	const char *service;
	const struct ownership_key *k;
	const char *path;
	bool *changed;
	int64_t moved; /* stored events that went to another service */
};

/* The stored events of a thing mapped as a whole go to its service, with
 * the team that owned it when each happened, as ingestion attributes them.
 * A path's mapping moves none: events carry no paths. */
static const char sql_events_follow[] = "UPDATE events SET service_id = ?1, team_id = " ORG_TEAM_OF(
        "?1", "events.occurred_at") " WHERE owner_system = ?2 AND owner_key = ?3 AND "
                                    "(service_id IS NULL OR service_id <> ?1) RETURNING 1";

/* One pass over the events (no index reads them by owner), each moved one
 * counted, for the user and the audit entry; those on the service already
 * keep their team, which follows from service and time. */
static int events_follow(struct ctx *ctx, int64_t service_id, const struct ownership_key *k,
                         int64_t *moved, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql_events_follow, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, service_id);
	stmt_bind_text(st, 2, k->system);
	stmt_bind_text(st, 3, k->key);
	*moved = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		(*moved)++;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The id of the service things are mapped to; ERR_NOT_FOUND when there is
 * none by that name, ERR_USAGE when it is no name at all. */
static int target_service(struct ctx *ctx, const char *service, int64_t *id, struct error *err)
{
	/* Not "no service", whose hint would have one created under a name
	 * service set refuses. */
	if (!org_valid_name(service)) {
		err_set(err, ERR_USAGE, "'%s' is not a valid service name", service);
		err_detail(err, "names use letters, digits, '-', '_' and '.', up to %d characters",
		           ORG_NAME_MAX);
		return ERR_USAGE;
	}
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, "SELECT id FROM services WHERE name = ?1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, service);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW)
		*id = stmt_int(st, 0);
	stmt_reset(st);
	if (rc == STORE_DONE) {
		err_set(err, ERR_NOT_FOUND, "no service %s", service);
		err_hint(err, "create it with 'plumb service set %s --team TEAM'", service);
		return ERR_NOT_FOUND;
	}
	return rc < 0 ? rc : 0;
}

/* Write one mapping's row; *a->changed false (and nothing written) when it
 * was so already.  *old_name: the service it was mapped to, or NULL. */
static int map_row_tx(struct ctx *ctx, struct map_args *a, int64_t *service_id,
                      const char **old_name, struct error *err)
{
	*a->changed = false;
	*old_name = NULL;
	int64_t old_id = 0;
	bool had = false;
	struct store_stmt *st;
	int rc = target_service(ctx, a->service, service_id, err);
	if (rc >= 0)
		rc = store_prepare(ctx->store,
		                   "SELECT m.service_id, s.name FROM service_mappings m "
		                   "JOIN services s ON s.id = m.service_id "
		                   "WHERE m.system = ?1 AND m.key = ?2 AND m.path_prefix = ?3",
		                   &st, err);
	if (rc >= 0) {
		stmt_bind_text(st, 1, a->k->system);
		stmt_bind_text(st, 2, a->k->key);
		stmt_bind_text(st, 3, a->path);
		rc = stmt_step(st, err);
		if (rc == STORE_ROW) {
			had = true;
			old_id = stmt_int(st, 0);
			*old_name = stmt_text_dup(st, 1, ctx->arena);
		}
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	if (had && old_id == *service_id)
		return 0; /* so already: nothing to write */
	int64_t now = ts_clock_ms();
	rc = store_prepare(
	        ctx->store,
	        had ? "UPDATE service_mappings SET service_id = ?4, updated_at = ?5 "
	              "WHERE system = ?1 AND key = ?2 AND path_prefix = ?3"
	            : "INSERT INTO service_mappings(system, key, path_prefix, service_id, "
	              "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, a->k->system);
	stmt_bind_text(st, 2, a->k->key);
	stmt_bind_text(st, 3, a->path);
	stmt_bind_int(st, 4, *service_id);
	stmt_bind_int(st, 5, now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	*a->changed = true;
	return 0;
}

/* The audit entry of a mapping written, with the events it moved. */
static int audit_map(struct ctx *ctx, const struct map_args *a, const char *old_name,
                     struct error *err)
{
	struct sb detail = SB_INIT, object = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "system", a->k->system);
	jw_kstr(&w, "key", a->k->key);
	jw_kstr(&w, "path", a->path);
	jw_kstr(&w, "service", a->service);
	jw_kstr(&w, "previous", old_name);
	jw_kint(&w, "events_moved", a->moved);
	jw_object_end(&w);
	sb_printf(&object, "%s:%s%s%s", a->k->system, a->k->key, *a->path ? "/" : "", a->path);
	int rc = audit_append(ctx, "service.map", "mapping", object.buf, detail.buf, err);
	sb_release(&detail);
	sb_release(&object);
	return rc;
}

/* Map one key inside the caller's write operation; *a->changed false
 * (and nothing written) when it was so already. */
static int map_one_tx(struct ctx *ctx, struct map_args *a, struct error *err)
{
	int64_t service_id;
	const char *old_name;
	int rc = map_row_tx(ctx, a, &service_id, &old_name, err);
	if (rc == 0 && *a->changed && !*a->path)
		rc = events_follow(ctx, service_id, a->k, &a->moved, err);
	if (rc == 0 && *a->changed)
		rc = audit_map(ctx, a, old_name, err);
	return rc;
}

static int map_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct map_args *a = arg;
	int rc = map_one_tx(ctx, a, err);
	return rc == 0 && !*a->changed ? CTX_ROLLBACK : rc;
}

int ownership_map(struct ctx *ctx, const char *service, const struct ownership_key *k,
                  bool *changed, int64_t *moved, struct ownership_key *stored, struct error *err)
{
	*changed = false;
	*moved = 0;
	*stored = (struct ownership_key){k->system, k->key, ""};
	int rc = ctx_op_check(ctx, OP_SERVICE_MAP, err);
	char *path = NULL;
	if (rc == 0)
		rc = check_key(k, err);
	if (rc == 0)
		rc = normalize_path(k->path, &path, ctx, err);
	if (rc < 0)
		return rc;
	struct ownership_key key = *k;
	if (strcmp(k->system, "github") == 0)
		key.key = arena_strlower(ctx->arena, k->key);
	*stored = (struct ownership_key){key.system, key.key, path};
	struct map_args a = {service, &key, path, changed, 0};
	rc = ctx_run(ctx, OP_SERVICE_MAP, map_body, &a, err);
	*moved = rc == 0 ? a.moved : 0;
	return rc;
}

struct list_args {
	struct ownership_row **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT m.system, m.key, m.path_prefix, s.name, m.updated_at "
	                       "FROM service_mappings m JOIN services s ON s.id = m.service_id "
	                       "ORDER BY m.system, m.key, m.path_prefix",
	                       &st, err);
	size_t count = 0, alloc = 0;
	struct ownership_row *rows = NULL;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ctx->arena, rows, count, &alloc, sizeof *rows);
		struct ownership_row *r = &rows[count++];
		r->system = stmt_text_dup(st, 0, ctx->arena);
		r->key = stmt_text_dup(st, 1, ctx->arena);
		r->path = stmt_text_dup(st, 2, ctx->arena);
		r->service = stmt_text_dup(st, 3, ctx->arena);
		r->updated_at = stmt_int(st, 4);
	}
	if (rc >= 0)
		stmt_reset(st);
	if (rc < 0)
		return rc;
	*a->out = rows;
	*a->n = count;
	return 0;
}

struct unowned_args {
	struct ownership_unowned **out;
	size_t *n;
};

static int unowned_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct unowned_args *a = arg;
	struct arena *ar = ctx->arena;
	struct store_stmt *st;
	/* Counted through events_service (service_id, occurred_at). */
	int rc = store_prepare(ctx->store,
	                       "SELECT s.id, s.name, (SELECT COUNT(*) FROM events e WHERE "
	                       "e.service_id = s.id), (SELECT MAX(e.occurred_at) FROM events e "
	                       "WHERE e.service_id = s.id) FROM services s WHERE NOT EXISTS "
	                       "(SELECT 1 FROM service_owners o WHERE o.service_id = s.id AND "
	                       "o.valid_from <= ?1 AND (o.valid_to IS NULL OR o.valid_to > ?1)) "
	                       "ORDER BY 3 DESC, s.name",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, ts_now_ms());
	struct ownership_unowned *rows = NULL;
	int64_t *ids = NULL;
	size_t count = 0, alloc = 0, alloc2 = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		rows = arena_grow(ar, rows, count, &alloc, sizeof *rows);
		ids = arena_grow(ar, ids, count, &alloc2, sizeof *ids);
		ids[count] = stmt_int(st, 0);
		rows[count++] = (struct ownership_unowned){
		        .service = stmt_text_dup(st, 1, ar),
		        .events = stmt_int(st, 2),
		        .newest = stmt_is_null(st, 3) ? 0 : stmt_int(st, 3),
		};
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = store_prepare(ctx->store,
	                   "SELECT system, key, path_prefix FROM service_mappings WHERE "
	                   "service_id = ? ORDER BY system, key, path_prefix",
	                   &st, err);
	for (size_t i = 0; i < count && rc >= 0; i++) {
		stmt_bind_int(st, 1, ids[i]);
		size_t nalloc = 0;
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			const char *path = stmt_text(st, 2);
			rows[i].mapped = arena_grow(ar, rows[i].mapped, rows[i].nmapped, &nalloc,
			                            sizeof *rows[i].mapped);
			rows[i].mapped[rows[i].nmapped++] =
			        arena_printf(ar, "%s:%s%s%s", stmt_text(st, 0), stmt_text(st, 1),
			                     *path ? "/" : "", path);
		}
		stmt_reset(st);
	}
	if (rc < 0)
		return rc;
	*a->out = rows;
	*a->n = count;
	return 0;
}

int ownership_unowned(struct ctx *ctx, struct ownership_unowned **out, size_t *n, struct error *err)
{
	*out = NULL;
	*n = 0;
	struct unowned_args a = {out, n};
	return ctx_run(ctx, OP_SERVICE_UNOWNED, unowned_body, &a, err);
}

int ownership_list(struct ctx *ctx, struct ownership_row **out, size_t *n, struct error *err)
{
	struct list_args a = {out, n};
	return ctx_run(ctx, OP_SERVICE_MAPPINGS, list_body, &a, err);
}

/* Whether prefix covers path: equal, or a leading part ending at a '/'. */
static bool covers(const char *prefix, const char *path)
{
	size_t n = strlen(prefix);
	return n == 0 || (strncmp(prefix, path, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

int ownership_resolve_tx(struct ctx *ctx, const struct ownership_key *k, struct ownership_row *out,
                         bool *found, struct error *err)
{
	*found = false;
	char *path = "";
	if (k->path) {
		int rc = canonical_path(ctx, k->path, &path, err);
		if (rc < 0)
			return rc;
	}
	const char *key =
	        strcmp(k->system, "github") == 0 ? arena_strlower(ctx->arena, k->key) : k->key;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT m.path_prefix, s.name, m.updated_at FROM service_mappings m "
	                       "JOIN services s ON s.id = m.service_id "
	                       "WHERE m.system = ?1 AND m.key = ?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, k->system);
	stmt_bind_text(st, 2, key);
	size_t best = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		const char *prefix = stmt_text(st, 0);
		size_t n = strlen(prefix);
		if (!covers(prefix, path) || (*found && n <= best))
			continue;
		*found = true;
		best = n;
		out->system = arena_strdup(ctx->arena, k->system);
		out->key = key;
		out->path = arena_strdup(ctx->arena, prefix);
		out->service = stmt_text_dup(st, 1, ctx->arena);
		out->updated_at = stmt_int(st, 2);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

struct owner_args {
	const struct ownership_key *k;
	struct ownership_row *out;
};

static int owner_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct owner_args *a = arg;
	bool found;
	int rc = ownership_resolve_tx(ctx, a->k, a->out, &found, err);
	if (rc == 0 && !found) {
		err_set(err, ERR_NOT_FOUND, "no service is mapped to %s %s%s%s", a->k->system,
		        a->k->key, a->k->path ? " path " : "", a->k->path ? a->k->path : "");
		err_hint(err, "map it with 'plumb service map SERVICE ...'");
		return ERR_NOT_FOUND;
	}
	return rc;
}

int ownership_owner_of(struct ctx *ctx, const struct ownership_key *k, struct ownership_row *out,
                       struct error *err)
{
	int rc = ctx_op_check(ctx, OP_SERVICE_OWNER_OF, err);
	if (rc == 0)
		rc = check_key(k, err);
	if (rc < 0)
		return rc;
	struct owner_args a = {k, out};
	return ctx_run(ctx, OP_SERVICE_OWNER_OF, owner_body, &a, err);
}

/* Hex digits of the key's hash a name altered to fit carries. */
#define ADOPTED_HASH_LEN 8

static bool name_byte(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.';
}

/* ownership_adopted_name; with hashed, the key's hash is added even to a
 * name that fits as it is. */
static const char *adopted_name(struct ctx *ctx, const char *system, const char *key, bool hashed)
{
	struct sb name = SB_INIT;
	if (strcmp(system, "github") != 0)
		sb_printf(&name, "%s.", system);
	bool altered = false;
	for (const char *p = key; *p; p++) {
		if (*p == '/' || name_byte(*p)) {
			sb_putc(&name, *p == '/' ? '.' : *p);
			continue;
		}
		/* A run of other bytes (a space, a parenthesis, UTF-8) is one '-'. */
		altered = true;
		if (name.len == 0 || name.buf[name.len - 1] != '-')
			sb_putc(&name, '-');
	}
	if (!hashed && !altered && name.len <= ORG_NAME_MAX) {
		const char *out = arena_strdup(ctx->arena, name.buf);
		sb_release(&name);
		return out;
	}
	/* Two keys must not meet in one name: the key's hash tells them apart,
	 * after as much of the name as fits. */
	char hex[SHA256_HEX_LEN + 1];
	struct sb whole = SB_INIT, fitted = SB_INIT;
	sb_printf(&whole, "%s:%s", system, key);
	sha256_hex(whole.buf, whole.len, hex);
	size_t keep = name.len < ORG_NAME_MAX - 1 - ADOPTED_HASH_LEN
	                      ? name.len
	                      : ORG_NAME_MAX - 1 - ADOPTED_HASH_LEN;
	while (keep > 0 && name.buf[keep - 1] == '-')
		keep--;
	sb_add(&fitted, name.buf, keep);
	sb_printf(&fitted, "%s%.*s", keep ? "-" : "", ADOPTED_HASH_LEN, hex);
	const char *out = arena_strdup(ctx->arena, fitted.buf);
	sb_release(&whole);
	sb_release(&fitted);
	sb_release(&name);
	return out;
}

const char *ownership_adopted_name(struct ctx *ctx, const char *system, const char *key)
{
	return adopted_name(ctx, system, key, false);
}

/* Whether the service named is another thing's already: something else is
 * mapped to it.  '/' becomes '.', which a name keeps, so the Jenkins jobs
 * "a/b" and "a.b" both make "jenkins.a.b": without this the second joined
 * the first's service and their builds were counted as one job's. */
static int name_taken(struct ctx *ctx, const char *name, const char *system, const char *key,
                      bool *taken, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT 1 FROM service_mappings m JOIN services v ON v.id = "
	                       "m.service_id WHERE v.name = ?1 AND NOT (m.system = ?2 AND "
	                       "m.key = ?3) LIMIT 1",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, name);
	stmt_bind_text(st, 2, system);
	stmt_bind_text(st, 3, key);
	rc = stmt_step(st, err);
	*taken = rc == STORE_ROW;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The service key (of system) is mapped to as a whole: 0 with *found. */
static int whole_mapping(struct ctx *ctx, const char *system, const char *key, int64_t *id,
                         const char **name, bool *found, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT s.id, s.name FROM service_mappings m JOIN services s ON "
	                       "s.id = m.service_id WHERE m.system = ?1 AND m.key = ?2 AND "
	                       "m.path_prefix = ''",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	rc = stmt_step(st, err);
	*found = rc == STORE_ROW;
	if (*found) {
		*id = stmt_int(st, 0);
		*name = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The entries of a mapping ingest made: service.create first when it made
 * the service too, then service.map on SYSTEM:KEY[/PATH] (as service map
 * names them), for a rename (renamed_from) or an unmapped key. */
static int audit_adopted(struct ctx *ctx, const char *system, const char *key, const char *path,
                         const char *service, const char *renamed_from, bool created,
                         struct error *err)
{
	struct sb detail = SB_INIT, object = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "system", system);
	jw_kstr(&w, "key", key);
	jw_kstr(&w, "path", path);
	jw_kstr(&w, "service", service);
	jw_kstr(&w, "reason", renamed_from ? "renamed upstream" : "unmapped at ingest");
	if (renamed_from)
		jw_kstr(&w, "renamed_from", renamed_from);
	jw_object_end(&w);
	int rc = created ? audit_append(ctx, "service.create", "service", service, detail.buf, err)
	                 : 0;
	sb_printf(&object, "%s:%s%s%s", system, key, *path ? "/" : "", path);
	if (rc == 0)
		rc = audit_append(ctx, "service.map", "mapping", object.buf, detail.buf, err);
	sb_release(&detail);
	sb_release(&object);
	return rc;
}

/* A repository renamed upstream takes the old name's directory mappings
 * too (what `service owner-of` answers for its files), each audited as a
 * mapping made for the rename; a directory the new name maps already keeps
 * its own. */
static int adopt_path_mappings(struct ctx *ctx, const char *system, const char *key,
                               const char *renamed_from, size_t *copied, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "INSERT INTO service_mappings(system, key, path_prefix, service_id, created_at, "
	        "updated_at) SELECT m.system, ?2, m.path_prefix, m.service_id, ?4, ?4 FROM "
	        "service_mappings m WHERE m.system = ?1 AND m.key = ?3 AND m.path_prefix <> '' "
	        "ON CONFLICT DO NOTHING RETURNING path_prefix, (SELECT s.name FROM services s "
	        "WHERE s.id = service_id)",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, renamed_from);
	stmt_bind_int(st, 4, ts_clock_ms());
	struct {
		const char *path, *service;
	} *made = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		made = arena_grow(ctx->arena, made, n, &alloc, sizeof *made);
		made[n].path = stmt_text_dup(st, 0, ctx->arena);
		made[n++].service = stmt_text_dup(st, 1, ctx->arena);
	}
	stmt_reset(st);
	rc = rc < 0 ? rc : 0;
	*copied = n;
	/* Audited once the statement is done: its rows come as it runs. */
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = audit_adopted(ctx, system, key, made[i].path, made[i].service, renamed_from,
		                   false, err);
	return rc;
}

int ownership_adopt_tx(struct ctx *ctx, const char *system, const char *key,
                       const char *renamed_from, int64_t *service_id, const char **service_name,
                       bool *created, bool *inherited, struct error *err)
{
	bool taken = false;
	*created = *inherited = false;
	int rc = 0;
	if (renamed_from)
		rc = whole_mapping(ctx, system, renamed_from, service_id, service_name, inherited,
		                   err);
	if (rc < 0)
		return rc;
	/* The old name was split on purpose, only directories of it mapped:
	 * so is the new one, and it is no service of its own either (found by
	 * a rename of such a repository, which became an unowned service). */
	size_t copied = 0;
	if (renamed_from && !*inherited &&
	    (rc = adopt_path_mappings(ctx, system, key, renamed_from, &copied, err)) < 0)
		return rc;
	if (copied) {
		*service_id = 0;
		*service_name = NULL;
		return 0;
	}
	if (!*inherited) {
		*service_name = adopted_name(ctx, system, key, false);
		rc = name_taken(ctx, *service_name, system, key, &taken, err);
		if (rc < 0)
			return rc;
		if (taken)
			*service_name = adopted_name(ctx, system, key, true);
		rc = org_service_ensure_tx(ctx, *service_name, NULL, service_id, created, err);
		if (rc < 0) {
			err_detail(err, "the service for %s %s, which no mapping covers", system,
			           key);
			return rc;
		}
	}
	struct store_stmt *st;
	int64_t now = ts_clock_ms();
	rc = store_prepare(ctx->store,
	                   "INSERT INTO service_mappings(system, key, path_prefix, service_id, "
	                   "created_at, updated_at) VALUES (?1, ?2, '', ?3, ?4, ?4)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	stmt_bind_int(st, 3, *service_id);
	stmt_bind_int(st, 4, now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	rc = audit_adopted(ctx, system, key, "", *service_name, *inherited ? renamed_from : NULL,
	                   *created, err);
	if (rc == 0 && *inherited)
		rc = adopt_path_mappings(ctx, system, key, renamed_from, &copied, err);
	return rc;
}

/* One count of a query of a service id, a system and a key. */
static int count_of(struct ctx *ctx, const char *sql, int64_t id, const char *system,
                    const char *key, int64_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_text(st, 2, system);
	stmt_bind_text(st, 3, key);
	rc = stmt_step(st, err);
	*n = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Whether key is mapped to the service ingest made for it, as it made it:
 * named for the key, never owned by a team, nothing else mapped to it, no
 * directory of the key mapped; *sid that service. */
static int adopted_as_made(struct ctx *ctx, const char *system, const char *key, int64_t *sid,
                           bool *bare, struct error *err)
{
	const char *name = NULL;
	int64_t n = 0;
	*bare = false;
	int rc = whole_mapping(ctx, system, key, sid, &name, bare, err);
	if (rc < 0 || !*bare)
		return rc;
	*bare = strcmp(name, adopted_name(ctx, system, key, false)) == 0 ||
	        strcmp(name, adopted_name(ctx, system, key, true)) == 0;
	if (*bare)
		rc = count_of(
		        ctx,
		        "SELECT (SELECT COUNT(*) FROM service_owners WHERE service_id = ?1) + "
		        "(SELECT COUNT(*) FROM service_mappings WHERE service_id = ?1 OR "
		        "(system = ?2 AND key = ?3))",
		        *sid, system, key, &n, err);
	*bare = rc == 0 && *bare && n == 1;
	return rc;
}

int ownership_adopted_as_made_tx(struct ctx *ctx, const char *system, const char *key, bool *bare,
                                 struct error *err)
{
	int64_t sid;
	return adopted_as_made(ctx, system, key, &sid, bare, err);
}

int ownership_rename_adopted_tx(struct ctx *ctx, const char *system, const char *key,
                                const char *renamed_from, bool *inherited, struct error *err)
{
	*inherited = false;
	int64_t sid = 0, tid = 0;
	const char *tname = NULL;
	bool found = false;
	int rc = adopted_as_made(ctx, system, key, &sid, &found, err);
	if (rc < 0 || !found)
		return rc;
	rc = whole_mapping(ctx, system, renamed_from, &tid, &tname, &found, err);
	if (rc < 0 || !found || tid == sid)
		return rc;
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "UPDATE service_mappings SET service_id = ?4, updated_at = ?5 WHERE "
	                   "system = ?1 AND key = ?2 AND path_prefix = ?3",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(st, 1, system);
	stmt_bind_text(st, 2, key);
	stmt_bind_text(st, 3, "");
	stmt_bind_int(st, 4, tid);
	stmt_bind_int(st, 5, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	const struct ownership_key k = {system, key, ""};
	int64_t moved = 0;
	size_t copied = 0;
	rc = events_follow(ctx, tid, &k, &moved, err);
	if (rc == 0)
		rc = audit_adopted(ctx, system, key, "", tname, renamed_from, false, err);
	if (rc == 0)
		rc = adopt_path_mappings(ctx, system, key, renamed_from, &copied, err);
	*inherited = rc == 0;
	return rc;
}

/* ---- the mapping file ---------------------------------------------------- */

struct file_entry {
	const char *service;
	struct ownership_key key;
	const char *path; /* as stored */
	long line;
	long service_line; /* where its service is named */
};

struct file_args {
	const char *name;
	struct file_entry *entries;
	size_t n;
	struct ownership_file_result *res;
};

/* err's message behind "NAME:LINE: ". */
static int at_line(struct error *err, const char *name, long line)
{
	struct error inner = *err;
	err_clear(err);
	/* A bad value in a file is bad input, not a bad command line. */
	int code = inner.code == ERR_USAGE ? ERR_INVALID : inner.code;
	err_set(err, code, "%s:%ld: %s", name, line, inner.message);
	if (inner.hint[0])
		err_hint(err, "%s", inner.hint);
	return code;
}

/* The stored events of every key a file mapped as a whole follow it in one
 * pass over the events: one pass per key (events_follow) took time in keys
 * times events, 56 s for 40,000 repositories over the demo's 17,500 events
 * (bench/service-map-file).  The table is the connection's own, emptied
 * before the transaction ends, so a rollback empties it too. */
static const char *const sql_follow_table =
        "CREATE TEMP TABLE IF NOT EXISTS map_follow (system TEXT NOT NULL, key TEXT NOT NULL, "
        "service_id BIGINT NOT NULL, PRIMARY KEY (system, key))";
#define FOLLOWED_TEAM ORG_TEAM_OF("f.service_id", "events.occurred_at")
static const char sql_follow_all[] =
        "UPDATE events SET service_id = f.service_id, team_id = " FOLLOWED_TEAM
        " FROM map_follow f WHERE events.owner_system = f.system AND events.owner_key = f.key "
        "AND (events.service_id IS NULL OR events.service_id <> f.service_id) "
        "RETURNING events.owner_system, events.owner_key";

struct file_change {
	struct map_args m;
	bool changed;
	int64_t service_id;
	const char *old_name;
};

/* Move the events of the changes mapped as a whole; each one's m.moved gets
 * the count of its events that went to another service. */
static int follow_all(struct ctx *ctx, struct file_change *c, size_t n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_exec(ctx->store, sql_follow_table, err);
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "INSERT INTO map_follow(system, key, service_id) VALUES (?1, ?2, ?3)", &st,
		        err);
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!c[i].changed || *c[i].m.path)
			continue;
		stmt_bind_text(st, 1, c[i].m.k->system);
		stmt_bind_text(st, 2, c[i].m.k->key);
		stmt_bind_int(st, 3, c[i].service_id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	struct hmap moved;
	hmap_init(&moved);
	struct sb key = SB_INIT;
	if (rc == 0)
		rc = store_prepare(ctx->store, sql_follow_all, &st, err);
	if (rc == 0) {
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			sb_reset(&key);
			sb_printf(&key, "%s\n%s", stmt_text(st, 0), stmt_text(st, 1));
			int64_t count = 0;
			hmap_get(&moved, key.buf, &count);
			hmap_put(&moved, key.buf, count + 1);
		}
		stmt_reset(st);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!c[i].changed || *c[i].m.path)
			continue;
		sb_reset(&key);
		sb_printf(&key, "%s\n%s", c[i].m.k->system, c[i].m.k->key);
		hmap_get(&moved, key.buf, &c[i].m.moved);
	}
	sb_release(&key);
	hmap_release(&moved);
	return rc < 0 ? rc : store_exec(ctx->store, "DELETE FROM map_follow", err);
}

static int file_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct file_args *a = arg;
	a->res->changed = a->res->unchanged = a->res->moved = 0;
	struct file_change *c = arena_array(ctx->arena, a->n ? a->n : 1, sizeof *c);
	for (size_t i = 0; i < a->n; i++) {
		struct file_entry *e = &a->entries[i];
		c[i] = (struct file_change){.m = {e->service, &e->key, e->path, &c[i].changed, 0}};
		/* A service that is not there is wrong where it is named. */
		int64_t unused;
		if ((i == 0 || a->entries[i - 1].service != e->service) &&
		    target_service(ctx, e->service, &unused, err) < 0)
			return at_line(err, a->name, e->service_line);
		if (map_row_tx(ctx, &c[i].m, &c[i].service_id, &c[i].old_name, err) < 0)
			return at_line(err, a->name, e->line);
		if (c[i].changed)
			a->res->changed++;
		else
			a->res->unchanged++;
	}
	if (!a->res->changed)
		return CTX_ROLLBACK;
	int rc = follow_all(ctx, c, a->n, err);
	for (size_t i = 0; i < a->n && rc == 0; i++) {
		a->res->moved += c[i].m.moved;
		if (c[i].changed)
			rc = audit_map(ctx, &c[i].m, c[i].old_name, err);
	}
	return rc;
}

/* One key of a service's entry: repos, jobs, pagerduty or jira_projects, each a list.
 * mapped holds each entry read so far, "SYSTEM\nKEY\nPATH" to its line. */
static int read_list(struct ctx *ctx, const char *name, yaml_document_t *doc, const char *service,
                     const char *field, yaml_node_t *list, struct file_entry **entries, size_t *n,
                     size_t *alloc, struct hmap *mapped, struct error *err)
{
	static const char *const fields[] = {"repos", "jobs", "pagerduty", "jira_projects"};
	static const char *const systems[] = {"github", "jenkins", "pagerduty", "jira"};
	int which = -1;
	for (int i = 0; i < 4; i++)
		if (strcmp(field, fields[i]) == 0)
			which = i;
	if (which < 0)
		return err_set(err, ERR_INVALID,
		               "%s:%ld: service %s: unknown field '%s': expected repos, jobs, "
		               "pagerduty or jira_projects",
		               name, yamldoc_line(list), service, field);
	if (!list || list->type != YAML_SEQUENCE_NODE)
		return err_set(err, ERR_INVALID,
		               "%s:%ld: service %s: %s: expected a list, such as [a, b]", name,
		               yamldoc_line(list), service, field);
	for (yaml_node_item_t *it = list->data.sequence.items.start;
	     it < list->data.sequence.items.top; it++) {
		yaml_node_t *item = yaml_document_get_node(doc, *it);
		struct file_entry e = {.service = service, .line = yamldoc_line(item)};
		e.key.system = systems[which];
		int rc = 0;
		if (item && item->type == YAML_MAPPING_NODE && which == 0) {
			/* {repo: OWNER/NAME, path: PREFIX} */
			for (yaml_node_pair_t *p = item->data.mapping.pairs.start;
			     p < item->data.mapping.pairs.top && rc == 0; p++) {
				yaml_node_t *k = yaml_document_get_node(doc, p->key);
				const char *kname = "", *value = NULL;
				rc = yamldoc_scalar(name, k, "key", ctx->arena, &kname, err);
				if (rc == 0 && yamldoc_repeated_key(doc, item, p))
					return err_set(
					        err, ERR_INVALID,
					        "%s:%ld: service %s: %s: field %s given twice",
					        name, yamldoc_line(k), service, field, kname);
				if (rc == 0)
					rc = yamldoc_scalar(name,
					                    yaml_document_get_node(doc, p->value),
					                    kname, ctx->arena, &value, err);
				if (rc == 0 && strcmp(kname, "repo") == 0)
					e.key.key = value;
				else if (rc == 0 && strcmp(kname, "path") == 0)
					e.key.path = value;
				else if (rc == 0)
					rc = err_set(err, ERR_INVALID,
					             "%s:%ld: unknown field '%s': expected repo "
					             "and path",
					             name, yamldoc_line(k), kname);
			}
			if (rc == 0 && !e.key.key)
				rc = err_set(err, ERR_INVALID, "%s:%ld: field repo: missing", name,
				             e.line);
		} else {
			rc = yamldoc_scalar(name, item, field, ctx->arena, &e.key.key, err);
		}
		char *path = NULL;
		if (rc == 0 && (rc = check_key(&e.key, err)) < 0)
			rc = at_line(err, name, e.line);
		if (rc == 0 && (rc = normalize_path(e.key.path, &path, ctx, err)) < 0)
			rc = at_line(err, name, e.line);
		if (rc < 0)
			return rc;
		if (strcmp(e.key.system, "github") == 0)
			e.key.key = arena_strlower(ctx->arena, e.key.key);
		e.path = path;
		/* Looked up, not compared with every entry before: that took time
		 * quadratic in their number (85 s for 40,000 under ASan, hours for
		 * the 16 MB a file may hold).  Checked keys and paths hold no line
		 * break. */
		const char *id =
		        arena_printf(ctx->arena, "%s\n%s\n%s", e.key.system, e.key.key, e.path);
		int64_t earlier;
		if (hmap_get(mapped, id, &earlier))
			return err_set(err, ERR_INVALID,
			               "%s:%ld: %s %s%s%s is mapped on line %ld already", name,
			               e.line, e.key.system, e.key.key, *e.path ? " path " : "",
			               e.path, (long)earlier);
		hmap_put(mapped, id, e.line);
		*entries = arena_grow(ctx->arena, *entries, *n, alloc, sizeof **entries);
		(*entries)[(*n)++] = e;
	}
	return 0;
}

/* The file's entries into *out, *nout (in ctx's arena), without the
 * database. */
static int parse_map_file(struct ctx *ctx, const char *name, const char *data, size_t len,
                          struct file_entry **out, size_t *nout, struct error *err)
{
	*out = NULL;
	*nout = 0;
	yaml_document_t doc;
	if (yamldoc_load(name, data, len, &doc, err) < 0)
		return ERR_INVALID;
	int rc = 0;
	struct file_entry *entries = NULL;
	size_t n = 0, alloc = 0;
	/* The services and entries so far, so that a file of many is checked
	 * for repeats in linear time (yamldoc_repeated_key's scan is
	 * quadratic). */
	struct hmap services_seen, mapped;
	hmap_init(&services_seen);
	hmap_init(&mapped);
	yaml_node_t *root = yaml_document_get_root_node(&doc), *services = NULL;
	if (!root)
		rc = err_set(err, ERR_INVALID, "%s: empty file: expected services:", name);
	else if (yamldoc_expect(name, root, YAML_MAPPING_NODE, "a mapping with services:", err) < 0)
		rc = ERR_INVALID;
	for (yaml_node_pair_t *p = rc == 0 ? root->data.mapping.pairs.start : NULL;
	     p && p < root->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		const char *key = "";
		rc = yamldoc_scalar(name, k, "section", ctx->arena, &key, err);
		if (rc == 0 && strcmp(key, "services") != 0)
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: unknown section '%s': expected services", name,
			             yamldoc_line(k), key);
		else if (rc == 0 && services)
			rc = err_set(err, ERR_INVALID, "%s:%ld: section 'services' given twice",
			             name, yamldoc_line(k));
		services = yaml_document_get_node(&doc, p->value);
	}
	if (rc == 0 && !services)
		rc = err_set(err, ERR_INVALID, "%s: no services: section", name);
	if (rc == 0)
		rc = yamldoc_expect(
		        name, services, YAML_MAPPING_NODE,
		        "a mapping of service name to repos, jobs, pagerduty, jira_projects", err);
	for (yaml_node_pair_t *p = rc == 0 ? services->data.mapping.pairs.start : NULL;
	     p && p < services->data.mapping.pairs.top && rc == 0; p++) {
		yaml_node_t *k = yaml_document_get_node(&doc, p->key);
		yaml_node_t *v = yaml_document_get_node(&doc, p->value);
		const char *service = "";
		rc = yamldoc_scalar(name, k, "service", ctx->arena, &service, err);
		if (rc == 0 && !hmap_put(&services_seen, (const char *)k->data.scalar.value, 0))
			rc = err_set(err, ERR_INVALID, "%s:%ld: service %s given twice", name,
			             yamldoc_line(k), service);
		if (rc == 0 && (!v || v->type != YAML_MAPPING_NODE))
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: service %s: expected repos, jobs, pagerduty and "
			             "jira_projects lists",
			             name, yamldoc_line(v), service);
		size_t first = n;
		for (yaml_node_pair_t *f = rc == 0 ? v->data.mapping.pairs.start : NULL;
		     f && f < v->data.mapping.pairs.top && rc == 0; f++) {
			yaml_node_t *fk = yaml_document_get_node(&doc, f->key);
			const char *field = "";
			rc = yamldoc_scalar(name, fk, "field", ctx->arena, &field, err);
			if (rc == 0 && yamldoc_repeated_key(&doc, v, f))
				rc = err_set(err, ERR_INVALID, "%s:%ld: service %s: %s given twice",
				             name, yamldoc_line(fk), service, field);
			else if (rc == 0)
				rc = read_list(ctx, name, &doc, service, field,
				               yaml_document_get_node(&doc, f->value), &entries, &n,
				               &alloc, &mapped, err);
		}
		for (size_t i = first; i < n; i++)
			entries[i].service_line = yamldoc_line(k);
	}
	hmap_release(&services_seen);
	hmap_release(&mapped);
	yaml_document_delete(&doc);
	if (rc < 0)
		return rc;
	*out = entries;
	*nout = n;
	return 0;
}

int ownership_check_file(struct ctx *ctx, const char *name, const char *data, size_t len,
                         size_t *entries, struct error *err)
{
	struct file_entry *parsed;
	return parse_map_file(ctx, name, data, len, &parsed, entries, err);
}

int ownership_map_file(struct ctx *ctx, const char *name, const char *data, size_t len,
                       struct ownership_file_result *res, struct error *err)
{
	memset(res, 0, sizeof *res);
	int rc = ctx_op_check(ctx, OP_SERVICE_MAP, err);
	if (rc < 0)
		return rc;
	struct file_entry *entries;
	size_t n;
	rc = parse_map_file(ctx, name, data, len, &entries, &n, err);
	if (rc < 0)
		return rc;
	res->entries = (int64_t)n;
	struct file_args a = {name, entries, n, res};
	return ctx_run(ctx, OP_SERVICE_MAP, file_body, &a, err);
}
