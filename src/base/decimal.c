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

/* Trailing zeros (and a bare point) off a fixed text: "2.50" is "2.5". */
static void strip_zeros(char *buf)
{
	if (!strchr(buf, '.'))
		return;
	size_t len = strlen(buf);
	while (len > 0 && buf[len - 1] == '0')
		buf[--len] = '\0';
	if (len > 0 && buf[len - 1] == '.')
		buf[--len] = '\0';
}

/* The decimals `digits` significant digits of x take, as decimal_format's. */
static int places_of(double x, int digits)
{
	int places = x != 0 ? digits - 1 - (int)floor(log10(fabs(x))) : 0;
	return places < 0 ? 0 : places > 15 ? 15 : places;
}

const char *decimal_format(char *buf, size_t n, double v, int digits)
{
	if (!isfinite(v)) {
		snprintf(buf, n, "%g", v);
		return buf;
	}
	snprintf(buf, n, "%.*f", places_of(v, digits), v);
	strip_zeros(buf);
	if (!strcmp(buf, "-0"))
		snprintf(buf, n, "0");
	return buf;
}

/* -1, 0 or 1 as a is below, on or above b. */
static int side(double a, double b)
{
	return (a > b) - (a < b);
}

/* The first of marks[] (scaled) that text p is not on v's side of, or on
 * when v is not: its value as shown into *shown, v's side of it into *want.
 * False when none. */
static bool wrong_side(double p, double v, double scale, const double *marks, size_t nmarks,
                       double *shown, int *want)
{
	for (size_t i = 0; i < nmarks; i++) {
		/* The mark as a reader sees it (a target to 12 digits): the binary
		 * product of 0.99999 and 100 is 99.99900000000001. */
		char text[48];
		double m = strtod(decimal_format(text, sizeof text, marks[i] * scale, 12), NULL);
		if (side(p, m) != side(v, marks[i])) {
			*shown = m;
			*want = side(v, marks[i]);
			return true;
		}
	}
	return false;
}

/* v * scale with more digits until its text is on v's side of 0, of each
 * of fixed[] and of each of marks[] (see decimal_marked). */
static const char *marked(char *buf, size_t n, double v, double scale, const double *fixed,
                          size_t nfixed, int digits, int decimals, const double *marks,
                          size_t nmarks)
{
	if (v == 0)
		v = 0; /* -0.0 is 0, not "-0.0" */
	double x = v * scale;
	if (!isfinite(x))
		return decimal_format(buf, n, x, digits);
	/* 12 significant digits, or 9 decimals and as many as the first
	 * significant digit of x takes, at most 15. */
	int most = digits ? 12 : places_of(x, 1) > 9 ? places_of(x, 1) : 9;
	for (;;) {
		if (digits)
			decimal_format(buf, n, x, digits);
		else
			snprintf(buf, n, "%.*f", decimals, x);
		double p = strtod(buf, NULL), mark;
		int want;
		if (!wrong_side(p, v, scale, fixed, nfixed, &mark, &want) &&
		    !wrong_side(p, v, scale, marks, nmarks, &mark, &want))
			return buf;
		if (digits && digits < most) {
			digits++;
			continue;
		}
		if (!digits && decimals < most) {
			decimals++;
			continue;
		}
		/* Still on the mark (or past it) at the most digits: v is within a
		 * unit of the last place of it, so the next number at those digits
		 * on v's side of the mark is written (the mark when v is on it). */
		int places = digits ? places_of(x, digits) : decimals;
		double unit = pow(10, places), q = mark * unit, k = nearbyint(q);
		if (fabs(q - k) > 1e-3) /* the mark is finer than the places */
			k = want < 0 ? floor(q) : ceil(q);
		else
			k += want;
		snprintf(buf, n, "%.*f", places, k / unit);
		if (digits)
			strip_zeros(buf);
		return buf;
	}
}

const char *decimal_marked(char *buf, size_t n, double v, int digits, int decimals,
                           const double *marks, size_t nmarks)
{
	static const double zero[] = {0};
	return marked(buf, n, v, 1, zero, 1, digits, decimals, marks, nmarks);
}

const char *decimal_percent_marked(char *buf, size_t n, double v, int digits, int decimals,
                                   const double *marks, size_t nmarks)
{
	/* 0 and the whole: an SLO's 99.996% read "100%", as if nothing had
	 * failed, and a change failure rate of 0.04% "0.0%", as if none had. */
	static const double ends[] = {0, 1};
	return marked(buf, n, v, 100, ends, 2, digits, decimals, marks, nmarks);
}

const char *decimal_percent(char *buf, size_t n, double v, int digits, int decimals)
{
	return decimal_percent_marked(buf, n, v, digits, decimals, NULL, 0);
}

/* decimal_signed, or decimal_fixed without sign: one rule for zero. */
static const char *fixed(char *buf, size_t n, double v, int decimals, bool sign)
{
	if (sign)
		snprintf(buf, n, "%+.*f", decimals, v);
	else
		snprintf(buf, n, "%.*f", decimals, v);
	if (isfinite(v) && buf[strspn(buf, "+-0.")] == '\0')
		snprintf(buf, n, "%.*f", decimals, 0.0);
	return buf;
}

const char *decimal_signed(char *buf, size_t n, double v, int decimals)
{
	return fixed(buf, n, v, decimals, true);
}

const char *decimal_fixed(char *buf, size_t n, double v, int decimals)
{
	return fixed(buf, n, v, decimals, false);
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
