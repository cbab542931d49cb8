/* dora: the four keys over an in-memory history (see dora.h). */
#include "metrics/dora.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/keyindex.h"
#include "base/mem.h"

static const char *commit_sha(const void *items, int32_t i)
{
	return ((const struct cgraph_commit *)items)[i].sha;
}

static const char *pr_merge_sha(const void *items, int32_t i)
{
	return ((const struct dora_pr *)items)[i].merge_sha;
}

static const char *pr_id(const void *items, int32_t i)
{
	return ((const struct dora_pr *)items)[i].id;
}

/* The id of the pull request commit c names, or NULL. */
static const char *commit_pr(const struct dora_input *in, size_t c)
{
	return in->commit_prs ? in->commit_prs[c] : in->commits[c].pr;
}

/* ---- the commit graph ------------------------------------------------------ */

struct graph {
	const struct dora_input *in;
	int32_t *parents; /* resolved parent indexes, -1 when not in the history */
	uint32_t *gen;    /* generation: 1 + the highest parent's */
	uint32_t *stamp;  /* walk id that last saw the commit */
	bool *boring;     /* seen from the previous deployment in that walk */
	/* In a walk: whether the commit is on the tip's first-parent chain (it
	 * landed on the deployed branch itself), and when it landed there. */
	bool *chain;
	int64_t *landed;
	const struct keyindex *by_merge; /* pull requests by merge commit */
	const struct keyindex *by_pr;    /* pull requests by id */
	int32_t *heap;
	size_t nheap, interesting;
	uint32_t walk;
};

/* Generation numbers, 1 + the highest parent's, by an iterative depth-first
 * walk: a commit is finished only after all its parents are, whatever
 * order the commits came in.  A parent still on the walk's path would be a
 * cycle, which no real history has: it is ignored rather than looped on. */
static void graph_generations(struct graph *g, struct arena *a)
{
	enum { UNSEEN, ON_PATH, DONE };
	size_t n = g->in->ncommits;
	unsigned char *state = arena_array(a, n + 1, 1);
	struct frame {
		int32_t c;
		uint32_t next; /* the next parent to look at */
	} *stack = arena_array(a, n + 1, sizeof *stack);
	for (size_t root = 0; root < n; root++) {
		if (state[root] != UNSEEN)
			continue;
		size_t sp = 0;
		stack[sp++] = (struct frame){(int32_t)root, 0};
		state[root] = ON_PATH;
		while (sp) {
			struct frame *f = &stack[sp - 1];
			const struct cgraph_commit *cm = &g->in->commits[f->c];
			bool descended = false;
			while (f->next < cm->parents_n) {
				int32_t p = g->parents[cm->parents_off + f->next++];
				if (p >= 0 && state[p] == UNSEEN) {
					state[p] = ON_PATH;
					stack[sp++] = (struct frame){p, 0};
					descended = true;
					break;
				}
			}
			if (descended)
				continue;
			uint32_t best = 0;
			for (uint32_t k = 0; k < cm->parents_n; k++) {
				int32_t p = g->parents[cm->parents_off + k];
				if (p >= 0 && state[p] == DONE && g->gen[p] > best)
					best = g->gen[p];
			}
			g->gen[f->c] = best + 1;
			state[f->c] = DONE;
			sp--;
		}
	}
}

static bool heap_above(const struct graph *g, int32_t x, int32_t y)
{
	return g->gen[x] > g->gen[y];
}

static void heap_push(struct graph *g, int32_t c)
{
	size_t i = g->nheap++;
	g->heap[i] = c;
	while (i && heap_above(g, g->heap[i], g->heap[(i - 1) / 2])) {
		int32_t t = g->heap[i];
		g->heap[i] = g->heap[(i - 1) / 2];
		g->heap[(i - 1) / 2] = t;
		i = (i - 1) / 2;
	}
}

static int32_t heap_pop(struct graph *g)
{
	int32_t top = g->heap[0];
	g->heap[0] = g->heap[--g->nheap];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < g->nheap && heap_above(g, g->heap[l], g->heap[m]))
			m = l;
		if (r < g->nheap && heap_above(g, g->heap[r], g->heap[m]))
			m = r;
		if (m == i)
			break;
		int32_t t = g->heap[i];
		g->heap[i] = g->heap[m];
		g->heap[m] = t;
		i = m;
	}
	return top;
}

/* When a commit on the first-parent chain landed: its pull request's merge
 * when it is one's merge commit (or squashed commit) or one of a pull
 * request's rebased commits, else its own time (pushed to the branch).
 * Rebased commits are known only by their pr, which no parser sets yet
 * (the events' parent_id of commits): docs/metrics.md says so. */
