/*
 * test_dora: the four keys' engine on hand-built histories whose answers are
 * worked out by hand in the comments: change ranges over linear and merge
 * histories, squash merges traced to their pull request, when each change
 * landed on the deployed branch (merge-to-deploy), the baseline
 * deployment, rollbacks, reverts and hotfixes, incidents linked by sha, id
 * and window (and not linked across services or before any deployment),
 * a sha deployed many times or to many services, overlapping incidents, and
 * the frequency buckets and bands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "metrics/dora.h"

#define H(n) ((int64_t)(n)*3600000) /* hours to ms */

/* A history builder: commits named by their sha, parents given as a string
 * "p1 p2". */
struct hist {
	struct arena *a;
	struct cgraph_commit commits[64];
	const char *parents[128];
	size_t nc, np;
	struct dora_pr prs[8];
	size_t nprs;
	struct dora_deploy deploys[32];
	size_t nd;
	struct dora_incident incidents[32];
	size_t ni;
};

static void commit(struct hist *h, const char *sha, int64_t at, const char *parents,
                   const char *title, const char *pr)
{
	struct cgraph_commit *c = &h->commits[h->nc++];
	memset(c, 0, sizeof *c);
	c->sha = sha;
	c->event_id = (int64_t)h->nc;
	c->author_at = at;
	c->revert = cgraph_is_revert(title);
	c->pr = pr;
	c->parents_off = (uint32_t)h->np;
	for (const char *p = parents; p && *p;) {
		size_t n = strcspn(p, " ");
		h->parents[h->np++] = arena_strndup(h->a, p, n);
		c->parents_n++;
		p += n + (p[n] == ' ');
	}
}

static void deploy(struct hist *h, int64_t service, const char *id, const char *sha, int64_t at,
                   const char *ref)
{
	struct dora_deploy *d = &h->deploys[h->nd++];
	memset(d, 0, sizeof *d);
	d->event_id = 100 + (int64_t)h->nd;
	d->service_id = service;
	d->team_id = 1;
	d->external_id = id;
	d->sha = sha;
	d->ref = ref;
	d->finished_at = at;
}

static void incident(struct hist *h, int64_t service, const char *text, int64_t start,
                     int64_t resolved)
{
	struct dora_incident *i = &h->incidents[h->ni++];
	i->event_id = 200 + (int64_t)h->ni;
	i->service_id = service;
	i->text = text;
	i->started_at = start;
	i->resolved_at = resolved;
}

static void run(struct hist *h, struct dora_result *out)
{
	struct dora_input in = {
	        .commits = h->commits,
	        .ncommits = h->nc,
	        .parent_shas = h->parents,
	        .prs = h->prs,
	        .nprs = h->nprs,
	        .deploys = h->deploys,
	        .ndeploys = h->nd,
	        .incidents = h->incidents,
	        .nincidents = h->ni,
	        .failure_window_ms = H(24),
	};
	struct error err;
	assert_int_equal(dora_run(&in, h->a, out, &err), 0);
}

static int setup(void **state)
{
	struct hist *h = calloc(1, sizeof *h);
	h->a = arena_create();
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	struct hist *h = *state;
	arena_destroy(h->a);
	free(h);
	return 0;
}

/* The result for deployment id. */
static const struct dora_deploy_result *result_of(const struct hist *h, const struct dora_result *r,
                                                  const char *id)
{
	for (size_t k = 0; k < r->ndeploys; k++)
		if (!strcmp(h->deploys[r->deploys[k].deploy].external_id, id))
			return &r->deploys[k];
	fail_msg("no deployment %s", id);
	return NULL;
}

/* c1 <- c2 <- c3 <- c4 <- c5.  D1 ships c2 (baseline: no changes counted),
 * D2 ships c4 (c3, c4: lead times 10 h and 8 h to its finish at hour 12),
 * D3 ships c4 again (no new commits, same sha: not a rollback),
 * D4 ships c3 (no new commits, another sha: rolls D3 back). */
