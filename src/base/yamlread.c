/* yamlread: see yamlread.h. */
#include "base/yamlread.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/decimal.h"
#include "base/sb.h"
#include "base/utf8.h"
#include "base/yamldoc.h"

int yread_err(struct yread *p, const yaml_node_t *node, const char *field, const char *fmt, ...)
{
	char msg[ERR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(p->err, ERR_INVALID, "%s:%ld: %s: %s", p->name, yamldoc_line(node), field,
	               msg);
}

const yaml_node_t *yread_node(struct yread *p, int id)
{
	return yaml_document_get_node(p->doc, id);
}

int yread_text(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
               const char **out)
{
	int rc = yamldoc_scalar(p->name, n, field, p->a, out, p->err);
	if (rc == 0 && strlen(*out) > max)
		rc = yread_err(p, n, field, "longer than %zu bytes", max);
	/* A double-quoted scalar can spell any control character ("\e[2J"):
	 * text holds lines and tabs, not terminal escapes or C1 controls. */
	for (const char *c = rc == 0 ? *out : ""; rc == 0 && *c; c++) {
		size_t ctl = *c == '\n' || *c == '\t' ? 0 : utf8_control_len(c);
		if (ctl)
			rc = yread_err(p, n, field,
			               "a control character (byte 0x%02X at %zu): expected text",
			               (unsigned char)c[ctl - 1], (size_t)(c - *out) + 1);
	}
	return rc;
}

/* A value as an error shows it: quoted, or said to be null (plain `null`,
 * `~` or nothing), which yamldoc_scalar reads as "" and '' misstated. */
static const char *shown(struct yread *p, const yaml_node_t *n, const char *s)
{
	if (!*s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return "no value (null)";
	return arena_printf(p->a, "'%s'", s);
}

int yread_nonempty(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
                   const char **out)
{
	int rc = yread_text(p, n, field, max, out);
	if (rc == 0 && !**out)
		rc = yread_err(p, n, field, "expected a value");
	return rc;
}

int yread_name(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
               const char **out)
{
	int rc = yread_nonempty(p, n, field, max, out);
	if (rc == 0 && !p->stored && strpbrk(*out, "\n\t"))
		rc = yread_err(p, n, field, "a line break or tab: expected one line");
	return rc;
}

int yread_choice(struct yread *p, const yaml_node_t *n, const char *field,
                 const char *const *allowed, int *out)
{
	const char *s;
	int rc = yread_text(p, n, field, YREAD_NAME_MAX, &s);
	if (rc < 0)
		return rc;
	for (int i = 0; allowed[i]; i++)
		if (strcmp(allowed[i], s) == 0) {
			*out = i;
			return 0;
		}
	struct sb one_of = SB_INIT;
	for (int i = 0; allowed[i]; i++)
		sb_printf(&one_of, "%s%s", i ? ", " : "", allowed[i]);
	rc = yread_err(p, n, field, "%s: expected one of %s", shown(p, n, s), one_of.buf);
	sb_release(&one_of);
	return rc;
}

int yread_bool(struct yread *p, const yaml_node_t *n, const char *field, bool *out)
{
	const char *s;
	int rc = yread_text(p, n, field, YREAD_NAME_MAX, &s);
	if (rc < 0)
		return rc;
	int b = yamldoc_bool(n);
	if (b < 0)
		return yread_err(p, n, field, "%s: expected true or false, unquoted",
		                 shown(p, n, s));
	*out = b == 1;
	return 0;
}

int yread_int(struct yread *p, const yaml_node_t *n, const char *field, long lo, long hi, long *out)
{
	const char *s;
	int rc = yread_text(p, n, field, 32, &s);
	if (rc < 0)
		return rc;
	/* YAML's integers, [-+]?[0-9]+: strtol alone also took ' 4' (found in
	 * review); and past the range of long it said the largest. */
	const char *digits = s + (*s == '-' || *s == '+');
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!(*digits >= '0' && *digits <= '9') || *end || errno == ERANGE || v < lo || v > hi)
		return yread_err(p, n, field, "%s: expected a whole number from %ld to %ld",
		                 shown(p, n, s), lo, hi);
	*out = v;
	return 0;
}

bool yread_valid_key(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return false;
	return n <= 64;
}

bool yread_in_list(const char *const *list, const char *s)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* A list of scalars, each checked by check (NULL: any text). */
int yread_scalar_list(struct yread *p, const yaml_node_t *n, const char *field,
                      bool (*check)(const char *), const char *expected, const char ***out,
                      size_t *count)
{
	if (n->type != YAML_SEQUENCE_NODE)
		return yread_err(p, n, field, "expected a list, such as [a, b]");
	size_t len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (len > YREAD_LIST_MAX)
		return yread_err(p, n, field, "more than %d entries", YREAD_LIST_MAX);
	*out = arena_array(p->a, len ? len : 1, sizeof **out);
	*count = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		const yaml_node_t *item = yread_node(p, *it);
		const char *s;
		int rc = yread_nonempty(p, item, field, YREAD_NAME_MAX, &s);
		if (rc < 0)
			return rc;
		if (check && !check(s))
			return yread_err(p, item, field, "'%s': expected %s", s, expected);
		for (size_t i = 0; i < *count; i++)
			if (strcmp((*out)[i], s) == 0)
				return yread_err(p, item, field, "'%s' is listed twice", s);
		(*out)[(*count)++] = s;
	}
	return 0;
}

