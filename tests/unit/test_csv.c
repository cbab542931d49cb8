/*
 * test_csv: the RFC 4180 reader.  Records, fields and line numbers are
 * checked against what RFC 4180 section 2 says the bytes mean; errors must
 * name the file and the line the bad record started on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/csv.h"
#include "base/sb.h"

/* Read the next record and check it holds exactly the n given fields. */
static void expect_record(struct csv_reader *r, long line, size_t n, const char *const *want)
{
	struct error err = {0};
	int rc = csv_next(r, &err);
	if (rc != 1)
		fail_msg("expected a record on line %ld, got %d (%s)", line, rc, err.message);
	assert_int_equal(r->record_line, line);
	assert_int_equal(r->nfields, n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(r->fields[i], want[i]);
}

static void expect_end(struct csv_reader *r)
{
	struct error err = {0};
	assert_int_equal(csv_next(r, &err), 0);
	assert_int_equal(err.code, 0);
}

/* Read records until an error; returns the error's code with err filled. */
static int first_error(const char *data, struct error *err)
{
	struct csv_reader r;
	csv_init(&r, "people.csv", data, strlen(data));
	int rc;
	while ((rc = csv_next(&r, err)) == 1)
		;
	csv_release(&r);
	return rc;
}

/* A count and an array of the given field values, for expect_record. */
/* clang-format off */
#define FIELDS(...) \
	(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
	(const char *const[]){__VA_ARGS__}
/* clang-format on */

static void plain_records(void **state)
{
	(void)state;
	const char *data = "id,name\n1,Ada\n2,Grace";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("id", "name"));
	expect_record(&r, 2, FIELDS("1", "Ada"));
	/* RFC 4180 2.2: the last record may lack a line break. */
	expect_record(&r, 3, FIELDS("2", "Grace"));
	expect_end(&r);
	expect_end(&r); /* end stays end */
	csv_release(&r);
}

static void empty_fields(void **state)
{
	(void)state;
	const char *data = "a,,c\n,\n\"\",x,\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("a", "", "c"));
	expect_record(&r, 2, FIELDS("", ""));
	expect_record(&r, 3, FIELDS("", "x", ""));
	expect_end(&r);
	csv_release(&r);
}

static void quoted_commas(void **state)
{
	(void)state;
	/* RFC 4180 2.6: fields holding commas are enclosed in double quotes. */
	const char *data = "\"Hopper, Grace\",\"a,b,c\",plain\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("Hopper, Grace", "a,b,c", "plain"));
	expect_end(&r);
	csv_release(&r);
}

static void doubled_quotes(void **state)
{
	(void)state;
	/* RFC 4180 2.7: a quote inside a quoted field is written twice. */
	const char *data = "\"say \"\"hi\"\"\",\"\"\"\",\"\"\"\"\"\"\"\"\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("say \"hi\"", "\"", "\"\"\""));
	expect_end(&r);
	csv_release(&r);
}

static void embedded_newline_keeps_start_line(void **state)
{
	(void)state;
	/* RFC 4180 2.6: line breaks may sit inside a quoted field. */
	const char *data = "h1,h2\n\"line one\nline two\nline three\",x\nnext,y\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("h1", "h2"));
	expect_record(&r, 2, FIELDS("line one\nline two\nline three", "x"));
	/* The quoted field spanned lines 2..4, so the next record is on line 5. */
	expect_record(&r, 5, FIELDS("next", "y"));
	expect_end(&r);
	csv_release(&r);
}

static void crlf_line_ends(void **state)
{
	(void)state;
	/* RFC 4180 2.1: records end with CRLF; the CR is not part of the field. */
	const char *data = "a,b\r\nc,\"d\r\ne\"\r\nf,g\r\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("a", "b"));
	expect_record(&r, 2, FIELDS("c", "d\r\ne"));
	expect_record(&r, 4, FIELDS("f", "g"));
	expect_end(&r);
	csv_release(&r);
}

static void bom_is_skipped(void **state)
{
	(void)state;
	const char *data = "\xEF\xBB\xBF"
	                   "employee_id,name\nE1,Ada\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("employee_id", "name"));
	expect_record(&r, 2, FIELDS("E1", "Ada"));
	expect_end(&r);
	csv_release(&r);
}