static void test_linear_history_and_rollback(void **state)
{
	struct hist *h = *state;
	commit(h, "c1", H(0), NULL, "start", NULL);
	commit(h, "c2", H(1), "c1", "two", NULL);
	commit(h, "c3", H(2), "c2", "three", NULL);
	commit(h, "c4", H(4), "c3", "four", NULL);
	commit(h, "c5", H(5), "c4", "five", NULL);
	deploy(h, 1, "D1", "c2", H(3), NULL);
	deploy(h, 1, "D2", "c4", H(12), NULL);
	deploy(h, 1, "D3", "c4", H(20), NULL);
	deploy(h, 1, "D4", "c3", H(21), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d1 = result_of(h, &r, "D1"), *d2 = result_of(h, &r, "D2");
	const struct dora_deploy_result *d3 = result_of(h, &r, "D3"), *d4 = result_of(h, &r, "D4");
	assert_true(d1->baseline);
	assert_int_equal(d1->nchanges, 0);
	assert_false(d2->baseline);
	assert_int_equal(d2->nchanges, 2);
	int64_t lead[2] = {H(12) - d2->changes[0].started_at, H(12) - d2->changes[1].started_at};
	/* c4 first (higher generation), then c3. */
	assert_int_equal(lead[0], H(8));
	assert_int_equal(lead[1], H(10));
	assert_int_equal(d3->nchanges, 0);
	assert_int_equal(d3->failure, DORA_FAIL_ROLLBACK);
	assert_int_equal(d3->recovery_start, H(20));
	assert_int_equal(d3->recovery_end, H(21));
	assert_int_equal(d2->failure, DORA_OK); /* D3 had the same sha: no rollback of D2 */
	assert_int_equal(d4->nchanges, 0);
	assert_int_equal(r.missing_commits, 0);
}

/* m1 <- f1 <- f2 on a branch, merged by M (parents m1, f2) into main.  The
 * deployment of M after one of m1 ships M, f2 and f1: the walk follows both
 * parents.  Deployments arrive out of order: the engine sorts by finish. */
static void test_merge_commit_ships_branch(void **state)
{
	struct hist *h = *state;
	commit(h, "m1", H(0), NULL, "main", NULL);
	commit(h, "f1", H(1), "m1", "feature one", NULL);
	commit(h, "f2", H(2), "f1", "feature two", NULL);
	commit(h, "M", H(3), "m1 f2", "Merge pull request #7", NULL);
	deploy(h, 1, "D2", "M", H(10), NULL);
	deploy(h, 1, "D1", "m1", H(1), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_int_equal(d2->nchanges, 3);
	int64_t earliest = INT64_MAX;
	for (size_t i = 0; i < d2->nchanges; i++)
		if (d2->changes[i].started_at < earliest)
			earliest = d2->changes[i].started_at;
	assert_int_equal(earliest, H(1)); /* f1, the branch's first commit */
}

/* A squash merge S (one parent) is pull request acme/x#9's merge commit.
 * The PR was opened at hour 5, its own commit p1 was authored at hour 2:
 * the change starts at hour 2, not at S's own time (hour 8). */
static void test_squash_traced_to_pull_request(void **state)
{
	struct hist *h = *state;
	commit(h, "b", H(0), NULL, "base", NULL);
	commit(h, "p1", H(2), "b", "wip", "acme/x#9");
	commit(h, "S", H(8), "b", "Add search (#9)", NULL);
	h->prs[h->nprs++] = (struct dora_pr){.id = "acme/x#9",
	                                     .event_id = 50,
	                                     .created_at = H(5),
	                                     .merged_at = H(8),
	                                     .merge_sha = "S",
	                                     .head_sha = "p1"};
	deploy(h, 1, "D1", "b", H(1), NULL);
	deploy(h, 1, "D2", "S", H(9), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_int_equal(d2->nchanges, 1);
	assert_true(d2->changes[0].traced_to_pr);
	assert_int_equal(d2->changes[0].started_at, H(2));
	assert_int_equal(d2->changes[0].merged_at, H(8));
}

/* The same with two commits on the branch, p1 at hour 1 and p2 (the head) at
 * hour 3, and nothing linking them to the pull request (no source does): the
 * change starts at p1, the first commit reachable from the head and not from
 * S's parent, not at the head's hour 3 (found in review). */
static void test_squash_starts_at_branch_first_commit(void **state)
{
	struct hist *h = *state;
	commit(h, "b", H(0), NULL, "base", NULL);
	commit(h, "p1", H(1), "b", "start", NULL);
	commit(h, "p2", H(3), "p1", "finish", NULL);
	commit(h, "S", H(8), "b", "Add search (#9)", NULL);
	h->prs[h->nprs++] = (struct dora_pr){.id = "acme/x#9",
	                                     .event_id = 50,
	                                     .created_at = H(5),
	                                     .merged_at = H(8),
	                                     .merge_sha = "S",
	                                     .head_sha = "p2"};
	deploy(h, 1, "D1", "b", H(0), NULL);
	deploy(h, 1, "D2", "S", H(9), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_int_equal(d2->nchanges, 1);
	assert_true(d2->changes[0].traced_to_pr);
	assert_int_equal(d2->changes[0].started_at, H(1));
	assert_int_equal(d2->changes[0].merged_at, H(8));
}

struct landing {
	const char *sha;
	int64_t landed;
};

/* r's changes are exactly the commits of want, each landed when want says. */
static void assert_landings(const struct hist *h, const struct dora_deploy_result *r,
                            const struct landing *want, size_t n)
{
	assert_int_equal(r->nchanges, n);
	for (size_t i = 0; i < r->nchanges; i++) {
		const char *sha = h->commits[r->changes[i].commit].sha;
		size_t k = 0;
		while (k < n && strcmp(want[k].sha, sha))
			k++;
		if (k == n)
			fail_msg("%s is not a change of this deployment", sha);
		if (r->changes[i].merged_at != want[k].landed)
			fail_msg("%s landed at hour %lld, expected %lld", sha,
			         (long long)(r->changes[i].merged_at / H(1)),
			         (long long)(want[k].landed / H(1)));
	}
}

/* When each change landed on the deployed branch (merge-to-deploy):
 *   m1 (hour 0) <- MA <- c1 <- MB1 <- MB2 is the first-parent chain of D2;
 *   a1 (1) <- a2 (2) is a branch merged by MA (authored hour 5), pull
 *     request acme/x#1 whose merge time is hour 6: MA, a1 and a2 landed at 6;
 *   c1 (7) was pushed directly: it landed at its own time;
 *   b1 (3) was merged by MB1 (hour 8, no pull request), then b2 (9) on top of
 *     it by MB2 (10): b1 landed at 8, the earlier of the two merges that
 *     reach it, b2 and MB2 at 10. */
static void test_landing_times(void **state)
{
	struct hist *h = *state;
	commit(h, "m1", H(0), NULL, "root", NULL);
	commit(h, "a1", H(1), "m1", "a one", "acme/x#1");
	commit(h, "a2", H(2), "a1", "a two", "acme/x#1");
	commit(h, "b1", H(3), "m1", "b one", NULL);
	commit(h, "MA", H(5), "m1 a2", "Merge pull request #1", NULL);
	commit(h, "c1", H(7), "MA", "direct", NULL);
	commit(h, "MB1", H(8), "c1 b1", "Merge branch b", NULL);
	commit(h, "b2", H(9), "b1", "b two", NULL);
	commit(h, "MB2", H(10), "MB1 b2", "Merge branch b again", NULL);
	h->prs[h->nprs++] = (struct dora_pr){.id = "acme/x#1",
	                                     .event_id = 51,
	                                     .created_at = H(1),
	                                     .merged_at = H(6),
	                                     .merge_sha = "MA",
	                                     .head_sha = "a2"};
	deploy(h, 1, "D1", "m1", H(0), NULL);
	deploy(h, 1, "D2", "MB2", H(20), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	static const struct landing want[] = {{"a1", H(6)},  {"a2", H(6)},  {"MA", H(6)},
	                                      {"c1", H(7)},  {"b1", H(8)},  {"MB1", H(8)},
	                                      {"b2", H(10)}, {"MB2", H(10)}};
	assert_landings(h, d2, want, sizeof want / sizeof want[0]);
}

/* The earliest landing arrives second, and a rebase merge:
 *   m1 (0) <- M1 (8, merges branch commit x, authored 3) <- c2 (9) <- M2 (11)
 *     <- r1 (12) <- r2 (13) is D2's first-parent chain;
 *   y (10) merged c2 into the branch (parents x, c2) and M2 merged y: the
 *     walk reaches x from y (landing 11) before it reaches it from M1 (8),
 *     since y's generation is higher; x landed at 8, the earlier;
 *   r1 and r2 are pull request acme/x#2's commits rebased onto the branch,
 *     merged at hour 14 (merge_sha r2), and r1 says so (its pr: the engine
 *     reads it, though no source sets it yet): both landed at 14, not at
 *     their own times. */
static void test_landing_earliest_and_rebased(void **state)
{
	struct hist *h = *state;
	commit(h, "m1", H(0), NULL, "root", NULL);
	commit(h, "x", H(3), "m1", "branch work", NULL);
	commit(h, "M1", H(8), "m1 x", "Merge branch x", NULL);
	commit(h, "c2", H(9), "M1", "direct", NULL);
	commit(h, "y", H(10), "x c2", "Merge main into x", NULL);
	commit(h, "M2", H(11), "c2 y", "Merge branch x again", NULL);
	commit(h, "r1", H(12), "M2", "rebased one", "acme/x#2");
	commit(h, "r2", H(13), "r1", "rebased two", "acme/x#2");
	h->prs[h->nprs++] = (struct dora_pr){.id = "acme/x#2",
	                                     .event_id = 52,
	                                     .created_at = H(12),
	                                     .merged_at = H(14),
	                                     .merge_sha = "r2",
	                                     .head_sha = "r2"};
	deploy(h, 1, "D1", "m1", H(0), NULL);
	deploy(h, 1, "D2", "r2", H(20), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	static const struct landing want[] = {{"x", H(8)},  {"M1", H(8)},  {"c2", H(9)},
	                                      {"y", H(11)}, {"M2", H(11)}, {"r1", H(14)},
	                                      {"r2", H(14)}};
	assert_landings(h, d2, want, sizeof want / sizeof want[0]);
}

/* Service 1 deploys D1 (hour 0), D2 (hour 10), D3 (hour 100), D4 (hour 200, a
 * revert), D5 (hour 300, ref hotfix/login).  Incidents:
 *   I1 hour -5 on service 1: before any deployment, linked to nothing;
 *   I2 hour 12 on service 1 (window, 2 h after D2), resolved hour 14;
 *   I3 hour 13 on service 1, overlapping, resolved hour 15: D2's failure
 *      runs 12 -> 15 (earliest start, latest resolution);
 *   I4 hour 101 on service 2: another service, not D3's failure;
 *   I5 names D3's sha prefix "d3d3d3d" though opened much later (hour 150),
 *      still open: D3 failed, recovery not over.
 * D4's change "Revert ..." marks D3... already failed by I5, so D3 keeps the
 * incident as its cause; D5 (hotfix) marks D4 failed, restored at hour 300. */
static void test_incidents_reverts_hotfixes(void **state)
{
	struct hist *h = *state;
	commit(h, "a000000001", H(0), NULL, "one", NULL);
	commit(h, "b000000002", H(5), "a000000001", "two", NULL);
	commit(h, "d3d3d3d3d3", H(50), "b000000002", "three", NULL);
	commit(h, "e000000004", H(150), "d3d3d3d3d3", "Revert \"three\"", NULL);
	commit(h, "f000000005", H(250), "e000000004", "fix login", NULL);
	deploy(h, 1, "D1", "a000000001", H(0), NULL);
	deploy(h, 1, "D2", "b000000002", H(10), NULL);
	deploy(h, 1, "D3", "d3d3d3d3d3", H(100), NULL);
	deploy(h, 1, "D4", "e000000004", H(200), NULL);
	deploy(h, 1, "D5", "f000000005", H(300), "hotfix/login");
	incident(h, 1, "database down", H(-5), H(-4));
	incident(h, 1, "errors up", H(12), H(14));
	incident(h, 1, "latency", H(13), H(15));
	incident(h, 2, "other service", H(101), H(102));
	incident(h, 3, "regression from d3d3d3d", H(150), 0);
	struct dora_result r;
	run(h, &r);
	assert_int_equal(r.incident_deploy[0], -1);
	assert_int_equal(r.incident_deploy[3], -1);
	const struct dora_deploy_result *d1 = result_of(h, &r, "D1"), *d2 = result_of(h, &r, "D2"),
	                                *d3 = result_of(h, &r, "D3"), *d4 = result_of(h, &r, "D4"),
	                                *d5 = result_of(h, &r, "D5");
	assert_int_equal(d1->failure, DORA_OK);
	assert_int_equal(d2->failure, DORA_FAIL_INCIDENT_WINDOW);
	assert_int_equal(d2->nfailure_incidents, 2);
	assert_int_equal(d2->recovery_start, H(12));
	assert_int_equal(d2->recovery_end, H(15));
	assert_int_equal(d3->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(d3->recovery_end, 0);
	assert_int_equal(d4->failure, DORA_FAIL_HOTFIX);
	assert_int_equal(d4->recovery_start, H(200));
	assert_int_equal(d4->recovery_end, H(300));
	assert_int_equal(d5->failure, DORA_OK);
}

/* Commits listed newest first, as GitHub lists them: C, M2 and the rest
 * reach M before M is seen.  Z <- A <- M <- C1 <- C, and M2 merges M and C
 * (a branch brought up to date).  The deployment of M2 after one of C ships
 * M2 alone: git rev-list C..M2.  Generations must be right whatever the
 * order, or M and A would be counted. */
static void test_generations_any_order(void **state)
{
	struct hist *h = *state;
	commit(h, "M2", H(6), "M C", "Merge branch", NULL);
	commit(h, "C", H(5), "C1", "c", NULL);
	commit(h, "C1", H(4), "M", "c1", NULL);
	commit(h, "M", H(3), "A", "m", NULL);
	commit(h, "A", H(2), "Z", "a", NULL);
	commit(h, "Z", H(1), NULL, "z", NULL);
	deploy(h, 1, "D1", "C", H(10), NULL);
	deploy(h, 1, "D2", "M2", H(11), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_int_equal(d2->nchanges, 1);
	assert_string_equal(h->commits[d2->changes[0].commit].sha, "M2");
}

/* The previous deployment's sha is not in the history: the range is
 * unknown, no changes are counted (not the whole history), and no rollback
 * is inferred from the empty range. */
static void test_unknown_previous_sha(void **state)
{
	struct hist *h = *state;
	commit(h, "a", H(0), NULL, "a", NULL);
	commit(h, "b", H(1), "a", "b", NULL);
	deploy(h, 1, "D1", "0000000unknown", H(2), NULL);
	deploy(h, 1, "D2", "b", H(3), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_true(d2->range_unknown);
	assert_int_equal(d2->nchanges, 0);
	assert_int_equal(result_of(h, &r, "D1")->failure, DORA_OK);
}

/* The same sha deployed again ships nothing, known empty, even when the
 * history does not hold its commit (found in review: unknown then, 0 when
 * held). */
static void test_same_sha_redeployed(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "E1", "5ha0fa11", H(1), NULL);
	deploy(h, 1, "E2", "5ha0fa11", H(2), NULL);
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *e2 = result_of(h, &r, "E2");
	assert_false(e2->range_unknown);
	assert_int_equal(e2->nchanges, 0);
}

/* An incident names sha "abcdef1".  It was deployed twice before the
 * incident (R1, then R2) and again after it (R3, the fix): only R2, the
 * latest before the incident opened, failed. */
static void test_named_sha_latest_before_incident(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "R1", "abcdef1234", H(0), NULL);
	deploy(h, 1, "R2", "abcdef1234", H(5), NULL);
	deploy(h, 1, "R3", "abcdef1234", H(20), NULL);
	incident(h, 1, "errors after abcdef1", H(10), H(11));
	struct dora_result r;
	run(h, &r);
	assert_int_equal(result_of(h, &r, "R1")->failure, DORA_OK);
	assert_int_equal(result_of(h, &r, "R2")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "R3")->failure, DORA_OK);
}

/* A sha deployed 20 times on one service, K01 to K20 one a day, each
 * followed an hour later by an incident naming the sha: each incident fails
 * the deployment just before it, the latest of that sha then, so all 20
 * failed (found in audit: only the first 16 deployments of a sha in sha
 * order were looked at, so the 17th incident on went to K16, an older one,
 * and the rate was 14 of 20). */
static void test_named_sha_redeployed_many_times(void **state)
{
	struct hist *h = *state;
	for (int d = 1; d <= 20; d++) {
		deploy(h, 1, arena_printf(h->a, "K%02d", d), "abcdef1234abcdef1234", H(24 * d),
		       NULL);
		incident(h, 1, "Outage after abcdef1234 rollout", H(24 * d + 1), H(24 * d + 2));
	}
	struct dora_result r;
	run(h, &r);
	for (int d = 1; d <= 20; d++) {
		const struct dora_deploy_result *k =
		        result_of(h, &r, arena_printf(h->a, "K%02d", d));
		if (k->failure != DORA_FAIL_INCIDENT_REF || k->nfailure_incidents != 1 ||
		    k->failure_incidents[0] != d - 1)
			fail_msg("K%02d: failure %d, %d incidents", d, (int)k->failure,
			         k->nfailure_incidents);
		assert_int_equal(r.incident_deploy[d - 1], k - r.deploys);
	}
}

/* A monorepo's sha deployed to 20 services, service s at hour s, and an
 * incident at hour 30 naming it: the latest, on service 20, failed, and no
 * other (found in audit: at most 16 deployments of a sha were looked at). */
static void test_named_sha_on_many_services(void **state)
{
	struct hist *h = *state;
	for (int s = 1; s <= 20; s++)
		deploy(h, s, arena_printf(h->a, "M%02d", s), "0123456789abcdef", H(s), NULL);
	incident(h, 1, "Errors since 0123456", H(30), H(31));
	struct dora_result r;
	run(h, &r);
	for (int s = 1; s <= 20; s++)
		if (result_of(h, &r, arena_printf(h->a, "M%02d", s))->failure !=
		    (s == 20 ? DORA_FAIL_INCIDENT_REF : DORA_OK))
			fail_msg("M%02d: failure %d", s,
			         (int)result_of(h, &r, arena_printf(h->a, "M%02d", s))->failure);
}

/* A sha named in another case than the deployment's, either way, names it:
 * an incident quoting ABCDEF0 fails the deployment of abcdef0123..., one
 * quoting fedcba9 the deployment of FEDCBA98...; 1234567 names neither. */
static void test_named_sha_any_case(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "L1", "abcdef0123456789", H(1), NULL);
	deploy(h, 2, "U1", "FEDCBA9876543210", H(1), NULL);
	deploy(h, 3, "N1", "7654321abcdef000", H(1), NULL);
	incident(h, 4, "errors after ABCDEF0", H(40), H(41));
	incident(h, 5, "errors after fedcba9 and 1234567", H(40), H(41));
	struct dora_result r;
	run(h, &r);
	assert_int_equal(result_of(h, &r, "L1")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "U1")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "N1")->failure, DORA_OK);
}

/* Two deployments of one sha on two services, S1b and S2b, both named by
 * their ids in one incident: both failed, as an id names its deployment
 * (found in audit: the latest-of-sha rule kept S2b alone).  The same pair
 * T1, T2 named by their sha alone: the latest, T2, failed. */
static void test_named_ids_sharing_a_sha(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "S1b", "5eed5eed5eed", H(1), NULL);
	deploy(h, 2, "S2b", "5eed5eed5eed", H(2), NULL);
	deploy(h, 3, "T1", "beef123456", H(1), NULL);
	deploy(h, 4, "T2", "beef123456", H(2), NULL);
	incident(h, 1, "Checkout broke after deployment S1b and deployment S2b", H(5), H(6));
	incident(h, 3, "errors after beef123", H(5), H(6));
	struct dora_result r;
	run(h, &r);
	assert_int_equal(result_of(h, &r, "S1b")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "S2b")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "T1")->failure, DORA_OK);
	assert_int_equal(result_of(h, &r, "T2")->failure, DORA_FAIL_INCIDENT_REF);
}

