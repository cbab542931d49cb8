/*
 * test_score: the score arithmetic (score_combine) and how a score is
 * written (score_number), metric bands (framework_band) and the recency rule
 * (evaluation_recency_flag).  Every expected value is worked out by hand in
 * the comment above it.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/ts.h"
#include "review/evaluation.h"
#include "review/framework.h"
#include "review/score.h"

#define EPS 1e-9

#define assert_double_equal(actual, expected) assert_near(actual, expected, __LINE__)
static void assert_near(double actual, double expected, int line)
{
	if (!(fabs(actual - expected) <= EPS))
		fail_msg("line %d: got %.17g, expected %.17g", line, actual, expected);
}

static struct score_term term(double weight, double rating)
{
	return (struct score_term){.weight = weight, .rated = true, .rating = rating};
}

static struct score_term unrated(double weight)
{
	return (struct score_term){.weight = weight};
}

/* Weights 0.3/0.3/0.2/0.1/0.1, ratings 4/3/3/5/2:
 * 0.3*4 + 0.3*3 + 0.2*3 + 0.1*5 + 0.1*2 = 1.2 + 0.9 + 0.6 + 0.5 + 0.2 = 3.4.
 * Shares: 1.2/3.4 = 0.352941176..., 0.9/3.4 = 0.264705882..., 0.6/3.4 =
 * 0.176470588..., 0.5/3.4 = 0.147058823..., 0.2/3.4 = 0.058823529...; the
 * largest (35.3 %) is under the dominance threshold 0.4. */
static void test_weighted_sum(void **state)
{
	(void)state;
	struct score_term t[] = {term(0.3, 4), term(0.3, 3), term(0.2, 3), term(0.1, 5),
	                         term(0.1, 2)};
	struct score_sum s;
	score_combine(t, 5, 0.4, 0.4, &s);
	assert_true(s.scored);
	assert_double_equal(s.score, 3.4);
	assert_true(s.score == 3.4); /* rounded: prints 3.4, not 3.4000000000000004 */
	assert_double_equal(s.rated_weight, 1);
	assert_false(s.renormalized);
	assert_double_equal(t[0].contribution, 1.2);
	assert_double_equal(t[1].contribution, 0.9);
	assert_double_equal(t[2].contribution, 0.6);
	assert_double_equal(t[3].contribution, 0.5);
	assert_double_equal(t[4].contribution, 0.2);
	assert_double_equal(t[0].share, 0.352941176);
	assert_double_equal(t[4].share, 0.058823529);
	assert_int_equal(s.top, 0);
	assert_double_equal(s.top_share, 0.352941176);
	assert_false(s.dominated);
	assert_false(s.capped);
	for (int i = 0; i < 5; i++)
		assert_double_equal(t[i].used_weight, t[i].weight);
}

/* docs/review.md's worked example, the impact axis: delivery 0.4 x 3 +
 * technical_skill 0.3 x 4 + leadership 0.3 x 3 = 1.2 + 1.2 + 0.9 = 3.3;
 * the largest share 1.2/3.3 = 36.4 % is below 0.4.  The composite
 * 0.5 x 3.5 + 0.3 x 3.3 + 0.2 x 3.3 = 3.4 is the same arithmetic on the axes. */
static void test_worked_example(void **state)
{
	(void)state;
	struct score_term impact[] = {term(0.4, 3), term(0.3, 4), term(0.3, 3)};
	struct score_sum s;
	score_combine(impact, 3, 0.4, 0.4, &s);
	assert_double_equal(s.score, 3.3);
	assert_double_equal(s.top_share, 0.363636364);
	assert_false(s.dominated);
	struct score_term composite[] = {term(0.5, 3.5), term(0.3, 3.3), term(0.2, 3.3)};
	score_combine(composite, 3, 1, 1, &s);
	assert_double_equal(s.score, 3.4);
}

