/* cgraph: commits with their parents, from the events or their packs (see cgraph.h). */
#include "core/cgraph.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/keyindex.h"
#include "base/mem.h"
#include "base/sb.h"
#include "store/store.h"

static void free_block(void *p)
{
	free(p);
}

static void free_graph(void *p)
{
	struct cgraph *g = p;
	free(g->commits);
	free(g->service);
	free(g->parent_shas);
	free(g->parent_hint);
}

struct cgraph *cgraph_new(struct arena *a)
{
	struct cgraph *g = arena_alloc(a, sizeof *g);
	g->arena = a;
	arena_on_destroy(a, free_graph, g);
	return g;
}

bool cgraph_is_revert(const char *title)
{
	return title && (strncmp(title, "Revert ", 7) == 0 || strncmp(title, "revert:", 7) == 0);
}

/* ---- growing the graph ----------------------------------------------------- */

/* Millions of commits: arrays grow with realloc and strings go in malloc'd
 * chunks, not the arena, which zeroes what it hands out (a page fault and a
 * memset a page) and copies an array each time it doubles. */
#define POOL_CHUNK ((size_t)4 << 20)

static char *pool_take(struct cgraph *g, size_t n)
{
	if (n > g->pool_left) {
		/* 4 MB: from 2 MB xmalloc asks for huge pages, and four million
		 * strings in 4 KB pages cost a page fault every hundred. */
		size_t size = n > POOL_CHUNK ? n : POOL_CHUNK;
		g->pool = xmalloc(size);
		g->pool_left = size;
		arena_on_destroy(g->arena, free_block, g->pool);
	}
	char *out = g->pool;
	g->pool += n;
	g->pool_left -= n;
	return out;
}

static const char *pool_strndup(struct cgraph *g, const char *s, size_t n)
{
	char *out = pool_take(g, n + 1);
	memcpy(out, s, n);
	out[n] = 0;
	return out;
}

static struct cgraph_commit *commit_add(struct cgraph *g, int64_t service)
{
	if (g->ncommits == g->commits_alloc) {
		g->commits_alloc = g->commits_alloc ? g->commits_alloc * 2 : 4096;
		g->commits = xreallocarray(g->commits, g->commits_alloc, sizeof *g->commits);
		g->service = xreallocarray(g->service, g->commits_alloc, sizeof *g->service);
	}
	g->service[g->ncommits] = service;
	struct cgraph_commit *c = &g->commits[g->ncommits++];
	memset(c, 0, sizeof *c);
	c->parents_off = (uint32_t)g->nparents;
	return c;
}

static void parent_add(struct cgraph *g, struct cgraph_commit *c, const char *sha, int32_t hint)
{
	if (g->nparents == g->parents_alloc) {
		g->parents_alloc = g->parents_alloc ? g->parents_alloc * 2 : 4096;
		g->parent_shas = xreallocarray((void *)g->parent_shas, g->parents_alloc,
		                               sizeof *g->parent_shas);
		g->parent_hint =
		        xreallocarray(g->parent_hint, g->parents_alloc, sizeof *g->parent_hint);
	}
	g->parent_shas[g->nparents] = sha;
	g->parent_hint[g->nparents++] = hint;
	c->parents_n++;
}

/* ---- from the events ------------------------------------------------------- */

/* The parents array of a commit's attrs, {"parents":["sha",...],...} as
 * ingestion writes it (or an engine's JSON functions merged it: spacing
 * may vary, the shape does not). */
static void attrs_parents(struct cgraph *g, struct cgraph_commit *c, const char *attrs)
{
	const char *p = attrs ? strstr(attrs, "\"parents\"") : NULL;
	if (!p)
		return;
	p += 9;
	while (*p == ' ' || *p == ':')
		p++;
	if (*p++ != '[')
		return;
	for (;;) {
		while (*p == ' ' || *p == ',')
			p++;
		if (*p != '"')
			break;
		const char *e = strchr(p + 1, '"');
		if (!e)
			break;
		parent_add(g, c, pool_strndup(g, p + 1, (size_t)(e - p - 1)), -1);
		p = e + 1;
	}
}

