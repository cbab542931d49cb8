/* cli_util: option lookups, tables (aligned text or CSV) and --json framing for handlers. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>

#include "base/decimal.h"
#include "base/mem.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "cli/cli.h"

static int opt_slot(struct cli_run *r, const char *name)
{
	int i = 0;
	for (const struct cli_opt *o = r->cmd->opts; o && o->name; o++, i++)
		if (strcmp(o->name, name) == 0)
			return i;
	BUG("command '%s' has no option --%s", r->cmd->name, name);
}

const char *cli_opt(struct cli_run *r, const char *name)
{
	int i = opt_slot(r, name);
	return r->nvalues[i] ? r->values[i][0] : NULL;
}

int cli_opt_count(struct cli_run *r, const char *name)
{
	return r->nvalues[opt_slot(r, name)];
}

const char *cli_opt_at(struct cli_run *r, const char *name, int i)
{
	int slot = opt_slot(r, name);
	return i < r->nvalues[slot] ? r->values[slot][i] : NULL;
}

bool cli_flag(struct cli_run *r, const char *name)
{
	return r->nvalues[opt_slot(r, name)] > 0;
}

int cli_opt_time(struct cli_run *r, const char *name, int64_t *ms, bool *given)
{
	const char *v = cli_opt(r, name);
	*given = v != NULL;
	if (!v)
		return 0;
	struct error e = {0};
	if (ts_parse_strict(v, ms, &e) < 0) {
		err_set(&r->err, ERR_USAGE, "--%s: %s", name, e.message);
		err_detail(&r->err, "%s", e.detail);
		return ERR_USAGE;
	}
	return 0;
}

bool cli_parse_id(const char *text, int64_t *id)
{
	*id = 0;
	if (*text < '0' || *text > '9')
		return false;
	char *end = NULL;
	errno = 0;
	long long v = strtoll(text, &end, 10);
	if (errno || *end || v <= 0)
		return false;
	*id = v;
	return true;
}

bool cli_number_start(const char *text)
{
	if (*text == '-')
		text++;
	return *text >= '0' && *text <= '9';
}

int cli_opt_int(struct cli_run *r, const char *name, long long min, long long max, long long *value,
                bool *given)
{
	const char *v = cli_opt(r, name);
	*given = v != NULL;
	if (!v)
		return 0;
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (!cli_number_start(v) || errno || *end || n < min || n > max) {
		err_set(&r->err, ERR_USAGE, "--%s: '%s' is not a number from %lld to %lld", name, v,
		        min, max);
		return ERR_USAGE;
	}
	*value = n;
	return 0;
}

void cli_table_init(struct cli_table *t, const char *const *headers, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->headers = headers;
	t->ncols = ncols;
}

void cli_table_add(struct cli_table *t, ...)
{
	if (t->nrows == t->alloc) {
		t->alloc = t->alloc ? t->alloc * 2 : 32;
		t->cells = xreallocarray(t->cells, t->alloc * t->ncols, sizeof *t->cells);
	}
	va_list ap;
	va_start(ap, t);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *v = va_arg(ap, const char *);
		t->cells[t->nrows * t->ncols + c] = xstrdup(v ? v : "");
	}
	va_end(ap);
	t->nrows++;
}

/* Display width of UTF-8 text: count code points, not bytes. */
static size_t text_width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void put_visible_line(FILE *to, const char *prefix, const char *fmt, va_list ap)
{
	struct sb text = SB_INIT, out = SB_INIT;
	sb_vprintf(&text, fmt, ap);
	sb_puts(&out, prefix);
	utf8_put_visible(&out, text.buf, false); /* one line, as an error's message */
	sb_putc(&out, '\n');
	fwrite(out.buf, 1, out.len, to);
	sb_release(&text);
	sb_release(&out);
}

/* Where this thread's warnings and notes go instead of stderr: a request
 * thread of the server gathers its command's for the answer. */
static _Thread_local struct sb *said_sink;

void cli_gather_warnings(struct sb *sink)
{
	said_sink = sink;
}

static void say(const char *prefix, const char *fmt, va_list ap)
{
	if (!said_sink) {
		put_visible_line(stderr, prefix, fmt, ap);
		return;
	}
	struct sb text = SB_INIT;
	sb_vprintf(&text, fmt, ap);
	sb_puts(said_sink, prefix + strlen("plumb: "));
	utf8_put_visible(said_sink, text.buf, false);
	sb_putc(said_sink, '\n');
	sb_release(&text);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("plumb: warning: ", fmt, ap);
	va_end(ap);
}

void cli_note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say("plumb: note: ", fmt, ap);
	va_end(ap);
}

void cli_print_visible(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	put_visible_line(out, "", fmt, ap);
	va_end(ap);
}

/* A cell a spreadsheet would run as a formula (=, +, -, @, a tab or CR
 * first) gets a leading ', as OWASP's CSV injection advice has it: names,
 * logins and descriptions come from sources anyone may write to.  A number
 * (-3, -0.25), and a lone "-" (no value), are left as they are. */
