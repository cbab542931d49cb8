/* utf8: the well-formed byte sequences of RFC 3629, table 3-7 of Unicode. */
#include "base/utf8.h"

bool utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	while (p < end) {
		unsigned char c = *p++;
		if (c < 0x80)
			continue;
		int more;
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
			return false;
		}
		if (end - p < more || p[0] < lo || p[0] > hi)
			return false;
		for (int i = 1; i < more; i++)
			if (p[i] < 0x80 || p[i] > 0xBF)
				return false;
		p += more;
	}
	return true;
}
