/* utf8: the well-formed byte sequences of RFC 3629, table 3-7 of Unicode. */
#include "base/utf8.h"

#include <string.h>

#include "base/sb.h"

size_t utf8_seq_len(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!avail)
		return 0;
	unsigned char c = p[0];
	if (c < 0x80)
		return 1;
	size_t more;
	unsigned char lo = 0x80, hi = 0xBF; /* range of the first continuation byte */
	if (c >= 0xC2 && c <= 0xDF) {
		more = 1;
	} else if (c >= 0xE0 && c <= 0xEF) {
		more = 2;
		if (c == 0xE0)
			lo = 0xA0; /* overlong */
		if (c == 0xED)
			hi = 0x9F; /* surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		more = 3;
		if (c == 0xF0)
			lo = 0x90; /* overlong */
		if (c == 0xF4)
			hi = 0x8F; /* above U+10FFFF */
	} else {
		return 0;
	}
	if (avail - 1 < more || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i <= more; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return more + 1;
}

size_t utf8_control_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if ((*p && *p < 0x20) || *p == 0x7f)
		return 1;
	return *p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F ? 2 : 0;
}

bool utf8_count(const char *s, size_t len, size_t *chars)
{
	size_t count = 0;
	for (size_t i = 0; i < len; count++) {
		size_t n = utf8_seq_len(s + i, len - i);
		if (!n)
			return false;
		i += n;
	}
	*chars = count;
	return true;
}

bool utf8_valid(const char *s, size_t len)
{
	size_t ignored;
	return utf8_count(s, len, &ignored);
}

void utf8_put_visible(struct sb *out, const char *s, bool lines)
{
	const char *end = s + strlen(s);
	for (const char *p = s; *p;) {
		size_t ctl = lines && (*p == '\t' || *p == '\n') ? 0 : utf8_control_len(p);
		/* A byte that starts no UTF-8 character (a file's Latin-1 text) is
		 * shown as '?' too: raw, the terminal showed mojibake, and a lone
		 * 0x9B is CSI to one that reads 8-bit controls. */
		size_t seq = ctl ? 0 : utf8_seq_len(p, (size_t)(end - p));
		if (ctl || seq == 0)
			sb_putc(out, '?');
		else
			sb_add(out, p, seq);
		p += ctl ? ctl : seq ? seq : 1;
	}
}

void utf8_put_replaced(struct sb *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(s + i, len - i);
		if (n == 0) {
			sb_puts(out, "\xEF\xBF\xBD"); /* U+FFFD */
			n = 1;
		} else {
			sb_add(out, s + i, n);
		}
		i += n;
	}
}

/* Unicode's spaces (Zs: U+0020, U+00A0, U+1680, U+2000 to U+200A, U+202F,
 * U+205F, U+3000) and the invisible U+180E, U+200B to U+200D, U+2060 and
 * U+FEFF (found in review: "a26" and a zero-width space looked alike). */
size_t utf8_blank_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == ' ')
		return 1;
	if (u[0] == 0xC2 && u[1] == 0xA0)
		return 2;
	if ((u[0] == 0xE1 && u[1] == 0x9A && u[2] == 0x80) ||
	    (u[0] == 0xE1 && u[1] == 0xA0 && u[2] == 0x8E) ||
	    (u[0] == 0xE2 && u[1] == 0x80 && ((u[2] >= 0x80 && u[2] <= 0x8D) || u[2] == 0xAF)) ||
	    (u[0] == 0xE2 && u[1] == 0x81 && (u[2] == 0x9F || u[2] == 0xA0)) ||
	    (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80) ||
	    (u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF))
		return 3;
	return 0;
}

/* The length of the blank that ends s[0, end), 0 for none; s goes on past
 * end to its NUL. */
static size_t blank_ending(const char *s, size_t end)
{
	for (size_t k = 1; k <= 3 && k <= end; k++)
		if (utf8_blank_len(s + end - k) == k)
			return k;
	return 0;
}

bool utf8_blank_at_an_end(const char *s)
{
	size_t n = strlen(s);
	return n && (utf8_blank_len(s) || blank_ending(s, n));
}

/* A tab or line break, else utf8_blank_len's. */
static size_t space_len(const char *s)
{
	return *s && strchr("\t\r\n", *s) ? 1 : utf8_blank_len(s);
}

void utf8_trim_blanks(const char *s, size_t *start, size_t *end)
{
	size_t a = 0, b = strlen(s), n;
	while (a < b && (n = space_len(s + a)) > 0 && n <= b - a)
		a += n;
	while (b > a) {
		n = strchr("\t\r\n", s[b - 1]) ? 1 : blank_ending(s, b);
		if (!n || b - n < a)
			break;
		b -= n;
	}
	*start = a;
	*end = b;
}

/* The small letter of capital c (utf8_equal_fold's letters), else c. */
static unsigned long fold_letter(unsigned long c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 0x20;
	if (c == 0x178) /* Ÿ */
		return 0xFF;
	if (c == 0x130) /* dotted capital I */
		return 'i';
	/* Latin Extended-A: pairs capital then small, with one break at
	 * U+0138 (kra, which has no capital) and U+0149 (n preceded by an
	 * apostrophe); U+017F (long s) folds to s. */
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x17F)
		return 's';
	/* Greek: capitals, the accented ones, and final sigma as sigma. */
	if ((c >= 0x391 && c <= 0x3AB && c != 0x3A2))
		return c + 0x20;
	if (c == 0x386)
		return 0x3AC;
	if (c >= 0x388 && c <= 0x38A)
		return c + 0x25;
	if (c == 0x38C || c == 0x38E || c == 0x38F)
		return c + 0x40 - (c == 0x38C ? 0 : 1);
	if (c == 0x3C2)
		return 0x3C3;
	/* Cyrillic: U+0400 to U+040F and U+0410 to U+042F. */
	if (c >= 0x400 && c <= 0x40F)
		return c + 0x50;
	if (c >= 0x410 && c <= 0x42F)
		return c + 0x20;
	return c;
}

/* The character at s (avail bytes) into *c, its length returned; a byte of
 * no sequence is itself, above every code point so it matches no letter. */
static size_t next_char(const char *s, size_t avail, unsigned long *c)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = utf8_seq_len(s, avail);
	if (len == 0) {
		*c = 0x110000UL + p[0];
		return 1;
	}
	static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
	unsigned long v = p[0] & lead_mask[len];
	for (size_t i = 1; i < len; i++)
		v = (v << 6) | (p[i] & 0x3F);
	*c = v;
	return len;
}

bool utf8_equal_fold(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;
	while (i < alen && j < blen) {
		unsigned long ca, cb;
		i += next_char(a + i, alen - i, &ca);
		j += next_char(b + j, blen - j, &cb);
		if (fold_letter(ca) != fold_letter(cb))
			return false;
	}
	return i == alen && j == blen;
}
