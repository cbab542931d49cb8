/* Fuzz target: time parsing; whatever parses (as text, or as an epoch count
 * in the first 9 bytes) must format and parse back to the same instant, and
 * the strict and payload parses must agree with the lenient one wherever
 * they succeed. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/mem.h"
#include "base/ts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct error err = {0};
	int64_t ms, again;
	if (ts_parse(text, &ms, &err) == 0) {
		char buf[TS_BUF];
		if (ts_parse(ts_format(ms, buf), &again, &err) != 0 || again != ms)
			BUG("'%s' parsed to %lld but did not round-trip through %s", text,
			    (long long)ms, buf);
	}
	/* What the strict form accepts, the lenient one reads the same. */
	if (ts_parse_strict(text, &again, &err) == 0 &&
	    (ts_parse(text, &ms, &err) != 0 || ms != again))
		BUG("'%s' parsed strictly to %lld but not so leniently", text, (long long)again);
	/* A payload time reads as the lenient parse does, but for a leap second
	 * (23:59:59.999 rather than :59 and its fraction), and round-trips. */
	if (ts_parse_payload(text, &again, &err) == 0) {
		char buf[TS_BUF];
		int64_t back;
		if (ts_parse(text, &ms, &err) != 0 || again < ms || again - ms >= 1000)
			BUG("'%s' parsed as a payload time to %lld but leniently to %lld", text,
			    (long long)again, (long long)ms);
		if (ts_parse_payload(ts_format(again, buf), &back, &err) != 0 || back != again)
			BUG("payload time '%s' did not round-trip through %s", text, buf);
	}
	free(text);
	if (size >= 9) {
		int64_t v;
		memcpy(&v, data, sizeof v);
		err_clear(&err);
		if (ts_from_epoch(v, (enum ts_unit)(data[8] % 4), &ms, &err) == 0) {
			char buf[TS_BUF];
			if (ts_parse(ts_format(ms, buf), &again, &err) != 0 || again != ms)
				BUG("epoch %lld unit %d gave %lld, which did not round-trip "
				    "through %s",
				    (long long)v, data[8] % 4, (long long)ms, buf);
		}
	}
	return 0;
}