/* Five overlapping incidents on one deployment, I1..I5 opening at hours
 * 11..15, each resolving at hour 20 except I5 at hour 30: the failure runs
 * from I1's start to I5's resolution, and all five are linked (found in
 * audit: only four were kept, so explain left out I5, which set the end). */
static void test_five_incidents_on_one_deployment(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "D1", "a", H(0), NULL);
	deploy(h, 1, "D2", "b", H(10), NULL);
	for (int i = 1; i <= 5; i++)
		incident(h, 1, "errors up", H(10 + i), i == 5 ? H(30) : H(20));
	struct dora_result r;
	run(h, &r);
	const struct dora_deploy_result *d2 = result_of(h, &r, "D2");
	assert_int_equal(d2->failure, DORA_FAIL_INCIDENT_WINDOW);
	assert_int_equal(d2->recovery_start, H(11));
	assert_int_equal(d2->recovery_end, H(30));
	assert_int_equal(d2->nfailure_incidents, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(d2->failure_incidents[i], i);
}

/* An incident naming "deployment 4242" links to the deployment with that id. */
static void test_incident_names_deployment_id(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "4241", NULL, H(0), NULL);
	deploy(h, 1, "4242", NULL, H(1), NULL);
	incident(h, 9, "Failed after deployment #4242 to prod", H(500), H(501));
	struct dora_result r;
	run(h, &r);
	assert_int_equal(result_of(h, &r, "4242")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "4241")->failure, DORA_OK);
}

