/* jw: comma and indent bookkeeping for JSON written straight into a buffer. */
#include "base/jw.h"

#include <math.h>
#include <stdlib.h>

#include "base/mem.h"
#include "base/ts.h"

void jw_init(struct jw *w, struct sb *out, bool pretty)
{
	w->out = out;
	w->depth = 0;
	w->first[0] = true;
	w->in_object[0] = false;
	w->pretty = pretty;
	w->key_pending = false;
}

static void indent(struct jw *w)
{
	if (!w->pretty)
		return;
	sb_putc(w->out, '\n');
	for (int i = 0; i < w->depth; i++)
		sb_puts(w->out, "  ");
}

/* Before a value: a comma if needed, unless the value follows a key. */
static void before_value(struct jw *w)
{
	if (w->in_object[w->depth]) {
		if (!w->key_pending)
			BUG("JSON value without a key inside an object");
		w->key_pending = false;
		return; /* jw_key already placed the comma */
	}
	if (!w->first[w->depth])
		sb_putc(w->out, ',');
	if (w->depth > 0)
		indent(w);
	w->first[w->depth] = false;
}

static void open(struct jw *w, char c, bool object)
{
	before_value(w);
	sb_putc(w->out, c);
	if (++w->depth >= JW_MAX_DEPTH)
		BUG("JSON nesting too deep");
	w->first[w->depth] = true;
	w->in_object[w->depth] = object;
}

static void close_(struct jw *w, char c)
{
	bool empty = w->first[w->depth];
	if (w->depth == 0)
		BUG("JSON close without open");
	w->depth--;
	if (!empty)
		indent(w);
	sb_putc(w->out, c);
}

void jw_object_begin(struct jw *w)
{
	open(w, '{', true);
}
void jw_object_end(struct jw *w)
{
	close_(w, '}');
}
void jw_array_begin(struct jw *w)
{
	open(w, '[', false);
}
void jw_array_end(struct jw *w)
{
	close_(w, ']');
}

void jw_key(struct jw *w, const char *key)
{
	if (!w->in_object[w->depth] || w->key_pending)
		BUG("JSON key outside an object or after another key");
	if (!w->first[w->depth])
		sb_putc(w->out, ',');
	w->first[w->depth] = false;
	indent(w);
	sb_json_str(w->out, key);
	sb_puts(w->out, w->pretty ? ": " : ":");
	w->key_pending = true;
}

void jw_str(struct jw *w, const char *s)
{
	before_value(w);
	if (s)
		sb_json_str(w->out, s);
	else
		sb_puts(w->out, "null");
}

void jw_int(struct jw *w, int64_t v)
{
	before_value(w);
	sb_int(w->out, v);
}

void jw_double(struct jw *w, double v)
{
	before_value(w);
	if (isfinite(v))
		sb_double(w->out, v); /* 56.4, not 56.400000000000006 */
	else
		sb_puts(w->out, "null");
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	sb_puts(w->out, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	before_value(w);
	sb_puts(w->out, "null");
}

void jw_raw(struct jw *w, const char *json)
{
	before_value(w);
	sb_puts(w->out, json);
}

void jw_time(struct jw *w, int64_t ms, bool has_value)
{
	char buf[TS_BUF];
	jw_str(w, has_value ? ts_format(ms, buf) : NULL);
}

void jw_date(struct jw *w, int64_t ms, bool has_value)
{
	char buf[TS_BUF];
	jw_str(w, has_value ? ts_format_date(ms, buf) : NULL);
}

void jw_kstr(struct jw *w, const char *key, const char *s)
{
	jw_key(w, key);
	jw_str(w, s);
}

void jw_kint(struct jw *w, const char *key, int64_t v)
{
	jw_key(w, key);
	jw_int(w, v);
}

void jw_kbool(struct jw *w, const char *key, bool v)
{
	jw_key(w, key);
	jw_bool(w, v);
}

void jw_kstrs(struct jw *w, const char *key, const char *const *s, size_t n)
{
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, s[i]);
	jw_array_end(w);
}
