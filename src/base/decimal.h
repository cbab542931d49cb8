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

/* The number s writes into *out; false (and *out untouched) when s is not
 * one as above or is out of a double's range. */
bool decimal_parse(const char *s, double *out);

/* v in buf (of n bytes) with `digits` significant digits, as a person
 * writes it: never an exponent (printf's %.4g wrote 12346 as 1.235e+04),
 * whole digits kept (12346), no trailing zeros (1.78, 0.5714, 0).  inf
 * and nan as printf writes them.  Returns buf. */
const char *decimal_format(char *buf, size_t n, double v, int digits);

#endif