/* A metric nobody cited (weight 0.1) leaves 0.9 rated: the weights become
 * 0.3/0.9 = 0.333333333, 0.3/0.9, 0.2/0.9 = 0.222222222, 0.1/0.9 =
 * 0.111111111, and the score (0.3*4 + 0.3*2 + 0.2*3 + 0.1*3) / 0.9 =
 * 2.7 / 0.9 = 3.  No weight is above the cap 0.4. */
static void test_renormalize(void **state)
{
	(void)state;
	struct score_term t[] = {term(0.3, 4), term(0.3, 2), term(0.2, 3), term(0.1, 3),
	                         unrated(0.1)};
	struct score_sum s;
	score_combine(t, 5, 0.4, 0.4, &s);
	assert_true(s.scored);
	assert_true(s.renormalized);
	assert_double_equal(s.rated_weight, 0.9);
	assert_double_equal(s.score, 3);
	assert_double_equal(t[0].used_weight, 0.333333333);
	assert_double_equal(t[2].used_weight, 0.222222222);
	assert_double_equal(t[3].used_weight, 0.111111111);
	assert_double_equal(t[4].used_weight, 0);
	assert_double_equal(t[4].contribution, 0);
	assert_double_equal(t[4].share, 0);
	assert_false(s.capped);
}

/* Delivery 0.4, technical skill 0.3, a metric 0.15 unrated, collaboration
 * 0.15: 0.85 rated, delivery's weight becomes 0.4/0.85 = 0.470588235, above
 * the cap 0.4, so it is flagged; the others 0.3/0.85 = 0.352941176 and
 * 0.15/0.85 = 0.176470588 are not.  Ratings 3/4/-/3: (1.2 + 1.2 + 0.45) /
 * 0.85 = 2.85 / 0.85 = 3.352941176. */
static void test_cap_after_renormalizing(void **state)
{
	(void)state;
	struct score_term t[] = {term(0.4, 3), term(0.3, 4), unrated(0.15), term(0.15, 3)};
	struct score_sum s;
	score_combine(t, 4, 0.4, 0.4, &s);
	assert_double_equal(s.score, 3.352941176);
	assert_double_equal(t[0].used_weight, 0.470588235);
	assert_true(t[0].over_cap);
	assert_false(t[1].over_cap);
	assert_false(t[3].over_cap);
	assert_true(s.capped);
}

/* Weights summing to 1 within the framework's slack, 0.4 + 0.4 + 0.1996 =
 * 0.9996, all rated 4, 0, 3: scaled (0.4 / 0.9996 = 0.400160064), and said
 * to be, but not over the cap: the file's 0.4 is at it, and nothing unrated
 * gave its weight away.  (1.6 + 0.5988) / 0.9996 = 2.199679872. */
static void test_weights_within_slack(void **state)
{
	(void)state;
	struct score_term t[] = {term(0.4, 4), term(0.4, 0), term(0.1996, 3)};
	struct score_sum s;
	score_combine(t, 3, 0.4, 0.5, &s);
	assert_double_equal(s.score, 2.199679872);
	assert_true(s.renormalized);
	assert_double_equal(t[0].used_weight, 0.400160064);
	assert_false(t[0].over_cap);
	assert_false(s.capped);
	/* Weights that sum to 1 as doubles do not (0.3 + 0.3 + 0.2 + 0.1 + 0.1). */
	struct score_term even[] = {term(0.3, 4), term(0.3, 3), term(0.2, 3), term(0.1, 5),
	                            term(0.1, 2)};
	score_combine(even, 5, 0.4, 0.5, &s);
	assert_false(s.renormalized);
	assert_double_equal(s.score, 3.4);
}

/* Mentoring 0.4 x 5 = 2, collaboration 0.3 x 3 = 0.9, technical skill
 * 0.3 x 4 = 1.2: score 4.1, mentoring's share 2/4.1 = 0.487804878 > 0.4:
 * the axis is driven by one dimension.  With dominance 0.5 it is not. */