/* Ids with - . _ (a release tag), named at the end of a sentence; "D7." is D7
 * (found in review: the id was cut at its first '-', "rel"). */
static void test_incident_names_dotted_id(void **state)
{
	struct hist *h = *state;
	deploy(h, 1, "rel-2026.03.02-1", NULL, H(0), NULL);
	deploy(h, 1, "D7", NULL, H(1), NULL);
	deploy(h, 1, "rel-2026.03.02-2", NULL, H(2), NULL);
	incident(h, 9, "Checkout errors caused by deployment rel-2026.03.02-1.", H(500), H(501));
	incident(h, 9, "Rolled back deployment D7.", H(502), H(503));
	struct dora_result r;
	run(h, &r);
	assert_int_equal(result_of(h, &r, "rel-2026.03.02-1")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "D7")->failure, DORA_FAIL_INCIDENT_REF);
	assert_int_equal(result_of(h, &r, "rel-2026.03.02-2")->failure, DORA_OK);
}

/* Buckets over a 4-week window (weeks w0..w3, one month):
 *   deployments on 3 distinct days in weeks w0, w1, w2 and none in w3:
 *     weeks' distinct days 3, 3, 3, 0 -> median 3 -> daily;
 *   one deployment in w0 and w1 only: 1, 1, 0, 0 -> median 0.5 -> not weekly;
 *     the month has one -> monthly. */
