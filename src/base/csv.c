/* csv: a small state machine that unquotes fields into one scratch buffer. */
#include "base/csv.h"

#include <stdlib.h>
#include <string.h>

#include "base/mem.h"

void csv_init(struct csv_reader *r, const char *name, const char *data, size_t len)
{
	memset(r, 0, sizeof *r);
	r->name = name;
	r->data = data;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
}

void csv_release(struct csv_reader *r)
{
	free(r->scratch);
	free(r->header);
	r->scratch = r->header = NULL;
	r->scratch_alloc = r->nheader = 0;
}

static int csv_error(struct csv_reader *r, struct error *err, const char *what)
{
	err_set(err, ERR_INVALID, "%s:%ld: %s", r->name, r->record_line, what);
	return ERR_INVALID;
}

/* An error inside the record's current field (the r->nfields-th), named
 * by number and, past the header, by the header's name for it. */
static int csv_field_error(struct csv_reader *r, struct error *err, const char *what)
{
	size_t column = r->nfields;
	const char *name = NULL;
	if (column <= r->nheader) {
		name = r->header;
		for (size_t i = 1; i < column; i++)
			name += strlen(name) + 1;
	}
	if (name && *name)
		err_set(err, ERR_INVALID, "%s:%ld: column %zu (%s): %s", r->name, r->record_line,
		        column, name, what);
	else
		err_set(err, ERR_INVALID, "%s:%ld: column %zu: %s", r->name, r->record_line, column,
		        what);
	return ERR_INVALID;
}

/* Keep the first record's fields, which the next records overwrite. */
static void keep_header(struct csv_reader *r, size_t bytes)
{
	r->header = xmalloc(bytes);
	memcpy(r->header, r->scratch, bytes);
	r->nheader = r->nfields;
}

/* Whether the byte at i ends a line: a LF, or a CR not followed by one (old
 * Mac files end lines with CR alone; CRLF counts once, at its LF). */
static bool ends_line(const struct csv_reader *r, size_t i)
{
	return r->data[i] == '\n' ||
	       (r->data[i] == '\r' && (i + 1 >= r->len || r->data[i + 1] != '\n'));
}

int csv_next(struct csv_reader *r, struct error *err)
{
	/* Skip blank lines between records. */
	while (r->pos < r->len && (r->data[r->pos] == '\n' || r->data[r->pos] == '\r')) {
		if (ends_line(r, r->pos))
			r->line++;
		r->pos++;
	}
	if (r->pos >= r->len)
		return 0;
	r->record_line = r->line;
	size_t end = r->pos;
	/* Scratch needs at most the raw record length plus a NUL per field. */
	size_t need = (r->len - r->pos) + CSV_MAX_FIELDS + 1;
	if (need > CSV_MAX_RECORD + CSV_MAX_FIELDS + 1)
		need = CSV_MAX_RECORD + CSV_MAX_FIELDS + 1;
	if (r->scratch_alloc < need) {
		r->scratch = xrealloc(r->scratch, need);
		r->scratch_alloc = need;
	}
	char *out = r->scratch;
	size_t o = 0;
	r->nfields = 0;
	r->fields[r->nfields++] = out;
	int quoted = 0, field_start = 1;
	for (;;) {
		if (o >= CSV_MAX_RECORD)
			return csv_error(r, err, "record too long (over 1 MiB)");
		if (end >= r->len) {
			if (quoted)
				return csv_field_error(r, err, "unterminated quoted field");
			break;
		}
		char c = r->data[end++];
		if (c == '\0')
			return csv_field_error(r, err,
			                       "NUL byte in the data (is this a text file?)");
		if (quoted) {
			if (c == '"') {
				if (end < r->len && r->data[end] == '"') {
					out[o++] = '"';
					end++;
				} else {
					quoted = 0;
					if (end < r->len && !strchr(",\r\n", r->data[end]))
						return csv_field_error(
						        r, err, "text after a closing quote");
				}
			} else {
				if (ends_line(r, end - 1))
					r->line++;
				out[o++] = c;
			}
			continue;
		}
		if (c == '"' && field_start) {
			quoted = 1;
			field_start = 0;
			continue;
		}
		field_start = 0;
		if (c == ',') {
			out[o++] = '\0';
			if (r->nfields >= CSV_MAX_FIELDS)
				return csv_error(r, err, "too many fields (over 256)");
			r->fields[r->nfields++] = out + o;
			field_start = 1;
			continue;
		}
		if (c == '\r' && end < r->len && r->data[end] == '\n')
			continue;
		if (c == '\n' || c == '\r') {
			r->line++;
			break;
		}
		out[o++] = c;
	}
	out[o] = '\0';
	r->pos = end;
	if (!r->header)
		keep_header(r, o + 1);
	return 1;
}