static void test_dominance(void **state)
{
	(void)state;
	struct score_term t[] = {term(0.4, 5), term(0.3, 3), term(0.3, 4)};
	struct score_sum s;
	score_combine(t, 3, 0.4, 0.4, &s);
	assert_double_equal(s.score, 4.1);
	assert_int_equal(s.top, 0);
	assert_double_equal(s.top_share, 0.487804878);
	assert_true(s.dominated);
	score_combine(t, 3, 0.4, 0.5, &s);
	assert_false(s.dominated);
	/* Exactly at the threshold is not above it: 0.4 x 3 of a score of 3 is 0.4. */
	struct score_term even[] = {term(0.4, 3), term(0.3, 3), term(0.3, 3)};
	score_combine(even, 3, 0.4, 0.4, &s);
	assert_double_equal(s.top_share, 0.4);
	assert_false(s.dominated);
}

/* Nothing rated: no score, nothing flagged, nothing renormalized (found
 * hunting: a packet said "not scored" beside "weights renormalized"). */
static void test_nothing_rated(void **state)
{
	(void)state;
	struct score_term t[] = {unrated(0.5), unrated(0.5)};
	struct score_sum s;
	score_combine(t, 2, 0.4, 0.4, &s);
	assert_false(s.scored);
	assert_double_equal(s.score, 0);
	assert_false(s.dominated);
	assert_false(s.capped);
	assert_false(s.renormalized);
}

/* Bands: the first that matches wins, the last matches anything. */
static void test_bands(void **state)
{
	(void)state;
	struct fw_band higher[] = {
	        {.has_at_least = true, .at_least = 40, .rating = 5},
	        {.has_at_least = true, .at_least = 20, .rating = 4},
	        {.has_at_least = true, .at_least = 8, .rating = 3},
	        {.rating = 2},
	};
	struct fw_metric m = {.key = "reviews_given", .bands = higher, .nbands = 4};
	assert_int_equal(framework_band(&m, 23), 4); /* docs/review.md: 23 reviews */
	assert_int_equal(framework_band(&m, 40), 5);
	assert_int_equal(framework_band(&m, 39.9), 4);
	assert_int_equal(framework_band(&m, 8), 3);
	assert_int_equal(framework_band(&m, 7), 2);
	assert_int_equal(framework_band(&m, 0), 2);
	struct fw_band lower[] = {
	        {.has_at_most = true, .at_most = 1, .rating = 5},
	        {.has_at_most = true, .at_most = 4, .rating = 4},
	        {.rating = 2},
	};
	struct fw_metric hours = {.key = "review_turnaround", .bands = lower, .nbands = 3};
	assert_int_equal(framework_band(&hours, 0.5), 5);
	assert_int_equal(framework_band(&hours, 4), 4);
	assert_int_equal(framework_band(&hours, 4.5), 2);
}

/* The period 2024-01-01 .. 2024-07-01 is 182 days; its last quarter starts
 * 45.5 days before the end, 2024-05-16T12:00Z.  With recent_share 0.5: two of
 * three dated items in it (2/3 > 0.5) flag; one of three does not; two of
 * four (exactly half) does not; one of one does. */