/* The columns a walk reads of a commit, in load_rows' order. */
#define COMMIT_COLUMNS "SELECT id, external_id, occurred_at, title, parent_id, attrs, service_id "

static int load_rows(struct store *s, struct cgraph *g, const char *sql, int64_t bind,
                     struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s, sql, &st, err);
	if (rc < 0)
		return rc;
	if (bind)
		stmt_bind_int(st, 1, bind);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		struct cgraph_commit *c = commit_add(g, stmt_is_null(st, 6) ? 0 : stmt_int(st, 6));
		const char *sha = stmt_text(st, 1), *pr = stmt_text(st, 4);
		c->event_id = stmt_int(st, 0);
		c->sha = pool_strndup(g, sha, strlen(sha));
		c->author_at = stmt_int(st, 2);
		c->revert = cgraph_is_revert(stmt_text(st, 3));
		c->pr = pr ? pool_strndup(g, pr, strlen(pr)) : NULL;
		attrs_parents(g, c, stmt_text(st, 5));
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Commits are most of the events: "kind || ''" keeps SQLite from reading
 * them all through the kind index, row by row, at twice the cost of a plain
 * scan (which goes in id order too).  One service's go through its index. */
static int load_events(struct store *s, struct cgraph *g, int64_t service, struct error *err)
{
	return load_rows(s, g,
	                 service ? COMMIT_COLUMNS "FROM events WHERE service_id = ? AND kind = "
	                                          "'commit' ORDER BY id"
	                         : COMMIT_COLUMNS "FROM events WHERE kind || '' = 'commit'",
	                 service, err);
}

/* ---- packs: reading -------------------------------------------------------- */

struct cursor {
	char *p, *end;
};

static bool read_int(struct cursor *cu, char stop, int64_t *v)
{
	char *p = cu->p;
	bool neg = p < cu->end && *p == '-';
	p += neg;
	uint64_t x = 0;
	int digits = 0;
	while (p < cu->end && *p >= '0' && *p <= '9') {
		if (++digits > 18)
			return false;
		x = x * 10 + (uint64_t)(*p++ - '0');
	}
	if (!digits || p >= cu->end || *p != stop)
		return false;
	*v = neg ? -(int64_t)x : (int64_t)x;
	cu->p = p + 1;
	return true;
}

/* LEN:BYTES, then the comma, which becomes the string's end. */
static bool read_str(struct cursor *cu, const char **out)
{
	int64_t n;
	if (!read_int(cu, ':', &n) || n < 0 || n >= cu->end - cu->p || cu->p[n] != ',')
		return false;
	cu->p[n] = 0;
	*out = cu->p;
	cu->p += n + 1;
	return true;
}

/* One pack value as read, and where its commits and parents go in the graph. */
struct pack_row {
	int64_t svc, commits, parents;
	size_t base; /* the service's first commit in the graph */
	size_t end;  /* and the end of its commits */
	size_t at;   /* this value's first commit */
	size_t pat;  /* its first parent */
	char *text;  /* a copy, its commas turned into the strings' ends */
	size_t len;
};

/* Decode one value into the room made for it; false when it is not what
 * its counts say (a pack edited by hand). */