static int64_t own_landing(const struct graph *g, int32_t c)
{
	const struct cgraph_commit *cm = &g->in->commits[c];
	if (!g->in->nprs)
		return cm->author_at;
	int32_t pr = keyindex_get(g->by_merge, cm->sha, g->in->prs, pr_merge_sha);
	if (pr < 0)
		pr = keyindex_get(g->by_pr, commit_pr(g->in, (size_t)c), g->in->prs, pr_id);
	return pr >= 0 && g->in->prs[pr].merged_at ? g->in->prs[pr].merged_at : cm->author_at;
}

/* Queue c for this walk; boring marks it reachable from the previous tip.
 * A commit reached by several children landed with the earliest of them. */
static void visit(struct graph *g, int32_t c, bool boring, bool chain, int64_t landed)
{
	if (c < 0)
		return;
	if (g->stamp[c] == g->walk) {
		if (boring && !g->boring[c]) {
			g->boring[c] = true;
			g->interesting--; /* still queued: it is popped in generation order */
		}
		g->chain[c] |= chain;
		if (landed < g->landed[c])
			g->landed[c] = landed;
		return;
	}
	g->stamp[c] = g->walk;
	g->boring[c] = boring;
	g->chain[c] = chain;
	g->landed[c] = landed;
	if (!boring)
		g->interesting++;
	heap_push(g, c);
}

/* The commits reachable from tip and not from prev (git's prev..tip),
 * appended to *out.  Popping in generation order means every child of a
 * commit is settled before it, so a commit marked boring late is never
 * counted. */
static void walk_range(struct graph *g, int32_t tip, int32_t prev, int32_t **out, size_t *n,
                       size_t *alloc, struct arena *a)
{
	g->walk++;
	g->nheap = g->interesting = 0;
	visit(g, prev, true, false, 0);
	visit(g, tip, false, true, own_landing(g, tip));
	while (g->nheap && g->interesting) {
		int32_t c = heap_pop(g);
		bool boring = g->boring[c];
		if (!boring) {
			g->interesting--;
			*out = arena_grow(a, *out, *n, alloc, sizeof **out);
			(*out)[(*n)++] = c;
		}
		const struct cgraph_commit *cm = &g->in->commits[c];
		for (uint32_t k = 0; k < cm->parents_n; k++) {
			/* The first parent of a chain commit is on the chain and landed
			 * on its own; a merged branch landed with the merge. */
			int32_t p = g->parents[cm->parents_off + k];
			bool chain = !boring && k == 0 && g->chain[c];
			visit(g, p, boring, chain,
			      boring || p < 0 ? 0
			      : chain         ? own_landing(g, p)
			                      : g->landed[c]);
		}
	}
}

/* ---- deployments ----------------------------------------------------------- */

struct deploy_key {
	int64_t service_id, finished_at, event_id;
	int32_t i;
};

static int cmp_deploy(const void *x, const void *y)
{
	const struct deploy_key *a = x, *b = y;
	if (a->service_id != b->service_id)
		return a->service_id < b->service_id ? -1 : 1;
	if (a->finished_at != b->finished_at)
		return a->finished_at < b->finished_at ? -1 : 1;
	return a->event_id < b->event_id ? -1 : a->event_id > b->event_id;
}

static bool has_word_ci(const char *s, const char *word)
{
	if (!s)
		return false;
	size_t n = strlen(word);
	for (; *s; s++)
		if (strncasecmp(s, word, n) == 0)
			return true;
	return false;
}

/* A deployment's earliest start for a squash or rebase merge: the pull
 * request's own commits we hold, its head commit, and its creation. */
static int64_t pr_first_commit(const struct dora_input *in, const struct dora_pr *pr,
                               const int64_t *pr_earliest, int32_t pri,
                               const struct keyindex *by_sha)
{
	int64_t t = pr->created_at;
	if (pr_earliest[pri] && pr_earliest[pri] < t)
		t = pr_earliest[pri];
	int32_t head = keyindex_get(by_sha, pr->head_sha, in->commits, commit_sha);
	if (head >= 0 && in->commits[head].author_at < t)
		t = in->commits[head].author_at;
	return t;
}

/* Deployments by sha (sorted, for prefix lookups) and by id. */
struct refs {
	struct sha_pos {
		const char *sha;
		int32_t k;
	} * shas;
	size_t nshas;
	struct keyindex by_id;
	const int32_t *order;
	const struct dora_deploy *deploys;
};

