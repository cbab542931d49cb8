/* decimal: numbers as people write them (see decimal.h). */
#include "base/decimal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *digits(const char *c)
{
	while (*c >= '0' && *c <= '9')
		c++;
	return c;
}

bool decimal_parse(const char *s, double *out)
{
	const char *c = s + (*s == '-');
	const char *end = digits(c);
	if (end == c)
		return false;
	if (*end == '.') {
		const char *frac = end + 1;
		if ((end = digits(frac)) == frac)
			return false;
	}
	if (*end == 'e' || *end == 'E') {
		const char *exp = end + 1 + (end[1] == '-' || end[1] == '+');
		if ((end = digits(exp)) == exp)
			return false;
	}
	if (*end)
		return false;
	/* The text is checked above; strtod only converts it (rounded once). */
	errno = 0;
	double v = strtod(s, NULL);
	if (errno == ERANGE || !isfinite(v))
		return false;
	*out = v;
	return true;
}

const char *decimal_format(char *buf, size_t n, double v, int digits)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "%g", v);
		return buf;
	}
	int decimals = 0;
	if (v != 0)
		decimals = digits - 1 - (int)floor(log10(fabs(v)));
	decimals = decimals < 0 ? 0 : decimals > 15 ? 15 : decimals;
	snprintf(buf, n, "%.*f", decimals, v);
	if (strchr(buf, '.')) {
		size_t len = strlen(buf);
		while (len > 0 && buf[len - 1] == '0')
			buf[--len] = '\0';
		if (len > 0 && buf[len - 1] == '.')
			buf[--len] = '\0';
	}
	if (!strcmp(buf, "-0"))
		snprintf(buf, n, "0");
	return buf;
}