static bool decode_row(struct cgraph *g, const struct pack_row *r)
{
	struct cursor cu = {r->text, r->text + r->len};
	size_t i = r->at, end = r->at + (size_t)r->commits;
	size_t k = r->pat, pend = r->pat + (size_t)r->parents;
	int64_t id = 0, at = 0;
	for (; cu.p < cu.end; i++) {
		if (i == end)
			return false;
		struct cgraph_commit *c = &g->commits[i];
		int64_t revert, np, did, dat;
		g->service[i] = r->svc;
		c->pr = NULL;
		/* "#" starts what one write wrote, its id and time whole; the
		 * rest are differences from the commit before. */
		bool whole = *cu.p == '#';
		if (i == r->at && !whole)
			return false;
		cu.p += whole;
		if (!read_int(&cu, ',', &did) || !read_int(&cu, ',', &dat) ||
		    !read_int(&cu, ',', &revert) || !read_str(&cu, &c->sha))
			return false;
		/* Differences that add up past 64 bits are damage, not a wrap. */
		if (!whole && (__builtin_add_overflow(id, did, &did) ||
		               __builtin_add_overflow(at, dat, &dat)))
			return false;
		c->event_id = id = did;
		c->author_at = at = dat;
		c->revert = revert != 0;
		if (cu.p + 1 < cu.end && cu.p[0] == '-' && cu.p[1] == ',')
			cu.p += 2;
		else if (!read_str(&cu, &c->pr))
			return false;
		if (!read_int(&cu, ',', &np) || np < 0 || (size_t)np > pend - k)
			return false;
		c->parents_off = (uint32_t)k;
		c->parents_n = (uint32_t)np;
		for (int64_t n = 0; n < np; n++, k++) {
			int64_t pos;
			if (cu.p < cu.end && *cu.p == '=') {
				cu.p++;
				/* A commit of this service, so far from this one, perhaps
				 * not read yet: its string is taken once the service is
				 * (decode_rows). */
				if (!read_int(&cu, ',', &pos) || pos == 0 ||
				    pos < (int64_t)r->base - (int64_t)i ||
				    pos >= (int64_t)r->end - (int64_t)i)
					return false;
				g->parent_shas[k] = NULL;
				g->parent_hint[k] = (int32_t)((int64_t)i + pos);
			} else {
				if (!read_str(&cu, &g->parent_shas[k]))
					return false;
				g->parent_hint[k] = -1;
			}
		}
	}
	return i == end && k == pend;
}

struct decode_job {
	struct cgraph *g;
	const struct pack_row *rows;
	size_t n;
	bool ok;
};

static void *decode_rows(void *arg)
{
	struct decode_job *j = arg;
	j->ok = true;
	for (size_t i = 0; j->ok && i < j->n; i++)
		j->ok = decode_row(j->g, &j->rows[i]);
	/* A parent given as a position takes its commit's own string. */
	if (j->ok && j->n) {
		size_t from = j->rows[0].pat,
		       to = j->rows[j->n - 1].pat + (size_t)j->rows[j->n - 1].parents;
		for (size_t k = from; k < to; k++)
			if (j->g->parent_hint[k] >= 0)
				j->g->parent_shas[k] = j->g->commits[j->g->parent_hint[k]].sha;
	}
	return NULL;
}

/* Read every pack value (or one service's) into the graph: the values
 * first, then room for all their commits at once, then the decoding, on
 * two threads when there is enough for both, split between services (a
 * parent's position points into its own service). */