/* By sha, then position: a sha's deployments together, in a fixed order.
 * The shas are lower-cased copies, compared as bytes: the order of
 * strcasecmp, without its per-character folding in a sort of 100,000. */
static int cmp_sha_pos(const void *x, const void *y)
{
	const struct sha_pos *a = x, *b = y;
	int c = strcmp(a->sha, b->sha);
	return c ? c : (a->k > b->k) - (a->k < b->k);
}

static const char *ordered_id(const void *items, int32_t k)
{
	const struct refs *r = items;
	return r->deploys[r->order[k]].external_id;
}

static void refs_init(struct refs *r, const struct dora_input *in, const int32_t *order, size_t nd,
                      struct arena *a)
{
	memset(r, 0, sizeof *r);
	r->order = order;
	r->deploys = in->deploys;
	r->shas = arena_array(a, nd + 1, sizeof *r->shas);
	keyindex_init(&r->by_id, nd, a);
	for (size_t k = 0; k < nd; k++) {
		const struct dora_deploy *d = &in->deploys[order[k]];
		if (d->sha)
			r->shas[r->nshas++] =
			        (struct sha_pos){arena_strlower(a, d->sha), (int32_t)k};
		if (d->external_id) {
			size_t s = keyindex_slot(&r->by_id, d->external_id, r, ordered_id);
			r->by_id.slots[s].pos = (int32_t)k;
		}
	}
	qsort(r->shas, r->nshas, sizeof *r->shas, cmp_sha_pos);
}

/* The deployments one incident names, each once: positions in the ordered
 * deployments, in a list grown in the arena and reused from one incident to
 * the next.  mark[k] is 1 + the last incident that named k. */
struct named {
	int32_t *k;
	size_t n, alloc;
	size_t *mark;
	size_t incident; /* 1 + the incident being linked */
	struct arena *a;
};

static void named_add(struct named *nm, int32_t k)
{
	if (nm->mark[k] == nm->incident)
		return;
	nm->mark[k] = nm->incident;
	nm->k = arena_grow(nm->a, nm->k, nm->n, &nm->alloc, sizeof *nm->k);
	nm->k[nm->n++] = k;
}

static int64_t finish_of(const struct refs *r, int32_t k)
{
	return r->deploys[r->order[k]].finished_at;
}

/* Of the deployments r->shas[lo, hi) (one sha), the latest that finished
 * by the incident's start: a fix deployed later under the same sha is not
 * its cause, nor an earlier deployment of the sha, on whatever service.
 * Deployments that finished at that same instant are all named. */
static void name_latest_of_sha(const struct refs *r, size_t lo, size_t hi, int64_t start,
                               struct named *nm)
{
	bool any = false;
	int64_t latest = 0;
	for (size_t j = lo; j < hi; j++) {
		int64_t t = finish_of(r, r->shas[j].k);
		if (t <= start && (!any || t > latest)) {
			latest = t;
			any = true;
		}
	}
	for (size_t j = lo; any && j < hi; j++)
		if (finish_of(r, r->shas[j].k) == latest)
			named_add(nm, r->shas[j].k);
}

/* The deployment whose id is the n characters at p, or -1. */
static int32_t deployment_by_id(const struct refs *r, const char *p, size_t n)
{
	char tok[64];
	if (n >= sizeof tok)
		return -1;
	memcpy(tok, p, n);
	tok[n] = 0;
	return keyindex_get(&r->by_id, tok, r, ordered_id);
}

/* The deployments an incident's text names, that finished by its start
 * (appended to nm): for each hex token of 7 or more characters, of each sha
 * it starts the latest deployment (see name_latest_of_sha); for each id
 * (letters, digits and - . _) right after "deployment", "deployment #" or
 * "deployments/", that deployment, whatever others share its sha. */