/* A history long enough to be walked on two threads: three services of
 * 1,200 deployments (3,600 in all), each shipping the two commits after the
 * previous one's, given in reverse order with squash merges on one service,
 * so each thread meets pull requests and its own walk state.  Every range,
 * start and landing is known by construction. */
static void test_long_history_on_two_threads(void **state)
{
	(void)state;
	enum { SERVICES = 3, DEPLOYS = 1200, COMMITS = 2 * DEPLOYS + 1 };
	size_t nc = SERVICES * COMMITS, nd = SERVICES * DEPLOYS;
	struct arena *a = arena_create();
	struct cgraph_commit *commits = arena_array(a, nc, sizeof *commits);
	const char **parents = arena_array(a, nc, sizeof *parents);
	struct dora_deploy *deploys = arena_array(a, nd, sizeof *deploys);
	struct dora_pr *prs = arena_array(a, nc, sizeof *prs);
	size_t np = 0, nprs = 0;
	for (int s = 0; s < SERVICES; s++)
		for (int i = 0; i < COMMITS; i++) {
			/* Last service first: the engine must not lean on order. */
			struct cgraph_commit *c =
			        &commits[nc - 1 - ((size_t)s * COMMITS + (size_t)i)];
			c->sha = arena_printf(a, "s%dc%d", s, i);
			c->event_id = (int64_t)(s * COMMITS + i + 1);
			c->author_at = H(i);
			c->parents_off = (uint32_t)np;
			if (i) {
				parents[np++] = arena_printf(a, "s%dc%d", s, i - 1);
				c->parents_n = 1;
			}
			/* Service 1's odd commits squash a pull request opened 5 h
			 * before them. */
			if (s == 1 && i % 2)
				prs[nprs++] = (struct dora_pr){.id = arena_printf(a, "x#%d", i),
				                               .event_id = 10000 + i,
				                               .created_at = H(i) - H(5),
				                               .merged_at = H(i) + H(1),
				                               .merge_sha = c->sha};
		}
	for (int s = 0; s < SERVICES; s++)
		for (int k = 0; k < DEPLOYS; k++) {
			struct dora_deploy *d = &deploys[(size_t)s * DEPLOYS + (size_t)k];
			d->event_id = 100000 + s * DEPLOYS + k;
			d->service_id = s + 1;
			d->external_id = arena_printf(a, "D%d.%d", s, k);
			d->sha = arena_printf(a, "s%dc%d", s, 2 * k);
			d->finished_at = H(2 * k) + H(3);
		}
	struct dora_input in = {.commits = commits,
	                        .ncommits = nc,
	                        .parent_shas = parents,
	                        .prs = prs,
	                        .nprs = nprs,
	                        .deploys = deploys,
	                        .ndeploys = nd,
	                        .failure_window_ms = H(1)};
	struct dora_result out;
	struct error err;
	assert_int_equal(dora_run(&in, a, &out, &err), 0);
	assert_int_equal(out.ndeploys, nd);
	assert_int_equal(out.missing_commits, 0);
	size_t changes = 0;
	for (size_t k = 0; k < out.ndeploys; k++) {
		const struct dora_deploy_result *r = &out.deploys[k];
		const struct dora_deploy *d = &deploys[r->deploy];
		int s = (int)d->service_id - 1, at = (int)((d->finished_at - H(3)) / H(1));
		if (at == 0) {
			assert_true(r->baseline);
			continue;
		}
		assert_false(r->range_unknown);
		assert_int_equal(r->nchanges, 2);
		changes += r->nchanges;
		/* Commits at-1 and at: their own times, or a squash's pull request
		 * opened 5 h before (commit at-1 is odd). */
		for (size_t i = 0; i < r->nchanges; i++) {
			const struct cgraph_commit *c = &commits[r->changes[i].commit];
			int64_t want = c->author_at;
			if (s == 1 && c->author_at == H(at - 1))
				want -= H(5);
			assert_int_equal(r->changes[i].started_at, want);
			assert_true(c->author_at == H(at) || c->author_at == H(at - 1));
		}
	}
	assert_int_equal(changes, (size_t)SERVICES * (DEPLOYS - 1) * 2);
	arena_destroy(a);
}

