/*
 * test_cgraph: the commit packs on a real SQLite file: a graph kept as packs
 * reads back the same (shas, pull requests, revert flags, parents within and
 * across services, commits of no service, values split in parts), parents
 * within a service come back pointing at their commit's own string, a pack
 * that does not read is reported damaged and read from the events instead,
 * and the marker row says whether the packs are complete.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "base/sb.h"
#include "core/cgraph.h"
#include "store/store.h"

struct fixture {
	char dir[64];
	char db[128];
	struct store *s;
	struct arena *a;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct error err = {0};
	snprintf(f->dir, sizeof f->dir, "/tmp/plumb-cgraph-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->db, sizeof f->db, "%s/plumb.db", f->dir);
	if (store_open(f->db, STORE_OPEN_CREATE, &f->s, &err) < 0 || store_migrate(f->s, &err) < 0)
		return -1;
	f->a = arena_create();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_destroy(f->a);
	store_close(f->s);
	remove_tree(f->dir);
	free(f);
	return 0;
}

/* A graph built by hand, as a full read from the events would leave it. */
struct built {
	struct cgraph g;
	struct cgraph_commit commits[16];
	int64_t service[16];
	const char *parents[32];
	int32_t hints[32];
};

static void add(struct built *b, int64_t svc, int64_t id, const char *sha, const char *pr,
                bool revert, const char *p1, const char *p2)
{
	struct cgraph *g = &b->g;
	struct cgraph_commit *c = &b->commits[g->ncommits];
	b->service[g->ncommits++] = svc;
	*c = (struct cgraph_commit){.sha = sha,
	                            .event_id = id,
	                            .author_at = 1700000000000 + id * 1000,
	                            .revert = revert,
	                            .pr = pr,
	                            .parents_off = (uint32_t)g->nparents};
	for (const char *p = p1; p; p = p == p1 ? p2 : NULL) {
		b->hints[g->nparents] = -1;
		b->parents[g->nparents++] = p;
		c->parents_n++;
	}
	g->commits = b->commits;
	g->service = b->service;
	g->parent_shas = b->parents;
	g->parent_hint = b->hints;
}

static void keep_ok(struct fixture *f, const struct cgraph *g)
{
	struct error err = {0};
	assert_int_equal(store_begin(f->s, &err), 0);
	if (cgraph_keep(f->s, g, &err) < 0)
		fail_msg("keep: %s", err.message);
	assert_int_equal(store_commit(f->s, &err), 0);
}

static bool complete(struct fixture *f)
{
	struct error err = {0};
	bool c = false;
	assert_int_equal(cgraph_packs_complete(f->s, &c, &err), 0);
	return c;
}

/* The commit of g with event id id. */
static const struct cgraph_commit *by_id(const struct cgraph *g, int64_t id, int64_t *svc)
{
	for (size_t i = 0; i < g->ncommits; i++)
		if (g->commits[i].event_id == id) {
			*svc = g->service[i];
			return &g->commits[i];
		}
	fail_msg("no commit %lld", (long long)id);
	return NULL;
}