static void link_by_reference(const struct refs *r, const struct dora_incident *inc,
                              struct named *nm)
{
	const char *s = inc->text;
	if (!s)
		return;
	for (const char *p = s; *p;) {
		if (!isalnum((unsigned char)*p)) {
			p++;
			continue;
		}
		size_t len = 0;
		while (isalnum((unsigned char)p[len]))
			len++;
		size_t hex = 0;
		while (hex < len && isxdigit((unsigned char)p[hex]))
			hex++;
		if (hex == len && len >= 7 && len <= 64) {
			char tok[65];
			for (size_t i = 0; i < len; i++)
				tok[i] = (char)tolower((unsigned char)p[i]);
			tok[len] = 0;
			size_t lo = 0, hi = r->nshas;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				if (strcmp(r->shas[mid].sha, tok) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			/* Every sha the token starts, one after another. */
			while (lo < r->nshas && strncmp(r->shas[lo].sha, tok, len) == 0) {
				size_t end = lo + 1;
				while (end < r->nshas &&
				       strcmp(r->shas[end].sha, r->shas[lo].sha) == 0)
					end++;
				name_latest_of_sha(r, lo, end, inc->started_at, nm);
				lo = end;
			}
		}
		const char *q = p;
		while (q > s && (q[-1] == ' ' || q[-1] == '#'))
			q--;
		bool named = (q - s >= 10 && strncasecmp(q - 10, "deployment", 10) == 0) ||
		             (p - s >= 12 && strncasecmp(p - 12, "deployments/", 12) == 0);
		if (named) {
			/* Ids such as rel-2026.03.02-1: letters, digits and - . _,
			 * without the punctuation that ends a sentence; else the
			 * letters and digits alone (found in review). */
			size_t idlen = len;
			while (isalnum((unsigned char)p[idlen]) || p[idlen] == '-' ||
			       p[idlen] == '.' || p[idlen] == '_')
				idlen++;
			while (idlen > len &&
			       (p[idlen - 1] == '-' || p[idlen - 1] == '.' || p[idlen - 1] == '_'))
				idlen--;
			int32_t k = deployment_by_id(r, p, idlen);
			if (k < 0 && idlen != len)
				k = deployment_by_id(r, p, len);
			if (k >= 0 && finish_of(r, k) <= inc->started_at)
				named_add(nm, k);
		}
		p += len;
	}
}

void dora_skeleton(const struct dora_input *in, struct arena *a, struct dora_result *out)
{
	memset(out, 0, sizeof *out);
	size_t nd = in->ndeploys;
	struct deploy_key *keys = arena_array(a, nd + 1, sizeof *keys);
	for (size_t i = 0; i < nd; i++)
		keys[i] = (struct deploy_key){in->deploys[i].service_id, in->deploys[i].finished_at,
		                              in->deploys[i].event_id, (int32_t)i};
	qsort(keys, nd, sizeof *keys, cmp_deploy);
	struct dora_deploy_result *res = arena_array(a, nd + 1, sizeof *res);
	for (size_t k = 0; k < nd; k++) {
		struct dora_deploy_result *r = &res[k];
		r->deploy = keys[k].i;
		r->restored_by = -1;
		bool first = k == 0 || keys[k - 1].service_id != keys[k].service_id;
		r->previous = first ? -1 : (int32_t)(k - 1);
		r->baseline = first;
	}
	out->deploys = res;
	out->ndeploys = nd;
}

/* Histories this long are walked on two threads (a test's are not). */
#define PARALLEL_DEPLOYS 2048

/* The deployments from..to of a skeleton, walked with their own state. */
struct walker {
	struct graph g;
	const struct keyindex *by_sha, *by_merge;
	const int64_t *pr_earliest;
	struct dora_deploy_result *res;
	struct arena *a;
	size_t from, to;
	int32_t *range; /* a walk's commits, reused from one walk to the next */
	size_t range_alloc;
};

static void destroy_arena(void *a)
{
	arena_destroy(a);
}

static void *walk_deploys(void *arg)
{
	struct walker *w = arg;
	struct graph *g = &w->g;
	const struct dora_input *in = g->in;
	struct dora_deploy_result *res = w->res;
	for (size_t k = w->from; k < w->to; k++) {
		const struct dora_deploy *d = &in->deploys[res[k].deploy];
		struct dora_deploy_result *r = &res[k];
		if (r->baseline)
			continue;
		const struct dora_deploy *prev = &in->deploys[res[k - 1].deploy];
		int32_t tip = keyindex_get(w->by_sha, d->sha, in->commits, commit_sha);
		int32_t from = keyindex_get(w->by_sha, prev->sha, in->commits, commit_sha);
		/* The same sha again ships nothing, whatever the history holds
		 * (found in review: unknown when its commit was not held). */
		if (d->sha && *d->sha && prev->sha && !strcmp(d->sha, prev->sha))
			continue;
		/* Without both ends in the history the range is unknown: walking
		 * from the tip alone would count everything before it. */
		if (tip < 0 || from < 0) {
			r->range_unknown = true;
			continue;
		}
		size_t nrange = 0;
		walk_range(g, tip, from, &w->range, &nrange, &w->range_alloc, w->a);
		const int32_t *range = w->range;
		r->changes = arena_array(w->a, nrange + 1, sizeof *r->changes);
		for (size_t i = 0; i < nrange; i++) {
			const struct cgraph_commit *c = &in->commits[range[i]];
			struct dora_change *ch = &r->changes[r->nchanges++];
			ch->commit = range[i];
			r->has_revert |= c->revert;
			ch->started_at = c->author_at;
			ch->merged_at = g->landed[range[i]];
			int32_t pr =
			        in->nprs ? keyindex_get(w->by_merge, c->sha, in->prs, pr_merge_sha)
			                 : -1;
			if (pr >= 0 && c->parents_n == 1) {
				ch->started_at = pr_first_commit(in, &in->prs[pr], w->pr_earliest,
				                                 pr, w->by_sha);
				ch->traced_to_pr = true;
			}
		}
		/* A squash merge's pull request began with the first of its own
		 * commits: those reachable from its head and not from the squashed
		 * commit's parent (git log parent..head).  Walked once this
		 * deployment's changes are read, since a walk resets what it
		 * visits (found in review: only the head's time was taken, and no
		 * source links commits to pull requests). */
		for (size_t i = 0; i < r->nchanges; i++) {
			struct dora_change *ch = &r->changes[i];
			if (!ch->traced_to_pr)
				continue;
			const struct cgraph_commit *c = &in->commits[ch->commit];
			int32_t pr = keyindex_get(w->by_merge, c->sha, in->prs, pr_merge_sha);
			int32_t head = pr >= 0 ? keyindex_get(w->by_sha, in->prs[pr].head_sha,
			                                      in->commits, commit_sha)
			                       : -1;
			int32_t base = g->parents[c->parents_off];
			if (head < 0 || base < 0)
				continue;
			/* The deployment's range is read: its room serves again. */
			size_t nown = 0;
			walk_range(g, head, base, &w->range, &nown, &w->range_alloc, w->a);
			const int32_t *own = w->range;
			for (size_t j = 0; j < nown; j++)
				if (in->commits[own[j]].author_at < ch->started_at)
					ch->started_at = in->commits[own[j]].author_at;
		}
	}
	return NULL;
}

int dora_changes(const struct dora_input *in, struct arena *a, struct dora_result *out,
                 struct error *err)
{
	(void)err;
	size_t missing = 0;
	struct graph g = {.in = in};
	size_t nc = in->ncommits;