static void bom_only_in_first_position(void **state)
{
	(void)state;
	/* U+FEFF later in the data is content, not a marker. */
	const char *data = "a\n\xEF\xBB\xBF"
	                   "b\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("a"));
	expect_record(&r, 2,
	              FIELDS("\xEF\xBB\xBF"
	                     "b"));
	expect_end(&r);
	csv_release(&r);
}

static void cr_only_line_ends(void **state)
{
	(void)state;
	/* Classic Mac OS files end lines with CR alone: each is a line, blank
	 * ones and those inside quotes too (found in review: an error named
	 * line 3 for a record on line 4). */
	const char *data = "a,b\rc,\"d\re\"\r\rf,g\r";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 1, FIELDS("a", "b"));
	expect_record(&r, 2, FIELDS("c", "d\re"));
	expect_record(&r, 5, FIELDS("f", "g"));
	expect_end(&r);
	csv_release(&r);
}

static void blank_lines_skipped(void **state)
{
	(void)state;
	const char *data = "\n\na,b\n\n\nc,d\r\n\r\n\r\ne,f\n\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, strlen(data));
	expect_record(&r, 3, FIELDS("a", "b"));
	expect_record(&r, 6, FIELDS("c", "d"));
	expect_record(&r, 9, FIELDS("e", "f"));
	expect_end(&r);
	csv_release(&r);
}

static void empty_input(void **state)
{
	(void)state;
	struct csv_reader r;
	csv_init(&r, "t.csv", "", 0);
	expect_end(&r);
	csv_release(&r);
	csv_init(&r, "t.csv", "\xEF\xBB\xBF", 3);
	expect_end(&r);
	csv_release(&r);
}

static void length_bounds_the_input(void **state)
{
	(void)state;
	/* Only len bytes are data, even when the buffer goes on. */
	const char *data = "a,b\nc,d\n";
	struct csv_reader r;
	csv_init(&r, "t.csv", data, 3);
	expect_record(&r, 1, FIELDS("a", "b"));
	expect_end(&r);
	csv_release(&r);
}

static void unterminated_quote_names_file_and_line(void **state)
{
	(void)state;
	struct error err = {0};
	int rc = first_error("id,name\nE1,Ada\nE2,\"Grace\nE3,Alan\n", &err);
	assert_int_equal(rc, ERR_INVALID);
	assert_int_equal(err.code, ERR_INVALID);
	/* The bad record starts on line 3; its second field opens the quote. */
	assert_string_equal(err.message,
	                    "people.csv:3: column 2 (name): unterminated quoted field");
}

static void text_after_closing_quote(void **state)
{
	(void)state;
	struct error err = {0};
	int rc = first_error("id,name\n\"E1\"x,Ada\n", &err);
	assert_int_equal(rc, ERR_INVALID);
	assert_string_equal(err.message, "people.csv:2: column 1 (id): text after a closing quote");
}

/* The header itself names no column; nor does a field past the header's
 * last (nor an empty header name); a field error in the header is by number. */
static void field_errors_name_the_column(void **state)
{
	(void)state;
	struct error err = {0};
	assert_int_equal(first_error("id,\"na\"me\nE1,Ada\n", &err), ERR_INVALID);
	assert_string_equal(err.message, "people.csv:1: column 2: text after a closing quote");
	err_clear(&err);
	assert_int_equal(first_error("id,name\nE1,Ada,\"x\"y\n", &err), ERR_INVALID);
	assert_string_equal(err.message, "people.csv:2: column 3: text after a closing quote");
	err_clear(&err);
	assert_int_equal(first_error("id,,team\nE1,\"a\"b,core\n", &err), ERR_INVALID);
	assert_string_equal(err.message, "people.csv:2: column 2: text after a closing quote");
	err_clear(&err);
	/* Records after the first overwrite the reader's scratch: the header's
	 * names are its own copy. */
	assert_int_equal(first_error("id,name,team\nE1,Ada,core\nE2,Bob,\"pay\"x\n", &err),
	                 ERR_INVALID);
	assert_string_equal(err.message,
	                    "people.csv:3: column 3 (team): text after a closing quote");
	err_clear(&err);
	static const char nul[] = "id,name\nE1,A\0da\n";
	struct csv_reader r;
	csv_init(&r, "people.csv", nul, sizeof nul - 1);
	assert_int_equal(csv_next(&r, &err), 1);
	assert_int_equal(csv_next(&r, &err), ERR_INVALID);
	assert_string_equal(
	        err.message,
	        "people.csv:2: column 2 (name): NUL byte in the data (is this a text file?)");
	csv_release(&r);
}