static void packs_read_back_the_graph(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	assert_true(complete(f)); /* no commits yet: nothing to pack */
	struct built b = {0};
	/* Service 7: a merge, a revert, a sha with separators in it, a parent
	 * of another service and one not held at all. */
	add(&b, 7, 1, "aaaa", NULL, false, NULL, NULL);
	add(&b, 7, 2, "b,b:b", "acme/x#2", false, "aaaa", NULL);
	add(&b, 9, 3, "cccc", NULL, false, "aaaa", NULL);
	add(&b, 7, 4, "dddd", NULL, true, "b,b:b", "cccc");
	add(&b, 7, 5, "eeee", "", false, "gone", NULL);
	add(&b, 0, 6, "ffff", NULL, false, "dddd", NULL); /* of no service */
	keep_ok(f, &b.g);
	assert_true(complete(f));

	struct cgraph *g = cgraph_new(f->a);
	if (cgraph_load(f->s, g, 0, true, &err) < 0)
		fail_msg("load: %s", err.message);
	assert_false(g->packs_damaged);
	assert_int_equal(g->ncommits, 6);
	assert_int_equal(g->nparents, 6);
	for (size_t i = 0; i < b.g.ncommits; i++) {
		const struct cgraph_commit *want = &b.commits[i];
		int64_t svc;
		const struct cgraph_commit *got = by_id(g, want->event_id, &svc);
		assert_int_equal(svc, b.service[i]);
		assert_string_equal(got->sha, want->sha);
		assert_int_equal(got->author_at, want->author_at);
		assert_int_equal(got->revert, want->revert);
		if (want->pr)
			assert_string_equal(got->pr, want->pr);
		else
			assert_null(got->pr);
		assert_int_equal(got->parents_n, want->parents_n);
		for (uint32_t k = 0; k < want->parents_n; k++) {
			const char *p = g->parent_shas[got->parents_off + k];
			int32_t hint = g->parent_hint[got->parents_off + k];
			assert_string_equal(p, b.parents[want->parents_off + k]);
			/* Within the service, an earlier commit's own string. */
			if (hint >= 0) {
				assert_ptr_equal(p, g->commits[hint].sha);
				assert_int_equal(g->service[hint], svc);
			}
		}
	}
	/* dddd's parents: b,b:b is an earlier commit of 7 (hinted), cccc is 9's. */
	int64_t svc;
	const struct cgraph_commit *d = by_id(g, 4, &svc);
	assert_true(g->parent_hint[d->parents_off] >= 0);
	assert_int_equal(g->parent_hint[d->parents_off + 1], -1);

	/* One service alone. */
	struct cgraph *one = cgraph_new(f->a);
	assert_int_equal(cgraph_load(f->s, one, 9, true, &err), 0);
	assert_int_equal(one->ncommits, 1);
	assert_string_equal(one->commits[0].sha, "cccc");

	assert_int_equal(cgraph_drop(f->s, &err), 0);
	assert_false(complete(f));
}

/* More commits than a value holds: the service's second part points back
 * into its first. */
static void long_history_in_parts(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	size_t n = CGRAPH_PART + 10;
	struct cgraph g = {0};
	struct cgraph_commit *commits = calloc(n, sizeof *commits);
	int64_t *service = calloc(n, sizeof *service);
	const char **parents = calloc(n, sizeof *parents);
	int32_t *hints = calloc(n, sizeof *hints);
	char *shas = calloc(n, 12);
	for (size_t i = 0; i < n; i++) {
		snprintf(shas + i * 12, 12, "s%zu", i);
		commits[i] = (struct cgraph_commit){.sha = shas + i * 12,
		                                    .event_id = (int64_t)i + 1,
		                                    .author_at = (int64_t)i,
		                                    .parents_off = (uint32_t)(i ? i - 1 : 0),
		                                    .parents_n = i ? 1 : 0};
		service[i] = 3;
		if (i) {
			parents[i - 1] = shas + (i - 1) * 12;
			hints[i - 1] = -1;
		}
	}
	g.commits = commits;
	g.service = service;
	g.ncommits = n;
	g.parent_shas = parents;
	g.parent_hint = hints;
	g.nparents = n - 1;
	keep_ok(f, &g);
	int64_t parts = -1;
	assert_int_equal(store_query_int(f->s,
	                                 "SELECT COUNT(*) FROM commit_packs WHERE service_id = 3",
	                                 &parts, NULL, &err),
	                 0);
	assert_int_equal(parts, 2);
	struct cgraph *back = cgraph_new(f->a);
	assert_int_equal(cgraph_load(f->s, back, 0, true, &err), 0);
	assert_false(back->packs_damaged);
	assert_int_equal(back->ncommits, n);
	/* The last commit's parent, its predecessor, found by position. */
	const struct cgraph_commit *last = &back->commits[n - 1];
	assert_int_equal(last->parents_n, 1);
	assert_int_equal(back->parent_hint[last->parents_off], (int32_t)(n - 2));
	assert_string_equal(back->parent_shas[last->parents_off], back->commits[n - 2].sha);
	free(commits);
	free(service);
	free(parents);
	free(hints);
	free(shas);
}

/* A pack that does not read is damaged: the events are read instead (none
 * here), and the graph says so. */