	/* A sha held by several commits (one repository read by two sources)
	 * means its first, by event id, whatever order they were loaded in. */
	struct keyindex by_sha;
	keyindex_init(&by_sha, nc, a);
	bool *first = arena_array(a, nc + 1, sizeof *first);
	/* Millions of inserts at random places in a table larger than the
	 * caches: each slot is fetched ahead, while the hashes of the next
	 * commits are computed, rather than waited for. */
	enum { AHEAD = 16 };
	uint64_t ahead[AHEAD];
	for (size_t i = 0; i < nc && i < AHEAD; i++) {
		ahead[i] = keyindex_hash(in->commits[i].sha);
		__builtin_prefetch(&by_sha.slots[ahead[i] & by_sha.mask], 1);
	}
	for (size_t i = 0; i < nc; i++) {
		uint64_t h = ahead[i % AHEAD];
		if (i + AHEAD < nc) {
			uint64_t next = keyindex_hash(in->commits[i + AHEAD].sha);
			ahead[(i + AHEAD) % AHEAD] = next;
			__builtin_prefetch(&by_sha.slots[next & by_sha.mask], 1);
		}
		size_t s = keyindex_slot_hashed(&by_sha, in->commits[i].sha, h, in->commits,
		                                commit_sha);
		int32_t had = by_sha.slots[s].pos;
		if (had >= 0 && in->commits[had].event_id < in->commits[i].event_id)
			continue;
		if (had >= 0)
			first[had] = false;
		by_sha.slots[s].pos = (int32_t)i;
		first[i] = true;
	}
	size_t npar = 0;
	for (size_t i = 0; i < nc; i++)
		if (in->commits[i].parents_off + in->commits[i].parents_n > npar)
			npar = in->commits[i].parents_off + in->commits[i].parents_n;
	g.parents = arena_array(a, npar + 1, sizeof *g.parents);
	for (size_t i = 0; i < npar; i++) {
		int32_t hint = in->parent_hint ? in->parent_hint[i] : -1;
		g.parents[i] = hint >= 0 && first[hint] ? hint
		                                        : keyindex_get(&by_sha, in->parent_shas[i],
		                                                       in->commits, commit_sha);
		if (g.parents[i] < 0)
			missing++;
	}
	g.gen = arena_array(a, nc + 1, sizeof *g.gen);
	g.stamp = arena_array(a, nc + 1, sizeof *g.stamp);
	g.boring = arena_array(a, nc + 1, sizeof *g.boring);
	g.chain = arena_array(a, nc + 1, sizeof *g.chain);
	g.landed = arena_array(a, nc + 1, sizeof *g.landed);
	g.heap = arena_array(a, nc + 2, sizeof *g.heap);
	graph_generations(&g, a);