static char *commas(size_t nfields)
{
	struct sb sb = SB_INIT;
	for (size_t i = 0; i < nfields; i++)
		sb_printf(&sb, "%s%zu", i ? "," : "", i);
	sb_puts(&sb, "\n");
	return sb_detach(&sb, NULL);
}

static void at_most_256_fields(void **state)
{
	(void)state;
	char *ok = commas(CSV_MAX_FIELDS);
	struct csv_reader r;
	struct error err = {0};
	csv_init(&r, "t.csv", ok, strlen(ok));
	assert_int_equal(csv_next(&r, &err), 1);
	assert_int_equal(r.nfields, 256);
	assert_string_equal(r.fields[0], "0");
	assert_string_equal(r.fields[255], "255");
	csv_release(&r);
	free(ok);

	char *too_many = commas(CSV_MAX_FIELDS + 1);
	struct sb data = SB_INIT;
	sb_puts(&data, "header\n");
	sb_puts(&data, too_many);
	free(too_many);
	assert_int_equal(first_error(data.buf, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, "people.csv:2:"));
	assert_non_null(strstr(err.message, "fields"));
	sb_release(&data);
}

static void record_size_is_capped(void **state)
{
	(void)state;
	size_t n = CSV_MAX_RECORD + 10;
	char *big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	big[n] = '\0';
	struct error err = {0};
	assert_int_equal(first_error(big, &err), ERR_INVALID);
	assert_non_null(strstr(err.message, "people.csv:1:"));
	free(big);
}

static void round_trips_sb_csv_field(void **state)
{
	(void)state;
	/* Whatever sb_csv_field writes, the reader reads back unchanged. */
	const char *const values[] = {"plain",    "",   "a,b", "say \"hi\"", "two\nlines",
	                              "cr\r\nlf", "\"", ",",   " spaced ",   "trailing\""};
	size_t n = sizeof values / sizeof values[0];
	struct sb line = SB_INIT;
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(&line, ',');
		sb_csv_field(&line, values[i]);
	}
	sb_puts(&line, "\r\n");
	sb_csv_field(&line, "second");
	struct csv_reader r;
	csv_init(&r, "t.csv", line.buf, line.len);
	expect_record(&r, 1, n, values);
	/* Two values hold a line break, so the first record spans lines 1..3. */
	expect_record(&r, 4, FIELDS("second"));
	expect_end(&r);
	csv_release(&r);
	sb_release(&line);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(plain_records),
	        cmocka_unit_test(empty_fields),
	        cmocka_unit_test(quoted_commas),
	        cmocka_unit_test(doubled_quotes),
	        cmocka_unit_test(embedded_newline_keeps_start_line),
	        cmocka_unit_test(crlf_line_ends),
	        cmocka_unit_test(bom_is_skipped),
	        cmocka_unit_test(bom_only_in_first_position),
	        cmocka_unit_test(cr_only_line_ends),
	        cmocka_unit_test(blank_lines_skipped),
	        cmocka_unit_test(empty_input),
	        cmocka_unit_test(length_bounds_the_input),
	        cmocka_unit_test(unterminated_quote_names_file_and_line),
	        cmocka_unit_test(text_after_closing_quote),
	        cmocka_unit_test(field_errors_name_the_column),
	        cmocka_unit_test(at_most_256_fields),
	        cmocka_unit_test(record_size_is_capped),
	        cmocka_unit_test(round_trips_sb_csv_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