static void csv_cell(struct sb *out, const char *s)
{
	if (!strchr("=+-@\t\r", s[0]) || s[0] == '\0' || s[1] == '\0') {
		sb_csv_field(out, s);
		return;
	}
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (*end == '\0' && errno == 0 && isfinite(v) && strpbrk(s, "xXpP") == NULL) {
		sb_csv_field(out, s);
		return;
	}
	struct sb quoted = SB_INIT;
	sb_putc(&quoted, '\'');
	sb_puts(&quoted, s);
	sb_csv_field(out, quoted.buf);
	sb_release(&quoted);
}

void cli_table_print(struct cli_run *r, struct cli_table *t)
{
	struct sb out = SB_INIT;
	if (r->global->csv) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				sb_putc(&out, ',');
			sb_csv_field(&out, t->headers[c]);
		}
		sb_puts(&out, "\r\n");
		for (size_t row = 0; row < t->nrows; row++) {
			for (size_t c = 0; c < t->ncols; c++) {
				if (c)
					sb_putc(&out, ',');
				csv_cell(&out, t->cells[row * t->ncols + c]);
			}
			sb_puts(&out, "\r\n");
		}
	} else {
		size_t *width = xcalloc(t->ncols, sizeof *width);
		for (size_t c = 0; c < t->ncols; c++)
			width[c] = text_width(t->headers[c]);
		for (size_t row = 0; row < t->nrows; row++)
			for (size_t c = 0; c < t->ncols; c++) {
				size_t w = text_width(t->cells[row * t->ncols + c]);
				if (w > width[c])
					width[c] = w;
			}
		for (size_t row = 0; row <= t->nrows; row++) {
			for (size_t c = 0; c < t->ncols; c++) {
				const char *cell = row == 0 ? t->headers[c]
				                            : t->cells[(row - 1) * t->ncols + c];
				/* A cell is one line: a line break in a value (a title, a
				 * file's name) must not start a row of its own. */
				utf8_put_visible(&out, cell, false);
				if (c + 1 < t->ncols)
					for (size_t pad = text_width(cell); pad < width[c] + 2;
					     pad++)
						sb_putc(&out, ' ');
			}
			sb_putc(&out, '\n');
		}
		free(width);
	}
	fwrite(out.buf, 1, out.len, r->out);
	sb_release(&out);
}

void cli_table_print_or(struct cli_run *r, struct cli_table *t, const char *none)
{
	if (t->nrows == 0 && !r->global->csv)
		fprintf(r->out, "%s\n", none);
	else
		cli_table_print(r, t);
}

void cli_table_release(struct cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

const char *cli_plural(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

const char *cli_percent(char *buf, size_t n, double v, bool has, int digits, int decimals,
                        const double *marks, size_t nmarks)
{
	char num[48];
	if (has)
		snprintf(buf, n, "%s%%",
		         decimal_percent_marked(num, sizeof num, v, digits, decimals, marks,
		                                nmarks));
	else
		snprintf(buf, n, "-");
	return buf;
}

void cli_json_begin(struct cli_run *r, struct sb *buf, struct jw *w)
{
	sb_init(buf, 0);
	jw_init(w, buf, !r->global->compact);
}

void cli_json_flush(struct cli_run *r, struct sb *buf)
{
	if (buf->len < CLI_JSON_FLUSH)
		return;
	fwrite(buf->buf, 1, buf->len, r->out);
	sb_reset(buf);
}

void cli_json_end(struct cli_run *r, struct sb *buf)
{
	sb_putc(buf, '\n');
	fwrite(buf->buf, 1, buf->len, r->out);
	sb_release(buf);
}

int cli_opt_version(struct cli_run *r, int *version)
{
	long long v = 0;
	bool given = false;
	int rc = cli_opt_int(r, "version", 1, 1000000, &v, &given);
	*version = given ? (int)v : 0;
	return rc;
}

int cli_parse_version(struct cli_run *r, const char *text, const char *what, int *out)
{
	char *end = NULL;
	long v = strtol(text, &end, 10);
	if (!cli_number_start(text) || *end || v < 1 || v > 1000000)
		return err_set(&r->err, ERR_USAGE, "'%s': expected a %s version number", text,
		               what);
	*out = (int)v;
	return 0;
}

void cli_print_changes(struct cli_run *r, int a, int b, const char **lines, size_t n,
                       const char *what)
{
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "from", a);
		jw_kint(&w, "to", b);
		jw_key(&w, "changes");
		jw_array_begin(&w);
		for (size_t i = 0; i < n; i++)
			jw_str(&w, lines[i]);
		jw_array_end(&w);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return;
	}
	if (n == 0)
		fprintf(r->out, "%s versions %d and %d say the same\n", what, a, b);
	for (size_t i = 0; i < n; i++)
		fprintf(r->out, "%s\n", lines[i]);
}

void cli_print_yaml(struct cli_run *r, const char *text)
{
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "yaml", text);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return;
	}
	fputs(text, r->out);
}