/* The bucket of deployments on days day[] (ms-free day numbers: week w
 * holds days 7w to 7w + 6) over nweeks weeks from day 0, week i in month
 * month_of[i] (NULL: all in one month). */
static const char *bucket_of(const int64_t *day, size_t n, size_t nweeks, const int64_t *month_of)
{
	int64_t week[16], weeks[16], week_month[16];
	assert_true(n <= 16 && nweeks <= 16);
	for (size_t i = 0; i < n; i++)
		week[i] = day[i] / 7 * 7;
	for (size_t i = 0; i < nweeks; i++) {
		weeks[i] = 7 * (int64_t)i;
		week_month[i] = month_of ? month_of[i] : 0;
	}
	return dora_frequency_bucket(day, week, n, weeks, week_month, nweeks);
}

static void test_frequency_buckets(void **state)
{
	(void)state;
	int64_t day[9];
	for (int w = 0, i = 0; w < 3; w++)
		for (int d = 0; d < 3; d++, i++)
			day[i] = w * 7 + d;
	/* Three of four weeks deploy on three days: the median week has 3. */
	assert_string_equal(bucket_of(day, 9, 4, NULL), "daily");
	/* Two days a week: weekly. */
	assert_string_equal(bucket_of(day, 2, 1, NULL), "weekly");
	int64_t d2[2] = {0, 7};
	assert_string_equal(bucket_of(d2, 2, 4, NULL), "monthly");
	/* One deployment in the first of three months (4, 5 and 4 weeks): the
	 * median week is in a month without one. */
	int64_t d1[1] = {0}, thirteen[13] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2};
	assert_string_equal(bucket_of(d1, 1, 13, thirteen), "yearly");
	assert_null(bucket_of(d1, 0, 13, thirteen));
}

