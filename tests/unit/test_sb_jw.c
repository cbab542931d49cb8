/*
 * test_sb_jw: the string builder (growth, cap, sticky overflow, ownership,
 * JSON and CSV quoting) and the streaming JSON writer.  JSON output is
 * parsed back with cJSON, an independent parser, to prove it is valid
 * (RFC 8259) and means what was written.
 */
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/csv.h"
#include "base/jw.h"
#include "base/sb.h"

/* ---- sb ------------------------------------------------------------------- */

static void init_is_empty_and_terminated(void **state)
{
	(void)state;
	struct sb a = SB_INIT;
	assert_non_null(a.buf);
	assert_string_equal(a.buf, "");
	assert_int_equal(a.len, 0);
	struct sb b;
	sb_init(&b, 0);
	assert_non_null(b.buf);
	assert_string_equal(b.buf, "");
	assert_false(b.toobig);
	sb_release(&a);
	sb_release(&b);
}

static void appends_in_order(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	sb_puts(&sb, "team=");
	sb_add(&sb, "platform-xyz", 8);
	sb_putc(&sb, ';');
	sb_printf(&sb, "n=%d,%s", 42, "ok");
	assert_string_equal(sb.buf, "team=platform;n=42,ok");
	assert_int_equal(sb.len, strlen("team=platform;n=42,ok"));
	sb_release(&sb);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
}

static void add_keeps_embedded_nul(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	sb_add(&sb, "a\0b", 3);
	assert_int_equal(sb.len, 3);
	assert_memory_equal(sb.buf, "a\0b", 4); /* and the terminator after it */
	sb_release(&sb);
}

/* sb_int against printf's %lld, the reference, at the edges and across
 * every power of ten on both sides. */
static void int_matches_printf(void **state)
{
	(void)state;
	int64_t values[64 + 4] = {0, 1, -1, INT64_MAX};
	size_t n = 4;
	values[n++] = INT64_MIN;
	for (int64_t p = 10; p <= INT64_MAX / 10; p *= 10) {
		values[n++] = p - 1;
		values[n++] = -p;
		values[n++] = p * 7 + 3;
	}
	struct sb sb = SB_INIT;
	char want[32];
	for (size_t i = 0; i < n; i++) {
		sb_reset(&sb);
		sb_puts(&sb, "x=");
		sb_int(&sb, values[i]);
		snprintf(want, sizeof want, "x=%lld", (long long)values[i]);
		assert_string_equal(sb.buf, want);
		assert_int_equal(sb.len, strlen(want));
	}
	sb_release(&sb);
}

/* sb_double: the shortest text that reads back as the same double, so two
 * different numbers never print alike (%g gives 1e+06 for 1000000 and 1000001). */
static void double_is_shortest_and_exact(void **state)
{
	(void)state;
	static const struct {
		double v;
		const char *text;
	} cases[] = {{0, "0"},
	             {0.1, "0.1"},
	             {56.4, "56.4"},
	             {1000000, "1000000"},
	             {1000001, "1000001"},
	             {0.12345671, "0.12345671"},
	             {-2.5, "-2.5"},
	             {1e15, "1e+15"},
	             {0.1 + 0.2, "0.30000000000000004"}};
	struct sb sb = SB_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sb_reset(&sb);
		sb_double(&sb, cases[i].v);
		assert_string_equal(sb.buf, cases[i].text);
		assert_true(strtod(sb.buf, NULL) == cases[i].v);
	}
	sb_release(&sb);
}

static void grows_across_many_appends(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	for (int i = 0; i < 20000; i++)
		sb_printf(&sb, "%05d", i);
	assert_int_equal(sb.len, 20000 * 5);
	assert_int_equal(strlen(sb.buf), sb.len);
	assert_true(sb.len < sb.alloc);
	assert_memory_equal(sb.buf, "0000000001", 10);
	assert_memory_equal(sb.buf + 5 * 12345, "12345", 5);
	assert_string_equal(sb.buf + sb.len - 5, "19999");
	assert_false(sb.toobig);
	sb_release(&sb);
}

static void printf_of_long_output(void **state)
{
	(void)state;
	char big[5000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	struct sb sb = SB_INIT;
	sb_puts(&sb, "<");
	sb_printf(&sb, "%s>", big);
	assert_int_equal(sb.len, 1 + 4999 + 1);
	assert_int_equal(sb.buf[0], '<');
	assert_int_equal(sb.buf[4999], 'x');
	assert_string_equal(sb.buf + 5000, ">");
	sb_release(&sb);
}

static void cap_allows_exactly_cap_bytes(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb, 10);
	sb_puts(&sb, "0123456789");
	assert_false(sb.toobig);
	assert_string_equal(sb.buf, "0123456789");
	sb_release(&sb);
}