static int load_packs(struct store *s, struct cgraph *g, int64_t service, bool *damaged,
                      struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
	                       service ? "SELECT service_id, part, commits, parents, data "
	                                 "FROM commit_packs WHERE service_id = ? ORDER BY part"
	                               : "SELECT service_id, part, commits, parents, data "
	                                 "FROM commit_packs WHERE service_id >= 0 "
	                                 "ORDER BY service_id, part",
	                       &st, err);
	if (rc < 0)
		return rc;
	if (service)
		stmt_bind_int(st, 1, service);
	struct pack_row *rows = NULL;
	size_t n = 0, alloc = 0, at = g->ncommits, pat = g->nparents, base = at;
	int64_t next_part = 0;
	while (!*damaged && (rc = stmt_step(st, err)) == STORE_ROW) {
		if (n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			rows = xreallocarray(rows, alloc, sizeof *rows);
		}
		struct pack_row *r = &rows[n];
		r->svc = stmt_int(st, 0);
		if (!n || r->svc != rows[n - 1].svc) {
			base = at;
			next_part = 0;
		}
		r->commits = stmt_int(st, 2);
		r->parents = stmt_int(st, 3);
		const char *data = stmt_text(st, 4);
		r->len = data ? strlen(data) : 0;
		/* Counts the text cannot hold (a commit takes 13 bytes at least,
		 * a parent 3) are damage, found before room is made for them. */
		*damaged = stmt_int(st, 1) != next_part++ || !data || r->commits < 0 ||
		           r->parents < 0 || r->commits > INT32_MAX || r->parents > INT32_MAX ||
		           (uint64_t)r->commits * 13 + (uint64_t)r->parents * 3 > r->len;
		if (*damaged)
			break;
		r->base = base;
		r->at = at;
		r->pat = pat;
		r->text = pool_take(g, r->len + 1);
		memcpy(r->text, data, r->len + 1);
		at += (size_t)r->commits;
		pat += (size_t)r->parents;
		n++;
	}
	stmt_reset(st);
	/* Each service's end, for the positions its parents are given as. */
	for (size_t i = n; i-- > 0;)
		rows[i].end = i + 1 < n && rows[i + 1].svc == rows[i].svc
		                      ? rows[i + 1].end
		                      : rows[i].at + (size_t)rows[i].commits;
	if (rc < 0 || *damaged || at > INT32_MAX || pat > UINT32_MAX) {
		*damaged = *damaged || rc >= 0;
		free(rows);
		return rc < 0 ? rc : 0;
	}
	if (at > g->commits_alloc) {
		g->commits_alloc = at;
		g->commits = xreallocarray(g->commits, at, sizeof *g->commits);
		g->service = xreallocarray(g->service, at, sizeof *g->service);
	}
	if (pat > g->parents_alloc) {
		g->parents_alloc = pat;
		g->parent_shas = xreallocarray((void *)g->parent_shas, pat, sizeof *g->parent_shas);
		g->parent_hint = xreallocarray(g->parent_hint, pat, sizeof *g->parent_hint);
	}
	/* The second thread takes the services from about half the commits on. */
	size_t split = n;
	for (size_t i = 0; i < n; i++)
		if (rows[i].at - g->ncommits >= (at - g->ncommits) / 2 &&
		    (i == 0 || rows[i].svc != rows[i - 1].svc)) {
			split = i;
			break;
		}
	struct decode_job first = {g, rows, split, false},
	                  second = {g, rows + split, n - split, false};
	pthread_t t;
	bool threaded = at - g->ncommits >= 100000 && split < n &&
	                pthread_create(&t, NULL, decode_rows, &second) == 0;
	decode_rows(&first);
	if (threaded)
		pthread_join(t, NULL);
	else
		decode_rows(&second);
	free(rows);
	if (first.ok && second.ok) {
		g->ncommits = at;
		g->nparents = pat;
	} else {
		*damaged = true;
	}
	return 0;
}

int cgraph_packs_complete(struct store *s, bool *complete, struct error *err)
{
	int64_t n;
	bool found;
	int rc = store_query_int(s, "SELECT COUNT(*) FROM commit_packs WHERE service_id = -1", &n,
	                         &found, err);
	*complete = rc == 0 && found && n > 0;
	return rc;
}

int cgraph_load(struct store *s, struct cgraph *g, int64_t service, bool from_packs,
                struct error *err)
{
	if (!from_packs)
		return load_events(s, g, service, err);
	size_t ncommits = g->ncommits, nparents = g->nparents;
	bool damaged = false;
	int rc = load_packs(s, g, service, &damaged, err);
	if (rc < 0 || !damaged)
		return rc;
	g->ncommits = ncommits;
	g->nparents = nparents;
	g->packs_damaged = true;
	return load_events(s, g, service, err);
}

