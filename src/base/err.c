/* err: the error table expanded into lookups, and the first-error-wins setters. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

struct err_row {
	const char *name;
	int exit_status;
	int http_status;
	const char *message;
};

#define ERR_ROW_(name, code, exitc, http, msg) {code, exitc, http, msg},
static const struct err_row err_rows[] = {ERR_TABLE(ERR_ROW_)};
#undef ERR_ROW_

static const struct err_row *err_row(int code)
{
	int idx = -code;
	if (idx < 0 || idx >= ERR_COUNT_)
		idx = ERR_FAILED_IDX;
	return &err_rows[idx];
}

int err_set(struct error *err, int code, const char *fmt, ...)
{
	if (!err || err->code)
		return err ? err->code : code;
	err->code = code;
	err->detail[0] = err->hint[0] = '\0';
	err->detail_private = false;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err->message, sizeof err->message, fmt, ap);
		va_end(ap);
	} else {
		snprintf(err->message, sizeof err->message, "%s", err_row(code)->message);
	}
	return code;
}

/* The first detail set stays: false when err already has one (or no error). */
static bool detail_set(struct error *err, const char *fmt, va_list ap)
{
	if (!err || !err->code || err->detail[0])
		return false;
	vsnprintf(err->detail, sizeof err->detail, fmt, ap);
	return true;
}

void err_detail(struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	detail_set(err, fmt, ap);
	va_end(ap);
}

void err_detail_private(struct error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (detail_set(err, fmt, ap))
		err->detail_private = true;
	va_end(ap);
}

void err_append_detail(struct error *err, const char *fmt, ...)
{
	if (!err || !err->code)
		return;
	size_t len = strlen(err->detail);
	if (len && len + 2 < sizeof err->detail) {
		memcpy(err->detail + len, "; ", 3);
		len += 2;
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->detail + len, sizeof err->detail - len, fmt, ap);
	va_end(ap);
}

void err_hint(struct error *err, const char *fmt, ...)
{
	if (!err || !err->code || err->hint[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof err->hint, fmt, ap);
	va_end(ap);
}

void err_clear(struct error *err)
{
	memset(err, 0, sizeof *err);
}

const char *err_code_name(int code)
{
	return err_row(code)->name;
}
int err_exit_status(int code)
{
	return code == 0 ? 0 : err_row(code)->exit_status;
}
int err_http_status(int code)
{
	return err_row(code)->http_status;
}

bool err_detail_internal(int code)
{
	/* Busy too: SQLite's busy timeout can end an open (detail: the file)
	 * or a prepare (detail: the SQL), not only a step. */
	return code == ERR_STORE || code == ERR_IO || code == ERR_BUSY;
}