/* Growing near the cap allocates at most cap + 1 bytes: doubling past it
 * held twice the cap (2.1 GB to read /dev/zero to a 1 GiB limit). */
static void growth_stops_at_the_cap(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb, 1000);
	for (int i = 0; i < 1000; i++)
		sb_putc(&sb, 'x');
	assert_false(sb.toobig);
	assert_int_equal(sb.len, 1000);
	assert_true(sb.alloc <= 1001);
	sb_putc(&sb, 'x');
	assert_true(sb.toobig);
	assert_true(sb.alloc <= 1001);
	sb_release(&sb);
}

static void over_cap_is_sticky(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb, 10);
	sb_puts(&sb, "hello");
	sb_puts(&sb, "world!"); /* 11 bytes: over the cap, dropped whole */
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "hello");
	sb_puts(&sb, "x"); /* would fit, but the flag is sticky */
	sb_putc(&sb, 'y');
	sb_printf(&sb, "%d", 1);
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "hello");
	assert_int_equal(sb.len, 5);
	sb_release(&sb);
}

static void printf_over_cap(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb, 8);
	sb_printf(&sb, "%s", "123456789");
	assert_true(sb.toobig);
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static void detach_hands_out_ownership(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	sb_puts(&sb, "owned by caller");
	size_t len = 0;
	char *s = sb_detach(&sb, &len);
	assert_string_equal(s, "owned by caller");
	assert_int_equal(len, strlen("owned by caller"));
	/* The builder is empty again and usable; the detached buffer is separate. */
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	sb_puts(&sb, "again");
	assert_string_equal(s, "owned by caller");
	assert_string_equal(sb.buf, "again");
	free(s);
	sb_release(&sb);

	struct sb empty = SB_INIT;
	char *e = sb_detach(&empty, &len);
	assert_non_null(e);
	assert_string_equal(e, "");
	assert_int_equal(len, 0);
	free(e); /* an empty detach is still the caller's to free */
}

static void reset_keeps_memory(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	sb_puts(&sb, "some text");
	size_t alloc = sb.alloc;
	char *buf = sb.buf;
	sb_reset(&sb);
	assert_int_equal(sb.len, 0);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.alloc, alloc);
	assert_ptr_equal(sb.buf, buf);
	sb_release(&sb);
}

/* Decode sb's JSON string literal with cJSON and compare with the original. */
static void assert_json_round_trip(const char *s)
{
	struct sb sb = SB_INIT;
	sb_json_str(&sb, s);
	cJSON *v = cJSON_Parse(sb.buf);
	if (!v || !cJSON_IsString(v))
		fail_msg("not a JSON string: %s", sb.buf);
	assert_string_equal(cJSON_GetStringValue(v), s);
	cJSON_Delete(v);
	sb_release(&sb);
}

