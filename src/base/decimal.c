/* decimal: numbers as people write them (see decimal.h). */
#include "base/decimal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

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