static void test_recency(void **state)
{
	(void)state;
	int64_t start, end, feb, mar, may15, may17, jun;
	struct error err = {0};
	assert_int_equal(ts_parse("2024-01-01", &start, &err), 0);
	assert_int_equal(ts_parse("2024-07-01", &end, &err), 0);
	assert_int_equal(ts_parse("2024-02-01", &feb, &err), 0);
	assert_int_equal(ts_parse("2024-03-01", &mar, &err), 0);
	assert_int_equal(ts_parse("2024-05-15", &may15, &err), 0);
	assert_int_equal(ts_parse("2024-05-17", &may17, &err), 0);
	assert_int_equal(ts_parse("2024-06-15", &jun, &err), 0);
	int64_t late[] = {feb, may17, jun};
	assert_true(evaluation_recency_flag(late, 3, start, end, 0.5));
	int64_t spread[] = {feb, mar, jun};
	assert_false(evaluation_recency_flag(spread, 3, start, end, 0.5));
	int64_t half[] = {feb, may15, may17, jun};
	assert_false(evaluation_recency_flag(half, 4, start, end, 0.5));
	assert_true(evaluation_recency_flag(&jun, 1, start, end, 0.5));
	assert_false(evaluation_recency_flag(&may15, 1, start, end, 0.5));
	assert_false(evaluation_recency_flag(NULL, 0, start, end, 0.5));
	/* After the period is not its last quarter (found in review: flagged). */
	int64_t after;
	assert_int_equal(ts_parse("2024-08-01", &after, &err), 0);
	assert_false(evaluation_recency_flag(&after, 1, start, end, 0.5));
	assert_false(evaluation_recency_flag(&end, 1, start, end, 0.5));
}

/* Two decimals as a packet shows a score: half away from zero on the decimal
 * score (3.465 is 3.47; "%.2f" of its double gives 3.46), exact halves too
 * (3.125 is 3.13, where "%.2f" rounds to even: 3.12). */
static void test_reported(void **state)
{
	(void)state;
	char buf[16];
	static const struct {
		double score;
		const char *shown;
	} cases[] = {{3.465, "3.47"}, {3.125, "3.13"},       {2.675, "2.68"},
	             {3.4, "3.40"},   {2.882352941, "2.88"}, {4.994999999, "4.99"},
	             {4.995, "5.00"}, {0, "0.00"},           {10, "10.00"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		snprintf(buf, sizeof buf, "%.2f", score_reported(cases[i].score));
		assert_string_equal(buf, cases[i].shown);
	}
}

/* score_number: six significant digits as %g wrote them, and more where
 * fewer would put the score on a point of its scale (1..5) or past one. */
static void test_number(void **state)
{
	(void)state;
	struct fw_scale_point points[] = {
	        {1, "One"}, {2, "Two"}, {3, "Three"}, {4, "Four"}, {5, "Five"}};
	struct fw_scale scale = {"five", points, 5, 3};
	static const struct {
		double score;
		const char *text;
	} cases[] = {
	        {2.2, "2.2"},             /* as %g */
	        {3.5555556, "3.55556"},   /* as %g: no point near */
	        {3, "3"},                 /* on a point: on it */
	        {1.999999, "1.999999"},   /* %g: "2", a point it is below */
	        {2.9999996, "2.9999996"}, /* %g and 7 digits: "3" */
	        {3.0000004, "3.0000004"}, /* above: not on it either */
	};
	char buf[48];
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_string_equal(score_number(buf, sizeof buf, cases[i].score, &scale),
		                    cases[i].text);
}

/* Two decimals as a report shows a score, with more where those would put it
 * on the other side of a mark a reader judges it by (the 9-box's bins). */
static void test_reported_marked(void **state)
{
	(void)state;
	char buf[48];
	static const double bins[] = {2, 3};
	static const struct {
		double score;
		const char *shown;
	} cases[] = {{1.999, "1.999"}, {2.996, "2.996"}, {3.465, "3.47"}, {2, "2.00"},
	             {2.5, "2.50"},    {0.001, "0.001"}, {2.995, "2.995"}};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		assert_string_equal(score_reported_text(buf, sizeof buf, cases[i].score, bins, 2),
		                    cases[i].shown);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_weighted_sum),
	        cmocka_unit_test(test_worked_example),
	        cmocka_unit_test(test_renormalize),
	        cmocka_unit_test(test_cap_after_renormalizing),
	        cmocka_unit_test(test_dominance),
	        cmocka_unit_test(test_nothing_rated),
	        cmocka_unit_test(test_bands),
	        cmocka_unit_test(test_recency),
	        cmocka_unit_test(test_reported),
	        cmocka_unit_test(test_number),
	        cmocka_unit_test(test_weights_within_slack),
	        cmocka_unit_test(test_reported_marked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
