/* sb: growable NUL-terminated buffer with a size cap and a sticky overflow flag. */
#include "base/sb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "base/utf8.h"

char sb_empty_[1];

void sb_init(struct sb *sb, size_t cap)
{
	sb->buf = sb_empty_;
	sb->len = sb->alloc = 0;
	sb->cap = cap ? cap : SB_DEFAULT_CAP;
	sb->toobig = false;
}

void sb_release(struct sb *sb)
{
	if (sb->alloc)
		free(sb->buf);
	size_t cap = sb->cap;
	sb_init(sb, cap);
}

char *sb_detach(struct sb *sb, size_t *len_out)
{
	char *out = sb->alloc ? sb->buf : xstrdup("");
	if (len_out)
		*len_out = sb->len;
	size_t cap = sb->cap;
	sb_init(sb, cap);
	return out;
}

void sb_reset(struct sb *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

static size_t sb_cap(const struct sb *sb)
{
	return sb->cap ? sb->cap : SB_DEFAULT_CAP;
}

/* Returns 0 when room for extra more bytes (plus NUL) exists, -1 when over cap. */
static int sb_room(struct sb *sb, size_t extra)
{
	if (sb->toobig)
		return -1;
	if (extra > sb_cap(sb) || sb->len + extra > sb_cap(sb)) {
		sb->toobig = true;
		return -1;
	}
	if (sb->len + extra + 1 <= sb->alloc)
		return 0;
	size_t want = sb->alloc ? sb->alloc : 64;
	while (want < sb->len + extra + 1)
		want *= 2;
	/* Never past the cap: doubling near it asked for twice the cap (found
	 * in review: 2.1 GB to read /dev/zero up to a 1 GiB limit). */
	if (want > sb_cap(sb) + 1)
		want = sb_cap(sb) + 1;
	if (sb->alloc) {
		sb->buf = xrealloc(sb->buf, want);
	} else {
		sb->buf = xmalloc(want);
		sb->buf[0] = '\0';
	}
	sb->alloc = want;
	return 0;
}

void sb_grow(struct sb *sb, size_t extra)
{
	(void)sb_room(sb, extra);
}

void sb_add(struct sb *sb, const void *data, size_t len)
{
	if (sb_room(sb, len) < 0)
		return;
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_puts(struct sb *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_putc(struct sb *sb, char c)
{
	sb_add(sb, &c, 1);
}

void sb_double(struct sb *sb, double v)
{
	char buf[32];
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sb_puts(sb, buf);
}

void sb_int(struct sb *sb, int64_t v)
{
	char digits[24], *p = digits + sizeof digits;
	/* Through the unsigned magnitude, so INT64_MIN does not overflow. */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	sb_add(sb, p, (size_t)(digits + sizeof digits - p));
}

void sb_vprintf(struct sb *sb, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || sb_room(sb, (size_t)n) < 0)
		return;
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_printf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sb_vprintf(sb, fmt, ap);
	va_end(ap);
}

void sb_json_str(struct sb *sb, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	sb_putc(sb, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			sb_puts(sb, "\\\"");
			break;
		case '\\':
			sb_puts(sb, "\\\\");
			break;
		case '\n':
			sb_puts(sb, "\\n");
			break;
		case '\r':
			sb_puts(sb, "\\r");
			break;
		case '\t':
			sb_puts(sb, "\\t");
			break;
		default:
			if (*p < 0x20) {
				char esc[7] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15], 0};
				sb_puts(sb, esc);
			} else if (*p < 0x80) {
				sb_putc(sb, (char)*p);
			} else {
				/* A byte of no well-formed sequence would make the whole
				 * document not JSON: it is written as U+FFFD instead. */
				size_t n =
				        utf8_seq_len((const char *)p, strnlen((const char *)p, 4));
				if (n == 0) {
					sb_puts(sb, "\\ufffd");
				} else {
					sb_add(sb, (const char *)p, n);
					p += n - 1;
				}
			}
		}
	}
	sb_putc(sb, '"');
}

void sb_csv_field(struct sb *sb, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *p);
	}
	sb_putc(sb, '"');
}

void sb_html(struct sb *sb, const char *s)
{
	if (!s)
		return;
	for (const char *run = s;; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		case '\0':
			break;
		default:
			continue;
		}
		sb_add(sb, run, (size_t)(s - run));
		if (!rep)
			return;
		sb_puts(sb, rep);
		run = s + 1;
	}
}

/* Percent-encode every byte of s but the unreserved ones and those in keep. */
static void url_encode_keeping(struct sb *sb, const char *s, const char *keep)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *c = (const unsigned char *)s; c && *c; c++) {
		if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.' || *c == '~' ||
		    strchr(keep, *c)) {
			sb_putc(sb, (char)*c);
		} else {
			sb_putc(sb, '%');
			sb_putc(sb, hex[*c >> 4]);
			sb_putc(sb, hex[*c & 15]);
		}
	}
}

void sb_url_encode(struct sb *sb, const char *s)
{
	url_encode_keeping(sb, s, "");
}

void sb_url_encode_path(struct sb *sb, const char *path)
{
	/* RFC 3986 3.3: a segment's pchar, '/' between them, and '%' so the
	 * escapes the path came with stay as they were. */
	url_encode_keeping(sb, path, "/:@!$&'()*+,;=%");
}