/* Google's Four Keys (dora-team/fourkeys, METRICS.md, the deployment
 * frequency query): "If most weeks have a deployment, then Weekly" is
 * PERCENTILE_CONT(week_deployed, 0.5) >= 1 with week_deployed 1 for a week
 * with a deployment, else 0: the median of the indicator, not of the days.
 * PERCENTILE_CONT interpolates as R's type 7, so over two weeks {1, 0} it is
 * 0.5: not weekly, even when the one week deployed on two days (the days'
 * median, (2 + 0) / 2 = 1, called it weekly).  The same query's monthly rule
 * then gives monthly.  With three weeks {2 days, 0, 1 day} two of three
 * weeks deployed: weekly. */
static void test_frequency_weekly_needs_most_weeks(void **state)
{
	(void)state;
	int64_t day[2] = {0, 1};
	assert_string_equal(bucket_of(day, 2, 2, NULL), "monthly");
	/* Four weeks, two of them deploying on three days each: days per week
	 * {3, 3, 0, 0} have median 1.5, the indicator {1, 1, 0, 0} 0.5. */
	int64_t d4[6] = {0, 1, 2, 7, 8, 9};
	assert_string_equal(bucket_of(d4, 6, 4, NULL), "monthly");
	int64_t d3[3] = {0, 1, 14};
	assert_string_equal(bucket_of(d3, 3, 3, NULL), "weekly");
}