/* Walk a mapping: fields must be among known (NULL-terminated); on_field
 * is called with the index of each.  A field given twice is an error.
 * Errors about a field name it by its full path. */
int yread_each_field(struct yread *p, const yaml_node_t *map, const char *path, const char *what,
                     const char *const *known, yread_field_fn on_field, void *arg)
{
	int rc = yamldoc_expect(p->name, map, YAML_MAPPING_NODE, what, p->err);
	for (yaml_node_pair_t *pr = rc == 0 ? map->data.mapping.pairs.start : NULL;
	     rc == 0 && pr < map->data.mapping.pairs.top; pr++) {
		const yaml_node_t *k = yread_node(p, pr->key);
		const char *field;
		rc = yamldoc_scalar(p->name, k, "field name", p->a, &field, p->err);
		if (rc < 0)
			break;
		const char *full = path && *path ? arena_printf(p->a, "%s.%s", path, field) : field;
		if (yamldoc_repeated_key(p->doc, map, pr)) {
			rc = yread_err(p, k, full, "given twice");
			break;
		}
		int f = known ? 0 : -1;
		if (known) {
			while (known[f] && strcmp(known[f], field) != 0)
				f++;
			if (!known[f]) {
				struct sb list = SB_INIT;
				for (int i = 0; known[i]; i++)
					sb_printf(&list, "%s%s", i ? ", " : "", known[i]);
				rc = yread_err(p, k, full,
				               "unknown field in %s; the fields are: %s", what,
				               list.buf);
				sb_release(&list);
				break;
			}
		}
		const char *outer = p->at;
		p->at = path;
		rc = on_field(p, f, k, yread_node(p, pr->value), arg);
		p->at = outer;
	}
	return rc;
}

const char *yread_at(struct yread *p, const char *field)
{
	return p->at && *p->at ? arena_printf(p->a, "%s.%s", p->at, field) : field;
}

/* Whether s, refused as a share (0 to 1), reads as a percent: "40%", or a
 * number above 1 and at most 100 (40); *percent is it (found hunting:
 * weights written 40% were told only "expected a number from 0 to 1"). */
static bool looks_like_percent(const char *s, enum decimal_status st, double v, double *percent)
{
	size_t len = strlen(s);
	if (len > 1 && len < 32 && s[len - 1] == '%') {
		char digits[32];
		memcpy(digits, s, len - 1);
		digits[len - 1] = '\0';
		if (decimal_read(digits, &v) != DECIMAL_OK)
			return false;
	} else if (st != DECIMAL_OK || v <= 1) {
		return false;
	}
	*percent = v;
	return v > 0 && v <= 100;
}

int yread_number(struct yread *p, const yaml_node_t *n, const char *field, double lo, double hi,
                 double *out)
{
	const char *s;
	int rc = yread_text(p, n, field, 32, &s);
	if (rc < 0)
		return rc;
	double v = 0;
	enum decimal_status st = decimal_read(s, &v);
	/* A number, but none a double holds: not "expected a number" (found in
	 * the calibrate hunt). */
	if (st == DECIMAL_UNDERFLOW)
		return yread_err(p, n, field,
		                 "%s: out of range: nonzero but too close to 0 for a double to "
		                 "hold (write 0 for zero)",
		                 shown(p, n, s));
	double percent = 0;
	if (st != DECIMAL_OK || v < lo || v > hi) {
		if (lo >= 0 && hi == 1 && looks_like_percent(s, st, v, &percent))
			return yread_err(p, n, field,
			                 "%s: expected a share from 0 to 1: write %g, not %g%%",
			                 shown(p, n, s), percent / 100, percent);
		return yread_err(p, n, field, "%s: expected a number from %g to %g", shown(p, n, s),
		                 lo, hi);
	}
	*out = v;
	return 0;
}