static void json_escapes(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	/* RFC 8259 7: quotation mark and reverse solidus must be escaped. */
	sb_json_str(&sb, "a\"b\\c");
	assert_string_equal(sb.buf, "\"a\\\"b\\\\c\"");
	sb_reset(&sb);
	/* Control characters U+0000..U+001F must be escaped. */
	sb_json_str(&sb, "\x01");
	assert_string_equal(sb.buf, "\"\\u0001\"");
	sb_reset(&sb);
	sb_json_str(&sb, "\x1f");
	assert_string_equal(sb.buf, "\"\\u001f\"");
	sb_reset(&sb);
	sb_json_str(&sb, "");
	assert_string_equal(sb.buf, "\"\"");
	sb_reset(&sb);
	/* RFC 8259 8.1: JSON text is UTF-8.  Well-formed sequences pass as they
	 * are; a byte of none (a stray continuation, an overlong form, a
	 * truncated sequence, 0xFF) becomes U+FFFD. */
	sb_json_str(&sb, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_string_equal(sb.buf, "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	sb_reset(&sb);
	sb_json_str(&sb, "a\xff\xfe\xc0\xae\x80z\xe2\x82");
	assert_string_equal(sb.buf, "\"a\\ufffd\\ufffd\\ufffd\\ufffd\\ufffdz\\ufffd\\ufffd\"");
	sb_release(&sb);
}

static void json_no_raw_control_characters(void **state)
{
	(void)state;
	char all[32];
	for (int c = 1; c < 32; c++)
		all[c - 1] = (char)c;
	all[31] = '\0';
	struct sb sb = SB_INIT;
	sb_json_str(&sb, all);
	for (size_t i = 0; i < sb.len; i++)
		assert_true((unsigned char)sb.buf[i] >= 0x20);
	sb_release(&sb);
	assert_json_round_trip(all);
}

static void json_round_trips(void **state)
{
	(void)state;
	assert_json_round_trip("plain");
	assert_json_round_trip("quote \" backslash \\ slash /");
	assert_json_round_trip("line\nbreak\r\ttab\b\f");
	assert_json_round_trip("Zoë Ødegård 東京"); /* UTF-8 passes through */
	assert_json_round_trip("\x7f");
}

/* RFC 3986: 2.3 unreserved stay; in a path, 3.3's pchar and '/' stay too, and
 * '%' so escapes already there are not escaped twice. */
static void url_encoding(void **state)
{
	(void)state;
	struct sb a = SB_INIT, b = SB_INIT;
	sb_url_encode(&a, "a b/c>d%2Fe~");
	assert_string_equal(a.buf, "a%20b%2Fc%3Ed%252Fe~");
	sb_url_encode_path(&b, "/api/v1/cycles/q>1 \"x\"<y>/a%2Fb:c@d;e=f\xc3\xa9");
	assert_string_equal(b.buf, "/api/v1/cycles/q%3E1%20%22x%22%3Cy%3E/a%2Fb:c@d;e=f%C3%A9");
	sb_release(&a);
	sb_release(&b);
}

static void csv_field_quoting(void **state)
{
	(void)state;
	struct sb sb = SB_INIT;
	/* RFC 4180 2.6/2.7: quote fields holding , " CR or LF; double inner quotes. */
	sb_csv_field(&sb, "plain text");
	assert_string_equal(sb.buf, "plain text");
	sb_reset(&sb);
	sb_csv_field(&sb, "Hopper, Grace");
	assert_string_equal(sb.buf, "\"Hopper, Grace\"");
	sb_reset(&sb);
	sb_csv_field(&sb, "say \"hi\"");
	assert_string_equal(sb.buf, "\"say \"\"hi\"\"\"");
	sb_reset(&sb);
	sb_csv_field(&sb, "two\nlines");
	assert_string_equal(sb.buf, "\"two\nlines\"");
	sb_reset(&sb);
	sb_csv_field(&sb, "cr\rhere");
	assert_string_equal(sb.buf, "\"cr\rhere\"");
	sb_reset(&sb);
	sb_csv_field(&sb, "");
	assert_string_equal(sb.buf, "");
	sb_release(&sb);
}

static void csv_field_reads_back(void **state)
{
	(void)state;
	const char *value = "a \"quoted\", multi\nline value";
	struct sb sb = SB_INIT;
	sb_csv_field(&sb, value);
	sb_putc(&sb, ',');
	sb_csv_field(&sb, "next");
	struct csv_reader r;
	struct error err = {0};
	csv_init(&r, "t.csv", sb.buf, sb.len);
	assert_int_equal(csv_next(&r, &err), 1);
	assert_int_equal(r.nfields, 2);
	assert_string_equal(r.fields[0], value);
	assert_string_equal(r.fields[1], "next");
	csv_release(&r);
	sb_release(&sb);
}

/* ---- jw ------------------------------------------------------------------- */

static cJSON *parse_or_fail(const char *json)
{
	cJSON *v = cJSON_Parse(json);
	if (!v)
		fail_msg("not valid JSON: %s", json);
	return v;
}

/* The same document through any writer: nested objects, arrays, scalars. */
static void write_document(struct jw *w)
{
	jw_object_begin(w);
	jw_kstr(w, "name", "plat\"form");
	jw_kint(w, "members", 12);
	jw_kbool(w, "active", true);
	jw_kstr(w, "lead", NULL);
	jw_key(w, "tags");
	jw_array_begin(w);
	jw_str(w, "a");
	jw_str(w, "b");
	jw_array_end(w);
	jw_key(w, "empty_obj");
	jw_object_begin(w);
	jw_object_end(w);
	jw_key(w, "empty_arr");
	jw_array_begin(w);
	jw_array_end(w);
	jw_key(w, "rows");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kint(w, "x", -1);
	jw_key(w, "y");
	jw_null(w);
	jw_object_end(w);
	jw_object_begin(w);
	jw_kint(w, "x", 2);
	jw_key(w, "y");
	jw_bool(w, false);
	jw_object_end(w);
	jw_array_end(w);
	jw_object_end(w);
}

static void compact_output_exact(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	write_document(&w);
	/* Compact JSON has no insignificant whitespace (RFC 8259 2), and keys
	 * come out in the order written. */
	assert_string_equal(
	        out.buf, "{\"name\":\"plat\\\"form\",\"members\":12,\"active\":true,\"lead\":null,"
	                 "\"tags\":[\"a\",\"b\"],\"empty_obj\":{},\"empty_arr\":[],"
	                 "\"rows\":[{\"x\":-1,\"y\":null},{\"x\":2,\"y\":false}]}");
	cJSON *v = parse_or_fail(out.buf);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring, "plat\"form");
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(v, "lead")));
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(v, "rows")), 2);
	cJSON_Delete(v);
	sb_release(&out);
}