static void damaged_pack_reads_the_events(void **state)
{
	struct fixture *f = *state;
	struct error err = {0};
	struct built b = {0};
	add(&b, 5, 1, "aaaa", NULL, false, NULL, NULL);
	add(&b, 5, 2, "bbbb", NULL, false, "aaaa", NULL);
	keep_ok(f, &b.g);
	/* As written: the first commit whole, the second as differences, its
	 * parent one position back. */
	struct store_stmt *st;
	assert_int_equal(store_prepare(f->s, "SELECT data FROM commit_packs WHERE service_id = 5",
	                               &st, &err),
	                 0);
	assert_int_equal(stmt_step(st, &err), STORE_ROW);
	assert_string_equal(stmt_text(st, 0),
	                    "#1,1700000001000,0,4:aaaa,-,0,1,1000,0,4:bbbb,-,1,=-1,");
	stmt_reset(st);
	static const char *const bad[] = {
	        "1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=-1,",   /* not started whole */
	        "#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=0,",   /* a parent of itself */
	        "1,2,",                                     /* cut short */
	        "#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=5,",   /* a position past the service */
	        "#1,2,0,9:aaaa,-,0,1,1,0,4:bbbb,-,1,=-1,",  /* a length past the end */
	        "#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,2,=-1,",  /* more parents than counted */
	        "#1,2,0,4:aaaa,-,0,",                       /* fewer commits than counted */
	        "#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=-1,x", /* trailing bytes */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(
		        store_prepare(f->s, "UPDATE commit_packs SET data = ? WHERE service_id = 5",
		                      &st, &err),
		        0);
		stmt_bind_text(st, 1, bad[i]);
		assert_true(stmt_step(st, &err) >= 0);
		stmt_reset(st);
		struct cgraph *g = cgraph_new(f->a);
		assert_int_equal(cgraph_load(f->s, g, 0, true, &err), 0);
		if (!g->packs_damaged)
			fail_msg("'%s' read as a pack", bad[i]);
		assert_int_equal(g->ncommits, 0);
	}
	/* Ids whose differences add up past 64 bits are damage, not a wrap
	 * (found in review: signed overflow, then garbage ids read as valid). */
	struct sb wrap = SB_INIT;
	for (int i = 0; i < 10; i++)
		sb_printf(&wrap, "%s999999999999999999,0,0,1:%c,-,0,", i ? "" : "#", 'a' + i);
	assert_int_equal(
	        store_prepare(f->s,
	                      "UPDATE commit_packs SET commits = 10, parents = 0, data = ? "
	                      "WHERE service_id = 5",
	                      &st, &err),
	        0);
	stmt_bind_text(st, 1, wrap.buf);
	assert_true(stmt_step(st, &err) >= 0);
	stmt_reset(st);
	sb_release(&wrap);
	struct cgraph *wrapped = cgraph_new(f->a);
	assert_int_equal(cgraph_load(f->s, wrapped, 0, true, &err), 0);
	assert_true(wrapped->packs_damaged);
	/* Counts the text cannot hold are damage, found before any room is
	 * made for them (found in review: two billion commits aborted the
	 * command, out of memory, at every computation). */
	assert_int_equal(
	        store_exec(f->s,
	                   "UPDATE commit_packs SET commits = 2000000000, parents = 1, data = "
	                   "'#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=-1,' WHERE service_id = 5",
	                   &err),
	        0);
	struct cgraph *huge = cgraph_new(f->a);
	assert_int_equal(cgraph_load(f->s, huge, 0, true, &err), 0);
	assert_true(huge->packs_damaged);
	assert_int_equal(
	        store_exec(f->s, "UPDATE commit_packs SET commits = 2 WHERE service_id = 5", &err),
	        0);
	/* A text as keep writes it reads back, differences added up. */
	assert_int_equal(store_prepare(f->s,
	                               "UPDATE commit_packs SET data = ? WHERE service_id = 5", &st,
	                               &err),
	                 0);
	stmt_bind_text(st, 1, "#1,2,0,4:aaaa,-,0,1,1,0,4:bbbb,-,1,=-1,");
	assert_true(stmt_step(st, &err) >= 0);
	stmt_reset(st);
	struct cgraph *g = cgraph_new(f->a);
	assert_int_equal(cgraph_load(f->s, g, 0, true, &err), 0);
	assert_false(g->packs_damaged);
	assert_int_equal(g->ncommits, 2);
	assert_int_equal(g->commits[1].event_id, 2);
	assert_int_equal(g->commits[1].author_at, 3);
	assert_string_equal(g->parent_shas[0], "aaaa");
	assert_int_equal(g->parent_hint[0], 0);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        T(packs_read_back_the_graph),
	        T(long_history_in_parts),
	        T(damaged_pack_reads_the_events),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