	/* Pull requests by merge commit and by id; each one's earliest commit. */
	struct keyindex by_merge, by_pr;
	keyindex_init(&by_merge, in->nprs, a);
	keyindex_init(&by_pr, in->nprs, a);
	for (size_t i = 0; i < in->nprs; i++) {
		if (in->prs[i].merge_sha) {
			size_t s = keyindex_slot(&by_merge, in->prs[i].merge_sha, in->prs,
			                         pr_merge_sha);
			by_merge.slots[s].pos = (int32_t)i;
		}
		size_t s = keyindex_slot(&by_pr, in->prs[i].id, in->prs, pr_id);
		by_pr.slots[s].pos = (int32_t)i;
	}
	g.by_merge = &by_merge;
	g.by_pr = &by_pr;
	int64_t *pr_earliest = arena_array(a, in->nprs + 1, sizeof *pr_earliest);
	for (size_t i = 0; i < nc; i++) {
		int32_t p = keyindex_get(&by_pr, commit_pr(in, i), in->prs, pr_id);
		if (p >= 0 && (!pr_earliest[p] || in->commits[i].author_at < pr_earliest[p]))
			pr_earliest[p] = in->commits[i].author_at;
	}

	/* Deployments by service, then finish. */
	dora_skeleton(in, a, out);
	out->missing_commits = missing;
	struct walker w = {.g = g,
	                   .by_sha = &by_sha,
	                   .by_merge = &by_merge,
	                   .pr_earliest = pr_earliest,
	                   .res = out->deploys,
	                   .a = a,
	                   .to = out->ndeploys};
	/* Ranges of services apart are walked apart: two threads, when there
	 * are enough, the second with its own walk state and arena, from the
	 * first service that starts past half the deployments. */
	size_t split = out->ndeploys;
	for (size_t k = out->ndeploys / 2; k < out->ndeploys; k++)
		if (out->deploys[k].baseline) {
			split = k;
			break;
		}
	struct walker w2 = w;
	pthread_t t;
	bool threaded = false;
	if (out->ndeploys >= PARALLEL_DEPLOYS && split < out->ndeploys) {
		w2.a = arena_create();
		arena_on_destroy(a, destroy_arena, w2.a);
		w2.g.stamp = arena_array(w2.a, nc + 1, sizeof *w2.g.stamp);
		w2.g.boring = arena_array(w2.a, nc + 1, sizeof *w2.g.boring);
		w2.g.chain = arena_array(w2.a, nc + 1, sizeof *w2.g.chain);
		w2.g.landed = arena_array(w2.a, nc + 1, sizeof *w2.g.landed);
		w2.g.heap = arena_array(w2.a, nc + 2, sizeof *w2.g.heap);
		w2.g.walk = 0;
		w2.from = split;
		w.to = split;
		threaded = pthread_create(&t, NULL, walk_deploys, &w2) == 0;
		if (!threaded)
			w.to = out->ndeploys;
	}
	walk_deploys(&w);
	if (threaded)
		pthread_join(t, NULL);
	return 0;
}

void dora_failures(const struct dora_input *in, struct dora_result *out, struct arena *a)
{
	size_t nd = out->ndeploys;
	struct dora_deploy_result *res = out->deploys;
	int32_t *order = arena_array(a, nd + 1, sizeof *order);
	for (size_t k = 0; k < nd; k++)
		order[k] = res[k].deploy;

	/* Failures named by the next deployment: rollback, revert, hotfix. */
	for (size_t k = 0; k < nd; k++) {
		struct dora_deploy_result *r = &res[k];
		const struct dora_deploy *d = &in->deploys[r->deploy];
		if (r->baseline)
			continue;
		struct dora_deploy_result *prev = &res[r->previous];
		const struct dora_deploy *pd = &in->deploys[prev->deploy];
		enum dora_failure_cause cause = DORA_OK;
		if (!r->range_unknown && r->nchanges == 0 && d->sha && pd->sha &&
		    strcmp(d->sha, pd->sha) != 0)
			cause = DORA_FAIL_ROLLBACK;
		if (!cause && r->has_revert)
			cause = DORA_FAIL_REVERT;
		if (!cause && (has_word_ci(d->ref, "hotfix") || has_word_ci(d->title, "hotfix")))
			cause = DORA_FAIL_HOTFIX;
		if (cause && !prev->failure) {
			prev->failure = cause;
			prev->restored_by = (int32_t)k;
			prev->recovery_start = pd->finished_at;
			prev->recovery_end = d->finished_at;
		}
	}

	/* Incidents: named deployments first, else the last deployment of the
	 * service within the window before the incident opened. */
	out->incident_deploy = arena_array(a, in->nincidents + 1, sizeof *out->incident_deploy);
	struct refs refs;
	refs_init(&refs, in, order, nd, a);
	struct named nm = {.mark = arena_array(a, nd + 1, sizeof *nm.mark), .a = a};
	for (size_t i = 0; i < in->nincidents; i++) {
		const struct dora_incident *inc = &in->incidents[i];
		out->incident_deploy[i] = -1;
		nm.n = 0;
		nm.incident = i + 1;
		link_by_reference(&refs, inc, &nm);
		enum dora_failure_cause cause = DORA_FAIL_INCIDENT_REF;
		if (!nm.n) {
			/* Binary search the last deployment of the service at or before the start.
			 */
			size_t lo = 0, hi = nd;
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;
				const struct dora_deploy *d = &in->deploys[order[mid]];
				if (d->service_id < inc->service_id ||
				    (d->service_id == inc->service_id &&
				     d->finished_at <= inc->started_at))
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo > 0) {
				const struct dora_deploy *d = &in->deploys[order[lo - 1]];
				if (d->service_id == inc->service_id &&
				    inc->started_at - d->finished_at <= in->failure_window_ms) {
					named_add(&nm, (int32_t)(lo - 1));
					cause = DORA_FAIL_INCIDENT_WINDOW;
				}
			}
		}
		for (size_t j = 0; j < nm.n; j++) {
			struct dora_deploy_result *r = &res[nm.k[j]];
			if (j == 0)
				out->incident_deploy[i] = nm.k[j];
			/* An incident outranks a rollback or revert as the cause: its
			 * start and resolution are the failure's. */
			if (r->failure != DORA_FAIL_INCIDENT_REF &&
			    r->failure != DORA_FAIL_INCIDENT_WINDOW) {
				r->failure = cause;
				r->nfailure_incidents = 0;
				r->restored_by = -1;
				r->recovery_start = inc->started_at;
				r->recovery_end = inc->resolved_at;
			} else {
				if (inc->started_at < r->recovery_start)
					r->recovery_start = inc->started_at;
				if (!inc->resolved_at || !r->recovery_end)
					r->recovery_end = 0;
				else if (inc->resolved_at > r->recovery_end)
					r->recovery_end = inc->resolved_at;
			}
			/* Every one, though many: each may set the start or the end. */
			r->failure_incidents = arena_grow(
			        a, r->failure_incidents, (size_t)r->nfailure_incidents,
			        &r->failure_incidents_alloc, sizeof *r->failure_incidents);
			r->failure_incidents[r->nfailure_incidents++] = (int32_t)i;
		}
	}
}