static void pretty_means_the_same(void **state)
{
	(void)state;
	struct sb compact = SB_INIT, pretty = SB_INIT;
	struct jw w;
	jw_init(&w, &compact, false);
	write_document(&w);
	jw_init(&w, &pretty, true);
	write_document(&w);
	assert_null(strchr(compact.buf, '\n'));
	assert_non_null(strchr(pretty.buf, '\n'));
	assert_true(pretty.len > compact.len);
	cJSON *a = parse_or_fail(compact.buf);
	cJSON *b = parse_or_fail(pretty.buf);
	assert_true(cJSON_Compare(a, b, true));
	/* Key order survives pretty printing as well. */
	char *again = cJSON_PrintUnformatted(b);
	assert_string_equal(again, compact.buf);
	free(again);
	cJSON_Delete(a);
	cJSON_Delete(b);
	sb_release(&compact);
	sb_release(&pretty);
}

static void pretty_indents_by_depth(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, true);
	jw_object_begin(&w);
	jw_key(&w, "a");
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_array_end(&w);
	jw_object_end(&w);
	/* Each nested line is indented further than its parent's line. */
	const char *a_line = strstr(out.buf, "\"a\"");
	const char *one_line = strstr(out.buf, "1");
	assert_non_null(a_line);
	assert_non_null(one_line);
	size_t indent_a = 0, indent_1 = 0;
	for (const char *p = a_line; p > out.buf && p[-1] == ' '; p--)
		indent_a++;
	for (const char *p = one_line; p > out.buf && p[-1] == ' '; p--)
		indent_1++;
	assert_true(indent_a > 0);
	assert_true(indent_1 > indent_a);
	cJSON_Delete(parse_or_fail(out.buf));
	sb_release(&out);
}

static void top_level_array_commas(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_array_begin(&w);
	jw_int(&w, 1);
	jw_str(&w, "two");
	jw_bool(&w, true);
	jw_null(&w);
	jw_str(&w, NULL);
	jw_raw(&w, "{\"pre\":[1,2]}");
	jw_array_begin(&w);
	jw_array_end(&w);
	jw_array_end(&w);
	assert_string_equal(out.buf, "[1,\"two\",true,null,null,{\"pre\":[1,2]},[]]");
	cJSON_Delete(parse_or_fail(out.buf));
	sb_release(&out);
}

static void integers_at_the_limits(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_array_begin(&w);
	jw_int(&w, INT64_MAX);
	jw_int(&w, INT64_MIN);
	jw_int(&w, 0);
	jw_array_end(&w);
	assert_string_equal(out.buf, "[9223372036854775807,-9223372036854775808,0]");
	sb_release(&out);
}

static void doubles_round_trip_and_non_finite_is_null(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_array_begin(&w);
	jw_double(&w, 0.1);
	jw_double(&w, -2.5e-300);
	jw_double(&w, 1.0 / 3.0);
	/* RFC 8259 6: NaN and Infinity are not permitted. */
	jw_double(&w, NAN);
	jw_double(&w, INFINITY);
	jw_array_end(&w);
	cJSON *v = parse_or_fail(out.buf);
	assert_true(cJSON_GetArrayItem(v, 0)->valuedouble == 0.1);
	assert_true(cJSON_GetArrayItem(v, 1)->valuedouble == -2.5e-300);
	assert_true(cJSON_GetArrayItem(v, 2)->valuedouble == 1.0 / 3.0);
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(v, 3)));
	assert_true(cJSON_IsNull(cJSON_GetArrayItem(v, 4)));
	cJSON_Delete(v);
	sb_release(&out);
}

static void keys_are_escaped(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	jw_kint(&w, "we\"ird\nkey", 1);
	jw_object_end(&w);
	cJSON *v = parse_or_fail(out.buf);
	cJSON *item = cJSON_GetObjectItemCaseSensitive(v, "we\"ird\nkey");
	assert_non_null(item);
	assert_int_equal(item->valueint, 1);
	cJSON_Delete(v);
	sb_release(&out);
}

