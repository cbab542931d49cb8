/*
 * sb: plumb's one string builder.
 *
 * Invariants: buf is never NULL and always NUL-terminated; len < alloc.
 * Growth beyond cap (0 = SB_DEFAULT_CAP) sets the sticky `toobig` flag and
 * drops the append, so a caller checks once at the end.  sb_detach hands the
 * heap buffer to the caller (free it); sb_release frees it.  Not thread-safe
 * per instance.
 */
#ifndef PLUMB_SB_H
#define PLUMB_SB_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SB_DEFAULT_CAP ((size_t)1 << 30)

struct sb {
	char *buf;
	size_t len;
	size_t alloc;
	size_t cap;
	bool toobig;
};

extern char sb_empty_[1];
#define SB_INIT                                                                                    \
	{                                                                                          \
		sb_empty_, 0, 0, 0, false                                                          \
	}

void sb_init(struct sb *sb, size_t cap);
void sb_release(struct sb *sb);
char *sb_detach(struct sb *sb, size_t *len_out); /* caller frees */
void sb_reset(struct sb *sb);                    /* len = 0, keeps memory */
void sb_grow(struct sb *sb, size_t extra);
void sb_add(struct sb *sb, const void *data, size_t len);
void sb_puts(struct sb *sb, const char *s);
void sb_putc(struct sb *sb, char c);
/* The decimal digits of v, as printf's %lld writes them, without printf:
 * millions of them a run in lead-time lists and JSON. */
void sb_int(struct sb *sb, int64_t v);
/* The shortest decimal form of a finite v that reads back (strtod) as the same
 * double: 56.4, not 56.400000000000006; 1000001, not %g's 1e+06, which two
 * different numbers share.  Not for NaN or infinities (printf's words). */
void sb_double(struct sb *sb, double v);
void sb_printf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vprintf(struct sb *sb, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Append s as a JSON string literal, quotes included. */
void sb_json_str(struct sb *sb, const char *s);
/* Append s as one CSV field (quoted when it holds , " CR or LF). */
void sb_csv_field(struct sb *sb, const char *s);
/* Append s escaped for HTML text and quoted attribute values (& < > " ');
 * NULL appends nothing. */
void sb_html(struct sb *sb, const char *s);
/* Append s percent-encoded for a URL path segment or query value: every byte
 * but RFC 3986's unreserved ones (letters, digits, "-._~") becomes %XX. */
void sb_url_encode(struct sb *sb, const char *s);
/* A URL path as it may stand in a URI: bytes no path may hold raw (space,
 * '<', '>', '"', non-ASCII...) percent-encoded, its '/' and escapes kept. */
void sb_url_encode_path(struct sb *sb, const char *path);

#endif
