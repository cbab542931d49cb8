/*
 * decimal: a number as people write one in a file, a form or on a command
 * line: an optional '-', digits with an optional fraction, and an optional
 * exponent (2.5, -1, 1e2, 4.0E-3, as spreadsheets and R write them).  Not
 * the rest of what strtod takes, which a person writing a score did not
 * mean: spaces, '+', hex ("0x10", "0x1p4"), inf, nan, or a bare ".5" or
 * "5.".  And a number written back for people: no exponent.  Pure;
 * thread-safe.
 */
#ifndef PLUMB_DECIMAL_H
#define PLUMB_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The number s writes into *out; false (and *out untouched) when s is not
 * one as above or is out of a double's range. */
bool decimal_parse(const char *s, double *out);
/* As decimal_parse, saying what is wrong: a number too large for a double
 * (1e400), or nonzero and too small for one to hold at full precision
 * (1e-400, or 1e-310 below DBL_MIN), is out of range, not "not a number". */
enum decimal_status {
	DECIMAL_OK,
	DECIMAL_NOT_A_NUMBER,
	DECIMAL_OVERFLOW,
	DECIMAL_UNDERFLOW,
};
enum decimal_status decimal_read(const char *s, double *out);

/* v in buf (of n bytes) with `digits` significant digits, as a person
 * writes it: never an exponent (printf's %.4g wrote 12346 as 1.235e+04),
 * whole digits kept (12346), no trailing zeros (1.78, 0.5714, 0).  inf
 * and nan as printf writes them.  Returns buf. */
const char *decimal_format(char *buf, size_t n, double v, int digits);
/* The digits that write a stored value as it is, for a reader to compare
 * with bounds in a file (0.9999996 is not "at least 1"), in 48 bytes. */
#define DECIMAL_EXACT 15

/* v in buf (of n bytes) with `digits` significant digits (decimal_format),
 * or with `decimals` fixed decimals when digits is 0, and more digits (up
 * to 12 significant, or 9 decimals and as many as v's first significant
 * digit takes) until the text reads on the side of each of the nmarks
 * marks[] that v is on, and on a mark only when v is: the marks a reader
 * judges v against (an SLO's target, a band's edges), for a lead time of
 * 23.96 h read "24.0 h" beside a band that starts at 24 h.  0 is always a
 * mark: a v other than 0 is never written as 0 (or "-0.0").  A mark is
 * taken as written to 12 significant digits, as a target is shown; a v
 * still on the wrong side at the most digits (within a unit of their last
 * place) is written as the next number at them on its side.  Returns buf. */
const char *decimal_marked(char *buf, size_t n, double v, int digits, int decimals,
                           const double *marks, size_t nmarks);
/* The fraction v (0.055) as a percentage without the sign ("5.5"), as
 * decimal_marked writes v * 100 against marks[] * 100, with 0 and 1 always
 * among the marks: a fraction below 1 is never written as 100, for an SLO's
 * 99.996% read "100%", as if nothing had failed, nor one other than 0 as 0
 * (0.0004 is "0.04").  Returns buf. */
const char *decimal_percent_marked(char *buf, size_t n, double v, int digits, int decimals,
                                   const double *marks, size_t nmarks);
/* decimal_percent_marked without marks of the caller's. */
const char *decimal_percent(char *buf, size_t n, double v, int digits, int decimals);

/* v in buf (of n bytes) to `decimals` fixed decimals with its sign, as a
 * difference is written ("+0.31", "-0.12"), but one that reads as zero at
 * them unsigned ("0.00"): printf's "%+.2f" wrote -0.001 as "-0.00" and 0
 * as "+0.00", a direction where there is none.  inf and nan as printf
 * writes them.  Returns buf. */
const char *decimal_signed(char *buf, size_t n, double v, int decimals);
/* The same without a sign on a positive v ("0.812", "-0.120"), for a value
 * that is no difference (a correlation): a negative one reading as zero is
 * "0.000", not "-0.000".  Returns buf. */
const char *decimal_fixed(char *buf, size_t n, double v, int decimals);

/* The quotient num / den rounded to `places` decimals (0 to 9), half away
 * from zero, decided on the exact quotient in integers, not on a double near
 * it: 107/40 (2.675, whose nearest double is 2.67499999...) is 2.68, and
 * -107/40 is -2.68, where round(v * 100) / 100 and printf's "%.2f" give 2.67.
 * *out is the double nearest that decimal, which "%.*f" with the same places
 * prints as that decimal, and a JSON writer's shortest form writes as it
 * (3.13, not 3.1299999999999999).  False (*out untouched) when den is 0,
 * places is out of range, or the scaled quotient would overflow int64_t. */
bool decimal_round_ratio(int64_t num, int64_t den, int places, double *out);

#endif