static void times_and_dates(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	/* 2020-06-12T00:35:15.489Z: day 18425 since the epoch
	 * (Python: (date(2020,6,12) - date(1970,1,1)).days), plus 2115.489 s. */
	int64_t ms = INT64_C(18425) * 86400000 + 2115489;
	jw_init(&w, &out, false);
	jw_object_begin(&w);
	jw_key(&w, "at");
	jw_time(&w, ms, true);
	jw_key(&w, "day");
	jw_date(&w, ms, true);
	jw_key(&w, "ended");
	jw_time(&w, 0, false);
	jw_key(&w, "end_date");
	jw_date(&w, 0, false);
	jw_object_end(&w);
	assert_string_equal(out.buf, "{\"at\":\"2020-06-12T00:35:15.489Z\",\"day\":\"2020-06-12\","
	                             "\"ended\":null,\"end_date\":null}");
	cJSON_Delete(parse_or_fail(out.buf));
	sb_release(&out);
}

static void deep_nesting_is_valid(void **state)
{
	(void)state;
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, true);
	int depth = JW_MAX_DEPTH - 1;
	for (int i = 0; i < depth; i++) {
		jw_array_begin(&w);
		jw_int(&w, i);
	}
	for (int i = 0; i < depth; i++)
		jw_array_end(&w);
	cJSON *v = parse_or_fail(out.buf);
	cJSON *cur = v;
	for (int i = 0; i < depth - 1; i++) {
		assert_int_equal(cJSON_GetArrayItem(cur, 0)->valueint, i);
		cur = cJSON_GetArrayItem(cur, 1);
		assert_non_null(cur);
	}
	cJSON_Delete(v);
	sb_release(&out);
}

struct misuse {
	void (*fn)(struct jw *w);
};

static void misuse_fresh_writer(void *arg)
{
	struct sb out = SB_INIT;
	struct jw w;
	jw_init(&w, &out, false);
	((const struct misuse *)arg)->fn(&w);
}

/* Run misuse on a fresh writer in a child process; it must die by BUG. */
static void expect_bug(void (*misuse)(struct jw *w))
{
	struct misuse m = {misuse};
	expect_abort(misuse_fresh_writer, &m);
}

static void value_without_key(struct jw *w)
{
	jw_object_begin(w);
	jw_int(w, 1);
}

static void key_outside_object(struct jw *w)
{
	jw_array_begin(w);
	jw_key(w, "k");
}

static void close_without_open(struct jw *w)
{
	jw_array_end(w);
}

static void nesting_too_deep(struct jw *w)
{
	for (int i = 0; i < JW_MAX_DEPTH + 1; i++)
		jw_array_begin(w);
}

static void misuse_is_a_bug(void **state)
{
	(void)state;
	/* jw.h: a value without a key inside an object is a BUG, not bad JSON. */
	expect_bug(value_without_key);
	expect_bug(key_outside_object);
	expect_bug(close_without_open);
	expect_bug(nesting_too_deep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(init_is_empty_and_terminated),
	        cmocka_unit_test(url_encoding),
	        cmocka_unit_test(appends_in_order),
	        cmocka_unit_test(add_keeps_embedded_nul),
	        cmocka_unit_test(int_matches_printf),
	        cmocka_unit_test(double_is_shortest_and_exact),
	        cmocka_unit_test(grows_across_many_appends),
	        cmocka_unit_test(printf_of_long_output),
	        cmocka_unit_test(cap_allows_exactly_cap_bytes),
	        cmocka_unit_test(growth_stops_at_the_cap),
	        cmocka_unit_test(over_cap_is_sticky),
	        cmocka_unit_test(printf_over_cap),
	        cmocka_unit_test(detach_hands_out_ownership),
	        cmocka_unit_test(reset_keeps_memory),
	        cmocka_unit_test(json_escapes),
	        cmocka_unit_test(json_no_raw_control_characters),
	        cmocka_unit_test(json_round_trips),
	        cmocka_unit_test(csv_field_quoting),
	        cmocka_unit_test(csv_field_reads_back),
	        cmocka_unit_test(compact_output_exact),
	        cmocka_unit_test(pretty_means_the_same),
	        cmocka_unit_test(pretty_indents_by_depth),
	        cmocka_unit_test(top_level_array_commas),
	        cmocka_unit_test(integers_at_the_limits),
	        cmocka_unit_test(doubles_round_trip_and_non_finite_is_null),
	        cmocka_unit_test(keys_are_escaped),
	        cmocka_unit_test(times_and_dates),
	        cmocka_unit_test(deep_nesting_is_valid),
	        cmocka_unit_test(misuse_is_a_bug),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