int dora_run(const struct dora_input *in, struct arena *a, struct dora_result *out,
             struct error *err)
{
	int rc = dora_changes(in, a, out, err);
	if (rc == 0)
		dora_failures(in, out, a);
	return rc;
}

/* ---- bands ----------------------------------------------------------------- */

#define HOUR_MS 3600000.0

/* Each band's upper edge, elite's first: lead time and recovery in hours,
 * below the edge; the change failure rate a fraction, at most the edge. */
static const double lead_time_edges[] = {24, 7 * 24, 30 * 24};
static const double recovery_edges[] = {1, 24, 7 * 24};
static const double change_failure_edges[] = {0.05, 0.10, 0.15};
static const char *const band_names[] = {"elite", "high", "medium", "low"};

/* The band of ms against edges in hours: the first edge it is below. */
static const char *band_below(double ms, const double edges[3])
{
	int i = 0;
	while (i < 3 && !(ms < edges[i] * HOUR_MS))
		i++;
	return band_names[i];
}

const char *dora_band_lead_time(double ms)
{
	return band_below(ms, lead_time_edges);
}

const char *dora_band_recovery(double ms)
{
	return band_below(ms, recovery_edges);
}

const char *dora_band_change_failure(double rate)
{
	int i = 0;
	while (i < 3 && !(rate <= change_failure_edges[i]))
		i++;
	return band_names[i];
}

