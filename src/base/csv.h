/*
 * csv: an RFC 4180 reader over a buffer held in memory.
 *
 * csv_next returns one record at a time with the line number it started on,
 * so errors can name file and line.  The first record is taken as the
 * header: a syntax error in a later one names its column by number and
 * header name ("people.csv:7: column 3 (email): text after a closing
 * quote").  Quoted fields may hold commas, quotes
 * ("") and newlines; CRLF and LF both end records; a UTF-8 BOM is skipped.
 * Field pointers borrow the reader's storage and stay valid until the next
 * call.  Caps: CSV_MAX_FIELDS per record, CSV_MAX_RECORD bytes per record.
 * Not thread-safe per reader.
 */
#ifndef PLUMB_CSV_H
#define PLUMB_CSV_H

#include <stddef.h>

#include "base/err.h"

#define CSV_MAX_FIELDS 256
#define CSV_MAX_RECORD (1 << 20)

struct csv_reader {
	const char *name; /* file name, for errors */
	const char *data;
	size_t len, pos;
	long line;        /* next line to read, 1-based */
	long record_line; /* line the last record started on */
	char *scratch;
	size_t scratch_alloc;
	size_t nfields;
	char *fields[CSV_MAX_FIELDS];
	char *header;   /* the first record's fields, NUL-separated; owned */
	size_t nheader; /* fields in it; 0 until the first record is read */
};

void csv_init(struct csv_reader *r, const char *name, const char *data, size_t len);
void csv_release(struct csv_reader *r);
/* 1 = a record is in r->fields[0..nfields), 0 = end of input, <0 = error. */
int csv_next(struct csv_reader *r, struct error *err);

#endif
