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

enum decimal_status decimal_read(const char *s, double *out)
{
	const char *c = s + (*s == '-');
	const char *end = digits(c);
	if (end == c)
		return DECIMAL_NOT_A_NUMBER;
	if (*end == '.') {
		const char *frac = end + 1;
		if ((end = digits(frac)) == frac)
			return DECIMAL_NOT_A_NUMBER;
	}
	if (*end == 'e' || *end == 'E') {
		const char *exp = end + 1 + (end[1] == '-' || end[1] == '+');
		if ((end = digits(exp)) == exp)
			return DECIMAL_NOT_A_NUMBER;
	}
	if (*end)
		return DECIMAL_NOT_A_NUMBER;
	/* The text is checked above; strtod only converts it (rounded once). */
	errno = 0;
	double v = strtod(s, NULL);
	if (errno == ERANGE || !isfinite(v))
		return fabs(v) < 1 ? DECIMAL_UNDERFLOW : DECIMAL_OVERFLOW;
	*out = v;
	return DECIMAL_OK;
}

bool decimal_parse(const char *s, double *out)
{
	return decimal_read(s, out) == DECIMAL_OK;
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

const char *decimal_percent(char *buf, size_t n, double v, int digits, int decimals)
{
	for (;;) {
		if (digits > 0)
			decimal_format(buf, n, v * 100, digits);
		else
			snprintf(buf, n, "%.*f", decimals, v * 100);
		/* Nor one other than 0 as 0: a change failure rate of 0.04% read
		 * "0.0%", as if nothing had failed, and a budget overspent by a
		 * millionth "-0.000%".  Its first significant digit shows it. */
		if (v != 0 && strtod(buf, NULL) == 0)
			return decimal_format(buf, n, v * 100, 1);
		if (!(v < 1 && strtod(buf, NULL) >= 100))
			return buf;
		if (digits >= 12 || (!digits && decimals >= 9)) {
			/* Still 100 at the most digits: cut, not rounded up (a
			 * value within 1e-10 of 100 here, so 10 or 9 decimals). */
			int places = digits ? digits - 2 : decimals;
			double scale = pow(10, places);
			snprintf(buf, n, "%.*f", places, floor(v * 100 * scale) / scale);
			return buf;
		}
		if (digits > 0)
			digits++;
		else
			decimals++;
	}
}

bool decimal_round_ratio(int64_t num, int64_t den, int places, double *out)
{
	if (den == 0 || places < 0 || places > 9 || num == INT64_MIN || den == INT64_MIN)
		return false;
	if (den < 0) {
		num = -num;
		den = -den;
	}
	int64_t scale = 1;
	for (int i = 0; i < places; i++)
		scale *= 10;
	/* num / den = whole + rest / den, |rest| < den; in units of
	 * 10^-places the fraction is part + left / den, |left| < den. */
	int64_t whole = num / den, rest = num % den, scaled_rest;
	if (__builtin_mul_overflow(rest, scale, &scaled_rest))
		return false;
	int64_t part = scaled_rest / den, left = scaled_rest % den;
	int64_t away = left < 0 ? -left : left;
	if (away >= den - away) /* half or more of a unit: away from zero */
		part += num < 0 ? -1 : 1;
	int64_t units;
	if (__builtin_mul_overflow(whole, scale, &units) ||
	    __builtin_add_overflow(units, part, &units))
		return false;
	*out = (double)units / (double)scale;
	return true;
}