size_t dora_band_edges(const char *key, const double **edges)
{
	*edges = NULL;
	if (!key)
		return 0;
	if (!strcmp(key, "lead_time"))
		*edges = lead_time_edges;
	else if (!strcmp(key, "recovery_time"))
		*edges = recovery_edges;
	else if (!strcmp(key, "change_failure_rate"))
		*edges = change_failure_edges;
	return *edges ? 3 : 0;
}

const char *dora_band_frequency(const char *bucket)
{
	if (!bucket)
		return NULL;
	return !strcmp(bucket, "daily")     ? "elite"
	       : !strcmp(bucket, "weekly")  ? "high"
	       : !strcmp(bucket, "monthly") ? "medium"
	                                    : "low";
}

/* The median (R type 7, as SQL's PERCENTILE_CONT) of v[0..n), n > 0,
 * sorting v. */
static double median_i64(int64_t *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_int64);
	return n % 2 ? (double)v[n / 2] : ((double)v[n / 2 - 1] + (double)v[n / 2]) / 2;
}

struct pair {
	int64_t period, value;
};

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	if (a->period != b->period)
		return a->period < b->period ? -1 : 1;
	return (a->value > b->value) - (a->value < b->value);
}

/* The median (R type 7, as SQL's PERCENTILE_CONT), over nperiods periods,
 * of the distinct values per period, or with `any` of whether a period has
 * one (1 or 0); periods without any count as 0. */
static double median_distinct(const int64_t *period, const int64_t *value, size_t n,
                              size_t nperiods, bool any)
{
	if (!nperiods)
		return 0;
	struct pair *pairs = xcalloc(n + 1, sizeof *pairs);
	for (size_t i = 0; i < n; i++)
		pairs[i] = (struct pair){period[i], value[i]};
	qsort(pairs, n, sizeof *pairs, cmp_pair);
	int64_t *counts = xcalloc(nperiods + 1, sizeof *counts);
	size_t ncounts = 0;
	for (size_t i = 0; i < n; i++) {
		bool new_period = i == 0 || pairs[i].period != pairs[i - 1].period;
		if (new_period && ncounts < nperiods)
			ncounts++;
		if (ncounts && (new_period || pairs[i].value != pairs[i - 1].value))
			counts[ncounts - 1] = any ? 1 : counts[ncounts - 1] + 1;
	}
	double m = median_i64(counts, nperiods);
	free(counts);
	free(pairs);
	return m;
}

/* The index of week start w in weeks (ascending), which holds it. */
static size_t week_index(const int64_t *weeks, size_t nweeks, int64_t w)
{
	size_t lo = 0, hi = nweeks;
	while (lo + 1 < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (weeks[mid] <= w)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Four Keys' monthly figure: over the period's weeks, the median of the
 * weeks that deployed in each week's month (SUM(week_deployed) OVER
 * (PARTITION BY TIMESTAMP_TRUNC(week, MONTH))), so a month weighs as many
 * weeks as it holds. */
static double median_weeks_deployed_in_month(const int64_t *week_start, size_t n,
                                             const int64_t *weeks, const int64_t *week_month,
                                             size_t nweeks)
{
	bool *deployed = xcalloc(nweeks + 1, sizeof *deployed);
	for (size_t i = 0; i < n; i++)
		deployed[week_index(weeks, nweeks, week_start[i])] = true;
	int64_t *in_month = xcalloc(nweeks + 1, sizeof *in_month);
	/* Weeks ascend, so their months come in runs. */
	for (size_t i = 0, j; i < nweeks; i = j) {
		int64_t sum = 0;
		for (j = i; j < nweeks && week_month[j] == week_month[i]; j++)
			sum += deployed[j];
		for (size_t k = i; k < j; k++)
			in_month[k] = sum;
	}
	double m = median_i64(in_month, nweeks);
	free(in_month);
	free(deployed);
	return m;
}

const char *dora_frequency_bucket(const int64_t *day_start, const int64_t *week_start, size_t n,
                                  const int64_t *weeks, const int64_t *week_month, size_t nweeks)
{
	if (!n || !nweeks)
		return NULL;
	double days_per_week = median_distinct(week_start, day_start, n, nweeks, false);
	/* Four Keys' weekly rule is "most weeks have a deployment": the median
	 * of whether a week deployed, not of its days (a week of 2 days and one
	 * of none have a median of 1 day, but half the weeks deployed). */
	double week_deployed = median_distinct(week_start, day_start, n, nweeks, true);
	if (days_per_week >= 3)
		return "daily";
	if (week_deployed >= 1)
		return "weekly";
	if (median_weeks_deployed_in_month(week_start, n, weeks, week_month, nweeks) >= 1)
		return "monthly";
	return "yearly";
}