/* ---- packs: writing -------------------------------------------------------- */

/* The commits a write packs, in its order: keyindex's items. */
struct batch {
	const struct cgraph *g;
	const int32_t *order;
};

static const char *batch_sha(const void *items, int32_t i)
{
	const struct batch *b = items;
	return b->g->commits[b->order[i]].sha;
}

static void put_str(struct sb *b, const char *s)
{
	sb_int(b, (int64_t)strlen(s));
	sb_putc(b, ':');
	sb_puts(b, s);
	sb_putc(b, ',');
}

/* Where a service's packs end: its last part, how many commits that holds,
 * and its highest event id.  part is -1 for a service with none. */
struct tail {
	int64_t part, in_part, last_id;
};

static int tail_of(struct store *s, int64_t svc, struct tail *t, struct error *err)
{
	struct store_stmt *st;
	*t = (struct tail){-1, 0, 0};
	int rc = store_prepare(s,
	                       "SELECT part, commits, last_id FROM commit_packs "
	                       "WHERE service_id = ? ORDER BY part",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, svc);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		t->part = stmt_int(st, 0);
		t->in_part = stmt_int(st, 1);
		if (stmt_int(st, 2) > t->last_id)
			t->last_id = stmt_int(st, 2);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Write one part's text: a new row, or appended to the service's last one
 * (a pack is its commits one after another, so texts join as they are). */
static int put_pack(struct store *s, int64_t svc, int64_t part, bool append, int64_t n,
                    int64_t parents, int64_t last_id, const char *data, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(s,
	                       append ? "UPDATE commit_packs SET commits = commits + ?3, "
	                                "parents = parents + ?4, last_id = ?5, data = data || ?6 "
	                                "WHERE service_id = ?1 AND part = ?2"
	                              : "INSERT INTO commit_packs (service_id, part, commits, "
	                                "parents, last_id, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	                       &st, err);
	if (rc < 0)
		return rc;
	int64_t v[] = {svc, part, n, parents, last_id};
	for (int i = 0; i < 5; i++)
		stmt_bind_int(st, i + 1, v[i]);
	stmt_bind_text(st, 6, data);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* Write commits order[0..n) of g, in order, after the service's packs as t
 * says they end (its last part filled up first).  A parent is written as
 * a position when one of these commits has that sha. */
static int write_service(struct store *s, const struct cgraph *g, int64_t svc, const int32_t *order,
                         size_t n, const struct tail *t, struct error *err)
{
	/* Each sha's first position among these commits, before any is
	 * written: a page lists children before their parents. */
	struct arena *scratch = arena_create();
	struct batch items = {g, order};
	struct keyindex ix;
	keyindex_init(&ix, n, scratch);
	for (size_t i = 0; i < n; i++) {
		size_t slot = keyindex_slot(&ix, batch_sha(&items, (int32_t)i), &items, batch_sha);
		if (ix.slots[slot].pos < 0)
			ix.slots[slot].pos = (int32_t)i;
	}
	struct sb b = SB_INIT;
	bool append = t->part >= 0 && t->in_part < CGRAPH_PART;
	int64_t part = append ? t->part : t->part + 1, in_part = append ? t->in_part : 0;
	int64_t added = 0, parents = 0, last_id = 0;
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct cgraph_commit *c = &g->commits[order[i]];
		/* What one write writes starts whole; differences after. */
		if (added == 0) {
			sb_putc(&b, '#');
			sb_int(&b, c->event_id);
			sb_putc(&b, ',');
			sb_int(&b, c->author_at);
		} else {
			const struct cgraph_commit *prev = &g->commits[order[i - 1]];
			sb_int(&b, c->event_id - prev->event_id);
			sb_putc(&b, ',');
			sb_int(&b, c->author_at - prev->author_at);
		}
		sb_putc(&b, ',');
		sb_putc(&b, c->revert ? '1' : '0');
		sb_putc(&b, ',');
		put_str(&b, c->sha);
		if (c->pr)
			put_str(&b, c->pr);
		else
			sb_puts(&b, "-,");
		sb_int(&b, c->parents_n);
		sb_putc(&b, ',');
		parents += c->parents_n;
		for (uint32_t k = 0; k < c->parents_n; k++) {
			const char *p = g->parent_shas[c->parents_off + k];
			int32_t pos = keyindex_get(&ix, p, &items, batch_sha);
			if (pos >= 0 && (size_t)pos != i) {
				sb_putc(&b, '=');
				sb_int(&b, (int64_t)pos - (int64_t)i);
				sb_putc(&b, ',');
			} else {
				put_str(&b, p);
			}
		}
		if (c->event_id > last_id)
			last_id = c->event_id;
		added++;
		if (++in_part == CGRAPH_PART || i + 1 == n) {
			rc = put_pack(s, svc, part++, append, added, parents, last_id, b.buf, err);
			sb_reset(&b);
			append = false;
			in_part = added = parents = 0;
		}
	}
	sb_release(&b);
	arena_destroy(scratch);
	return rc;
}

static int put_marker(struct store *s, struct error *err)
{
	return store_exec(s,
	                  "INSERT INTO commit_packs (service_id, part, commits, parents, last_id, "
	                  "data) VALUES (-1, 0, 0, 0, 0, '')",
	                  err);
}

int cgraph_drop(struct store *s, struct error *err)
{
	return store_exec(s, "DELETE FROM commit_packs", err);
}

/* The distinct services of g's commits, by a small open-addressing table
 * (a few hundred services against millions of commits). */
struct groups {
	int64_t *svc;
	size_t *count, *at;
	int32_t *slot; /* group, -1 empty */
	size_t n, cap, mask;
};

static size_t group_slot(const struct groups *gr, int64_t svc)
{
	size_t i = (size_t)((uint64_t)svc * 0x9e3779b97f4a7c15u >> 20) & gr->mask;
	while (gr->slot[i] >= 0 && gr->svc[gr->slot[i]] != svc)
		i = (i + 1) & gr->mask;
	return i;
}

static size_t group_of(struct groups *gr, int64_t svc)
{
	if (gr->n == gr->cap) {
		gr->cap = gr->cap ? gr->cap * 2 : 64;
		gr->svc = xreallocarray(gr->svc, gr->cap, sizeof *gr->svc);
		gr->count = xreallocarray(gr->count, gr->cap, sizeof *gr->count);
		/* The table keeps twice as many slots as groups may be. */
		free(gr->slot);
		gr->mask = gr->cap * 2 - 1;
		gr->slot = xmalloc(gr->cap * 2 * sizeof *gr->slot);
		memset(gr->slot, 0xff, gr->cap * 2 * sizeof *gr->slot);
		for (size_t k = 0; k < gr->n; k++)
			gr->slot[group_slot(gr, gr->svc[k])] = (int32_t)k;
	}
	size_t i = group_slot(gr, svc);
	if (gr->slot[i] < 0) {
		gr->svc[gr->n] = svc;
		gr->count[gr->n] = 0;
		gr->slot[i] = (int32_t)gr->n++;
	}
	return (size_t)gr->slot[i];
}

/* Each service's commits of g together, each in g's order (a counting sort
 * by service): the services in gr, their commits order[at..at+count). */
static int32_t *group_order(const struct cgraph *g, struct groups *gr)
{
	int32_t *group = xmalloc((g->ncommits + 1) * sizeof *group);
	for (size_t i = 0; i < g->ncommits; i++) {
		group[i] = (int32_t)group_of(gr, g->service[i]);
		gr->count[group[i]]++;
	}
	gr->at = xmalloc((gr->n + 1) * sizeof *gr->at);
	size_t *next = xmalloc((gr->n + 1) * sizeof *next);
	for (size_t k = 0, sum = 0; k < gr->n; k++) {
		gr->at[k] = next[k] = sum;
		sum += gr->count[k];
	}
	int32_t *order = xmalloc((g->ncommits + 1) * sizeof *order);
	for (size_t i = 0; i < g->ncommits; i++)
		order[next[group[i]]++] = (int32_t)i;
	free(next);
	free(group);
	return order;
}

static void groups_release(struct groups *gr)
{
	free(gr->svc);
	free(gr->count);
	free(gr->at);
	free(gr->slot);
}

int cgraph_keep(struct store *s, const struct cgraph *g, struct error *err)
{
	int rc = cgraph_drop(s, err);
	struct groups gr = {0};
	int32_t *order = group_order(g, &gr);
	struct tail none = {-1, 0, 0};
	for (size_t k = 0; rc == 0 && k < gr.n; k++)
		rc = write_service(s, g, gr.svc[k], order + gr.at[k], gr.count[k], &none, err);
	free(order);
	groups_release(&gr);
	return rc == 0 ? put_marker(s, err) : rc;
}

/* Rebuild one service's packs from the events. */
static int rebuild_service(struct store *s, int64_t svc, struct error *err)
{
	struct arena *a = arena_create();
	struct cgraph *g = cgraph_new(a);
	struct store_stmt *st;
	int rc = load_events(s, g, svc, err);
	if (rc == 0)
		rc = store_prepare(s, "DELETE FROM commit_packs WHERE service_id = ?", &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, svc);
		rc = stmt_step(st, err);
		stmt_reset(st);
	}
	if (rc >= 0) {
		int32_t *order = xmalloc((g->ncommits + 1) * sizeof *order);
		for (size_t k = 0; k < g->ncommits; k++)
			order[k] = (int32_t)k;
		struct tail none = {-1, 0, 0};
		rc = write_service(s, g, svc, order, g->ncommits, &none, err);
		free(order);
	}
	arena_destroy(a);
	return rc < 0 ? rc : 0;
}

int cgraph_published(struct store *s, int64_t run_id, struct error *err)
{
	bool complete;
	int rc = cgraph_packs_complete(s, &complete, err);
	if (rc < 0 || !complete)
		return rc;
	/* The commits the run inserted or updated (each carries its run id),
	 * through the run_id index, in id order. */
	struct arena *a = arena_create();
	struct cgraph *g = cgraph_new(a);
	rc = load_rows(s, g,
	               COMMIT_COLUMNS "FROM events WHERE run_id = ? AND kind || '' = 'commit'",
	               run_id, err);
	struct groups gr = {0};
	int32_t *order = group_order(g, &gr);
	/* Commits of no service are found only by reading every commit: left
	 * to the next full read. */
	bool unowned = false;
	for (size_t k = 0; k < gr.n; k++)
		unowned |= gr.svc[k] == 0;
	if (rc == 0 && unowned)
		rc = cgraph_drop(s, err);
	for (size_t k = 0; rc == 0 && !unowned && k < gr.n; k++) {
		const int32_t *own = order + gr.at[k];
		int64_t first = INT64_MAX;
		for (size_t i = 0; i < gr.count[k]; i++)
			if (g->commits[own[i]].event_id < first)
				first = g->commits[own[i]].event_id;
		struct tail t;
		rc = tail_of(s, gr.svc[k], &t, err);
		/* New commits come after every one packed (ids only grow) and
		 * are appended; a commit the run updated is packed already, and
		 * its service is packed again. */
		if (rc == 0)
			rc = first > t.last_id
			             ? write_service(s, g, gr.svc[k], own, gr.count[k], &t, err)
			             : rebuild_service(s, gr.svc[k], err);
	}
	free(order);
	groups_release(&gr);
	arena_destroy(a);
	return rc;
}