/* The same query's monthly rule: monthly_deploys is SUM(week_deployed) OVER
 * (PARTITION BY TIMESTAMP_TRUNC(week, MONTH)), a figure on every week row,
 * and "Monthly" when PERCENTILE_CONT(monthly_deploys, 0.5) over the week
 * rows is >= 1: a month weighs the weeks it holds.  Nine weeks, four in the
 * first month and five in the second, one deployment in the second: the
 * rows are {0, 0, 0, 0, 1, 1, 1, 1, 1}, median 1, monthly (the median over
 * the two months, (0 + 1) / 2, said yearly).  Five weeks in the first and
 * four in the second, the deployment in the second: median 0, yearly. */
static void test_frequency_monthly_weighs_weeks(void **state)
{
	(void)state;
	int64_t day[1] = {42};
	int64_t four_five[9] = {0, 0, 0, 0, 1, 1, 1, 1, 1};
	assert_string_equal(bucket_of(day, 1, 9, four_five), "monthly");
	int64_t five_four[9] = {0, 0, 0, 0, 0, 1, 1, 1, 1};
	assert_string_equal(bucket_of(day, 1, 9, five_four), "yearly");
	/* The month of a week is that of its first day, as TIMESTAMP_TRUNC(week,
	 * MONTH) takes it, not of the deployment's day. */
	int64_t late[1] = {34}; /* week 4, in the first month by its start */
	int64_t start_in_first[9] = {0, 0, 0, 0, 0, 1, 1, 1, 1};
	assert_string_equal(bucket_of(late, 1, 9, start_in_first), "monthly");
}

/* The 2023 report's levels: lead time elite under a day, high under a week,
 * medium under a month; failure rate 5 %, 10 %, 15 %; recovery under an
 * hour, a day, a week. */
static void test_bands(void **state)
{
	(void)state;
	assert_string_equal(dora_band_lead_time(H(23)), "elite");
	assert_string_equal(dora_band_lead_time(H(24)), "high");
	assert_string_equal(dora_band_lead_time(H(24 * 7)), "medium");
	assert_string_equal(dora_band_lead_time(H(24 * 30)), "low");
	assert_string_equal(dora_band_change_failure(0.05), "elite");
	assert_string_equal(dora_band_change_failure(0.06), "high");
	assert_string_equal(dora_band_change_failure(0.15), "medium");
	assert_string_equal(dora_band_change_failure(0.16), "low");
	assert_string_equal(dora_band_recovery(H(1) - 1), "elite");
	assert_string_equal(dora_band_recovery(H(1)), "high");
	assert_string_equal(dora_band_recovery(H(24 * 7) - 1), "medium");
	assert_string_equal(dora_band_recovery(H(24 * 7)), "low");
	assert_string_equal(dora_band_frequency("daily"), "elite");
	assert_string_equal(dora_band_frequency("yearly"), "low");
}

/* The edges text is kept on the side of (dora_band_edges) are where the
 * bands change: a lead time or recovery at its edge is in the next band, a
 * failure rate just past its edge too; a key without bands of values has
 * none. */
static void test_band_edges(void **state)
{
	(void)state;
	const double *e;
	assert_int_equal(dora_band_edges("lead_time", &e), 3);
	for (int i = 0; i < 3; i++)
		assert_string_not_equal(dora_band_lead_time(H(e[i]) - 1),
		                        dora_band_lead_time(H(e[i])));
	assert_int_equal(dora_band_edges("recovery_time", &e), 3);
	for (int i = 0; i < 3; i++)
		assert_string_not_equal(dora_band_recovery(H(e[i]) - 1),
		                        dora_band_recovery(H(e[i])));
	assert_int_equal(dora_band_edges("change_failure_rate", &e), 3);
	for (int i = 0; i < 3; i++)
		assert_string_not_equal(dora_band_change_failure(e[i]),
		                        dora_band_change_failure(e[i] + 1e-9));
	assert_int_equal(dora_band_edges("deployment_frequency", &e), 0);
	assert_null(e);
	assert_int_equal(dora_band_edges("slo_attainment", &e), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(test_linear_history_and_rollback, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_merge_commit_ships_branch, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_squash_starts_at_branch_first_commit, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_squash_traced_to_pull_request, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_landing_times, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_landing_earliest_and_rebased, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_incidents_reverts_hotfixes, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_incident_names_deployment_id, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_incident_names_dotted_id, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_generations_any_order, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_unknown_previous_sha, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_same_sha_redeployed, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_named_sha_latest_before_incident, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_named_sha_redeployed_many_times, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(test_named_sha_on_many_services, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_named_ids_sharing_a_sha, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_named_sha_any_case, setup, teardown),
	        cmocka_unit_test_setup_teardown(test_five_incidents_on_one_deployment, setup,
	                                        teardown),
	        cmocka_unit_test(test_long_history_on_two_threads),
	        cmocka_unit_test(test_frequency_buckets),
	        cmocka_unit_test(test_frequency_weekly_needs_most_weeks),
	        cmocka_unit_test(test_frequency_monthly_weighs_weeks),
	        cmocka_unit_test(test_bands),
	        cmocka_unit_test(test_band_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
