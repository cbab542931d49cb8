/*
 * mail: one email over SMTP and one chat-webhook post, each on its own
 * libcurl easy handle.  Every string that can reach a message goes through
 * mail_clean first: control bytes out, the password and the webhook URL's
 * path and query (and each query value) redacted.
 */
#include "review/mail.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sodium.h>
#include <strings.h>

#include "base/dyncurl.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"

#ifndef PLUMB_VERSION
#define PLUMB_VERSION "dev"
#endif

#define MAIL_LINE_SOFT  78  /* RFC 5322 2.1.1: header lines SHOULD stay within */
#define MAIL_LINE_HARD  998 /* and MUST */
#define MAIL_QP_LINE    76  /* RFC 2045 6.7: encoded lines at most */
#define MAIL_WORD_BYTES 45  /* text per encoded word: 60 base64 chars, a word of 72 */
#define MAIL_WORD_EXTRA 12  /* "=?UTF-8?B?" and "?=" */
#define MAIL_DETAIL     200 /* bytes of a webhook's answer in an error */
#define MAIL_ANSWER_MAX 4096
#define MAIL_REDACTED   "<redacted>"
#define MAIL_SECRET_MIN 8 /* a shorter URL path is not worth hiding everywhere */

static int mail_curl(CURL **out, struct error *err)
{
	*out = NULL;
	int rc = dyncurl_load(err);
	if (rc < 0)
		return rc;
	*out = libcurl.curl_easy_init();
	if (!*out)
		return err_set(err, ERR_FAILED, "cannot start libcurl: curl_easy_init failed");
	return 0;
}

/* Timeouts (0: the defaults) and the buffer for libcurl's own words on a failure. */
static void mail_limits(CURL *curl, long timeout_ms, long connect_timeout_ms,
                        char curl_text[CURL_ERROR_SIZE])
{
	libcurl.curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS,
	                         timeout_ms > 0 ? timeout_ms : MAIL_TIMEOUT_MS);
	libcurl.curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
	                         connect_timeout_ms > 0 ? connect_timeout_ms
	                                                : MAIL_CONNECT_TIMEOUT_MS);
	libcurl.curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_text);
}

/* ---- text that may reach a message ---- */

/* Append text[0..len) with each secret replaced by <redacted> and control
 * bytes by '?'.  secrets is NULL-terminated; short or NULL ones are skipped. */
static void mail_clean(struct sb *out, const char *text, size_t len, const char *const *secrets)
{
	size_t i = 0;
	while (i < len) {
		size_t hit = 0;
		for (const char *const *s = secrets; s && *s && !hit; s++) {
			size_t n = strlen(*s);
			if (n >= MAIL_SECRET_MIN && n <= len - i && !memcmp(text + i, *s, n))
				hit = n;
		}
		if (hit) {
			sb_puts(out, MAIL_REDACTED);
			i += hit;
			continue;
		}
		unsigned char ch = (unsigned char)text[i++];
		sb_putc(out, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
}

/* "scheme://host[:port]" of url, for messages: no userinfo, path or query
 * (a webhook's path is its secret).  Into out. */
static void mail_server_name(struct sb *out, const char *url)
{
	CURLU *u = libcurl.curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL;
	if (u &&
	    libcurl.curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    libcurl.curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    libcurl.curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		struct sb raw = SB_INIT;
		sb_printf(&raw, "%s://%s", scheme, host);
		if (libcurl.curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			sb_printf(&raw, ":%s", port);
		mail_clean(out, raw.buf, raw.len, NULL);
		sb_release(&raw);
	} else {
		sb_puts(out, "(an unreadable URL)");
	}
	libcurl.curl_free(scheme);
	libcurl.curl_free(host);
	libcurl.curl_free(port);
	libcurl.curl_url_cleanup(u);
}

/* The secrets of a webhook URL, for mail_clean: NULL-terminated, longest
 * first (so a secret inside a longer one does not leave the rest behind),
 * each malloc'd; mail_secrets_free frees them.  Growth is bounded by the
 * URL's length. */
struct mail_secrets {
	char **items;
	size_t n, alloc;
};

static void mail_secrets_add(struct mail_secrets *s, const char *text, size_t len)
{
	if (len < MAIL_SECRET_MIN)
		return;
	s->items = xgrow(s->items, s->n + 1, &s->alloc, sizeof *s->items);
	s->items[s->n++] = xstrndup(text, len);
	s->items[s->n] = NULL;
}

/* query whole, then each parameter's value (what follows its first '='). */
static void mail_secrets_add_query(struct mail_secrets *s, const char *query)
{
	mail_secrets_add(s, query, strlen(query));
	for (const char *p = query; *p;) {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		if (eq)
			mail_secrets_add(s, eq + 1, n - (size_t)(eq + 1 - p));
		p += n + (p[n] == '&');
	}
}

static int mail_longer_first(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);
	return la < lb ? 1 : la > lb ? -1 : 0;
}

/* What of url must never reach a message: the whole URL, its password, its
 * path, and its query with each value, as written and decoded. */
static void mail_url_secrets(const char *url, struct mail_secrets *out)
{
	memset(out, 0, sizeof *out);
	mail_secrets_add(out, url, strlen(url));
	CURLU *u = libcurl.curl_url();
	if (u && libcurl.curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK) {
		static const struct {
			CURLUPart part;
			unsigned flags;
		} parts[] = {
		        {CURLUPART_PASSWORD, 0},
		        {CURLUPART_PATH, 0},
		        {CURLUPART_QUERY, 0},
		        {CURLUPART_QUERY, CURLU_URLDECODE},
		};
		for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
			char *text = NULL;
			if (libcurl.curl_url_get(u, parts[i].part, &text, parts[i].flags) ==
			            CURLUE_OK &&
			    text) {
				if (parts[i].part == CURLUPART_QUERY)
					mail_secrets_add_query(out, text);
				else if (parts[i].part != CURLUPART_PATH || strlen(text) > 1)
					mail_secrets_add(out, text, strlen(text));
			}
			libcurl.curl_free(text);
		}
	}
	libcurl.curl_url_cleanup(u);
	if (out->n)
		qsort(out->items, out->n, sizeof *out->items, mail_longer_first);
}

static void mail_secrets_free(struct mail_secrets *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->items[i]);
	free(s->items);
	memset(s, 0, sizeof *s);
}

/* Whether url parses, has a host, and its scheme is one of schemes ("a,b"). */
static bool mail_url_ok(const char *url, const char *scheme_a, const char *scheme_b)
{
	CURLU *u = libcurl.curl_url();
	char *scheme = NULL, *host = NULL;
	bool ok = u && url &&
	          libcurl.curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
	                  CURLUE_OK &&
	          libcurl.curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	          libcurl.curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host &&
	          (!strcasecmp(scheme, scheme_a) || !strcasecmp(scheme, scheme_b));
	libcurl.curl_free(scheme);
	libcurl.curl_free(host);
	libcurl.curl_url_cleanup(u);
	return ok;
}

bool mail_loopback_host(const char *host)
{
	if (!host)
		return false;
	struct in_addr v4;
	struct in6_addr v6;
	char bare[INET6_ADDRSTRLEN + 1];
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof bare) {
		memcpy(bare, host + 1, n - 2);
		bare[n - 2] = '\0';
		return inet_pton(AF_INET6, bare, &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
	}
	if (inet_pton(AF_INET, host, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6);
	return !strcasecmp(host, "localhost");
}

static bool mail_loopback(const char *url)
{
	CURLU *u = libcurl.curl_url();
	char *host = NULL;
	bool loop = u &&
	            libcurl.curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) ==
	                    CURLUE_OK &&
	            libcurl.curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
	            mail_loopback_host(host);
	libcurl.curl_free(host);
	libcurl.curl_url_cleanup(u);
	return loop;
}

/* ---- checks ---- */

bool mail_address_valid(const char *address)
{
	if (!address)
		return false;
	const char *at = strrchr(address, '@');
	if (!at || at == address || !at[1] || strlen(address) > 254)
		return false;
	for (const char *p = address; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch <= 0x20 || ch >= 0x7f || strchr("<>()[],;:\\\"", ch))
			return false;
		if (ch == '@' && p != at)
			return false;
	}
	return strchr(at + 1, '.') != NULL || !strcmp(at + 1, "localhost");
}

static bool mail_has_ctl(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	return false;
}

int mail_smtp_check(const struct mail_smtp *smtp, struct error *err)
{
	int rc = dyncurl_load(err); /* URLs are read with libcurl's parser */
	if (rc < 0)
		return rc;
	if (!mail_url_ok(smtp->url, "smtp", "smtps")) {
		err_set(err, ERR_USAGE, "--smtp-url: '%s' is not an SMTP URL",
		        smtp->url ? smtp->url : "");
		err_hint(err, "give smtp://HOST[:PORT] (STARTTLS when offered) or "
		              "smtps://HOST[:PORT]; the login goes in --smtp-user and "
		              "--smtp-password-env, not in the URL");
		return ERR_USAGE;
	}
	if (!mail_address_valid(smtp->from)) {
		err_set(err, ERR_USAGE, "--from: '%s' is not an email address",
		        smtp->from ? smtp->from : "");
		err_hint(err, "give the sender as NAME@DOMAIN, for example plumb@example.com");
		return ERR_USAGE;
	}
	if (smtp->from_name && (mail_has_ctl(smtp->from_name) ||
	                        !utf8_valid(smtp->from_name, strlen(smtp->from_name))))
		return err_set(err, ERR_USAGE, "the sender's name must be one line of UTF-8");
	if (smtp->user && (!*smtp->user || mail_has_ctl(smtp->user)))
		return err_set(err, ERR_USAGE, "--smtp-user: expected a user name on one line");
	if (!smtp->user != !smtp->password) {
		err_set(err, ERR_USAGE, "%s",
		        smtp->user ? "--smtp-user needs --smtp-password-env"
		                   : "--smtp-password-env needs --smtp-user");
		err_hint(err, "the SMTP login is a user name and the NAME of an environment "
		              "variable holding its password");
		return ERR_USAGE;
	}
	if (smtp->password && (!*smtp->password || mail_has_ctl(smtp->password))) {
		err_set(err, ERR_USAGE, "$%s: the SMTP password is empty or has a line break",
		        smtp->password_env ? smtp->password_env : "?");
		return ERR_USAGE;
	}
	return 0;
}

int mail_chat_check(const struct mail_chat *chat, struct error *err)
{
	int rc = dyncurl_load(err);
	if (rc < 0)
		return rc;
	const char *env = chat->url_env ? chat->url_env : "?";
	if (!mail_url_ok(chat->url, "http", "https")) {
		/* Not quoted: the URL is a secret. */
		err_set(err, ERR_USAGE, "$%s: not an http or https URL", env);
		err_hint(err, "set $%s to the chat's incoming-webhook URL", env);
		return ERR_USAGE;
	}
	return 0;
}

/* ---- the message ---- */

static bool mail_plain_ascii(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p >= 0x7f)
			return false;
	return strstr(s, "=?") == NULL; /* would read as an encoded word */
}

/* s with control bytes as spaces: header text is one line. */
static char *mail_one_line(const char *s)
{
	char *copy = xstrdup(s ? s : "");
	for (char *p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return copy;
}

/* Append ASCII header text from column col, folded before a space where a
 * line would pass MAIL_LINE_SOFT. */
static void mail_fold_ascii(struct sb *out, const char *s, size_t col)
{
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p + 1, " ") + 1; /* a word with the space before it */
		if (*p == ' ' && col + n > MAIL_LINE_SOFT && col > 1) {
			sb_puts(out, "\r\n");
			col = 0;
		}
		sb_add(out, p, n);
		col += n;
		p += n;
	}
}

/* Append UTF-8 text as RFC 2047 "B" encoded words from column col, each
 * holding whole characters, folded so lines stay within MAIL_LINE_SOFT.
 * Returns the column after the last word. */
static size_t mail_encoded_words(struct sb *out, const char *s, size_t col)
{
	size_t len = strlen(s), i = 0;
	while (i < len) {
		if (col + MAIL_WORD_EXTRA + 8 > MAIL_LINE_SOFT) {
			sb_puts(out, "\r\n ");
			col = 1;
		}
		size_t room = (MAIL_LINE_SOFT - col - MAIL_WORD_EXTRA) / 4 * 3;
		size_t n = room < MAIL_WORD_BYTES ? room : MAIL_WORD_BYTES;
		if (n > len - i)
			n = len - i;
		/* Back off to a character boundary (a continuation byte is 10xxxxxx). */
		while (n > 0 && i + n < len && ((unsigned char)s[i + n] & 0xC0) == 0x80)
			n--;
		char b64[sodium_base64_ENCODED_LEN(MAIL_WORD_BYTES,
		                                   sodium_base64_VARIANT_ORIGINAL)];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, n,
		                  sodium_base64_VARIANT_ORIGINAL);
		sb_printf(out, "=?UTF-8?B?%s?=", b64);
		col += MAIL_WORD_EXTRA + strlen(b64);
		i += n;
		if (i < len) {
			sb_puts(out, "\r\n ");
			col = 1;
		}
	}
	return col;
}

/* "Name: text\r\n", encoded as the text needs. */
static void mail_header_text(struct sb *out, const char *name, const char *text)
{
	char *line = mail_one_line(text);
	sb_printf(out, "%s: ", name);
	if (mail_plain_ascii(line))
		mail_fold_ascii(out, line, strlen(name) + 2);
	else
		mail_encoded_words(out, line, strlen(name) + 2);
	sb_puts(out, "\r\n");
	free(line);
}

/* "Name: \"display\" <address>\r\n", or the bare address without a name. */
static void mail_header_address(struct sb *out, const char *name, const char *display,
                                const char *address)
{
	sb_printf(out, "%s: ", name);
	char *phrase = mail_one_line(display);
	if (!*phrase) {
		sb_puts(out, address);
	} else if (mail_plain_ascii(phrase)) {
		sb_putc(out, '"');
		for (const char *p = phrase; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(out, '\\');
			sb_putc(out, *p);
		}
		sb_printf(out, "\" <%s>", address);
	} else {
		size_t col = mail_encoded_words(out, phrase, strlen(name) + 2);
		/* Fold before the address when it would pass the line. */
		sb_puts(out, col + strlen(address) + 3 > MAIL_LINE_SOFT ? "\r\n <" : " <");
		sb_printf(out, "%s>", address);
	}
	sb_puts(out, "\r\n");
	free(phrase);
}

/* RFC 5322 3.3: "Sun, 29 Nov 2026 09:44:32 +0000". */
static void mail_header_date(struct sb *out, int64_t ms)
{
	static const char *const wday[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
	int64_t secs = ms / 1000 - (ms % 1000 < 0);
	int64_t days = secs / 86400 - (secs % 86400 < 0);
	int64_t in_day = secs - days * 86400;
	int y;
	unsigned m, d;
	ts_civil_from_days(days, &y, &m, &d);
	sb_printf(out, "Date: %s, %u %s %04d %02d:%02d:%02d +0000\r\n", wday[((days % 7) + 7) % 7],
	          d, ts_month_abbr(m), y, (int)(in_day / 3600), (int)(in_day / 60 % 60),
	          (int)(in_day % 60));
}

/* Whether the body must be quoted-printable: bytes beyond ASCII, control
 * bytes other than tab, or lines too long for SMTP. */
static bool mail_needs_qp(const char *text)
{
	size_t line = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		if (*p == '\n') {
			line = 0;
			continue;
		}
		if (*p >= 0x7f || (*p < 0x20 && *p != '\t' && *p != '\r') ||
		    ++line > MAIL_LINE_HARD)
			return true;
	}
	return false;
}

/* One line (without its end) quoted-printable, with soft breaks so no
 * encoded line passes MAIL_QP_LINE, then CRLF. */
static void mail_qp_line(struct sb *out, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		bool last = i + 1 == n;
		char enc[3] = {(char)c, 0, 0};
		size_t w = 1;
		/* Spaces at a line's end are encoded: transports strip them. */
		if (!((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last))) {
			enc[0] = '=';
			enc[1] = hex[c >> 4];
			enc[2] = hex[c & 15];
			w = 3;
		}
		/* Room for the '=' of a soft break, except after the last one. */
		if (col + w > (last ? MAIL_QP_LINE : MAIL_QP_LINE - 1)) {
			sb_puts(out, "=\r\n");
			col = 0;
		}
		sb_add(out, enc, w);
		col += w;
	}
	sb_puts(out, "\r\n");
}

/* The body with CRLF line ends, quoted-printable when qp. */
static void mail_body(struct sb *out, const char *text, bool qp)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, "\n");
		size_t len = n > 0 && p[n - 1] == '\r' ? n - 1 : n;
		if (qp) {
			mail_qp_line(out, (const unsigned char *)p, len);
		} else {
			sb_add(out, p, len);
			sb_puts(out, "\r\n");
		}
		p += n;
		if (*p == '\n')
			p++;
	}
}

static bool mail_utf8(const char *s)
{
	return !s || utf8_valid(s, strlen(s));
}

int mail_format(const struct mail_smtp *smtp, const struct mail_message *m, struct sb *out,
                struct error *err)
{
	if (!mail_address_valid(smtp->from))
		return err_set(err, ERR_INVALID, "'%s' is not an email address",
		               smtp->from ? smtp->from : "");
	if (!mail_address_valid(m->to))
		return err_set(err, ERR_INVALID, "'%s' is not an email address",
		               m->to ? m->to : "");
	const char *id = m->message_id;
	if (!id || !strchr(id, '@') || strchr(id, '<') || strchr(id, '>') ||
	    !mail_address_valid(id))
		return err_set(err, ERR_INVALID, "'%s' is not a Message-ID", id ? id : "");
	if (!mail_utf8(m->subject) || !mail_utf8(m->text) || !mail_utf8(m->to_name) ||
	    !mail_utf8(smtp->from_name))
		return err_set(err, ERR_INVALID, "the mail to %s is not UTF-8 text", m->to);
	const char *text = m->text ? m->text : "";
	bool qp = mail_needs_qp(text);
	mail_header_date(out, m->date);
	mail_header_address(out, "From", smtp->from_name, smtp->from);
	mail_header_address(out, "To", m->to_name, m->to);
	mail_header_text(out, "Subject", m->subject ? m->subject : "");
	sb_printf(out, "Message-ID: <%s>\r\n", id);
	sb_puts(out, "MIME-Version: 1.0\r\n"
	             "Content-Type: text/plain; charset=UTF-8\r\n");
	sb_printf(out, "Content-Transfer-Encoding: %s\r\n", qp ? "quoted-printable" : "7bit");
	/* RFC 3834: no vacation auto-replies to a reminder. */
	sb_puts(out, "Auto-Submitted: auto-generated\r\n\r\n");
	mail_body(out, text, qp);
	return 0;
}

/* ---- SMTP ---- */

struct mail_upload {
	const char *buf;
	size_t len, pos;
};

static size_t mail_read(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct mail_upload *up = arg;
	size_t room = size * nmemb, left = up->len - up->pos;
	size_t n = left < room ? left : room;
	memcpy(dst, up->buf + up->pos, n);
	up->pos += n;
	return n;
}

/* Failures that say the server cannot be used at all, not this message. */
static bool mail_server_failure(CURLcode cc)
{
	switch (cc) {
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_USE_SSL_FAILED:
	case CURLE_LOGIN_DENIED:
	case CURLE_AUTH_ERROR:
	case CURLE_WEIRD_SERVER_REPLY:
	case CURLE_GOT_NOTHING:
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
		return true;
	default:
		return false;
	}
}

static int mail_smtp_error(const struct mail_smtp *smtp, const struct mail_message *m, CURLcode cc,
                           const char *curl_text, long reply, struct error *err)
{
	struct sb server = SB_INIT, what = SB_INIT;
	mail_server_name(&server, smtp->url);
	const char *secrets[] = {smtp->password, NULL};
	const char *raw = curl_text[0] ? curl_text : libcurl.curl_easy_strerror(cc);
	mail_clean(&what, raw, strlen(raw), secrets);
	int rc;
	if (mail_server_failure(cc)) {
		rc = err_set(err, ERR_IO, "%s: cannot send mail: %s", server.buf, what.buf);
		if (reply >= 400)
			err_detail(err, "the server's last reply was %ld", reply);
		if (cc == CURLE_LOGIN_DENIED || cc == CURLE_AUTH_ERROR)
			err_hint(err,
			         "the server refused the login of '%s'; check --smtp-user and "
			         "the password in $%s",
			         smtp->user ? smtp->user : "",
			         smtp->password_env ? smtp->password_env : "?");
		else if (cc == CURLE_USE_SSL_FAILED)
			err_hint(err, "a password is only sent over TLS: the server must offer "
			              "STARTTLS, or use smtps://");
		else
			err_hint(err, "is the SMTP server running and --smtp-url right?");
	} else {
		rc = err_set(err, ERR_FAILED, "%s: the mail to %s was refused: %s", server.buf,
		             m->to, what.buf);
		if (reply >= 400)
			err_detail(err, "SMTP reply %ld", reply);
	}
	sb_release(&server);
	sb_release(&what);
	return rc;
}

int mail_send(const struct mail_smtp *smtp, const struct mail_message *m, struct error *err)
{
	struct sb data = SB_INIT;
	int rc = mail_format(smtp, m, &data, err);
	CURL *curl = NULL;
	if (rc == 0)
		rc = mail_curl(&curl, err);
	if (rc < 0) {
		sb_release(&data);
		return rc;
	}
	char curl_text[CURL_ERROR_SIZE] = "";
	struct sb from = SB_INIT, to = SB_INIT;
	sb_printf(&from, "<%s>", smtp->from);
	sb_printf(&to, "<%s>", m->to);
	struct curl_slist *rcpt = libcurl.curl_slist_append(NULL, to.buf);
	struct mail_upload up = {data.buf, data.len, 0};
	libcurl.curl_easy_setopt(curl, CURLOPT_URL, smtp->url);
	libcurl.curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	libcurl.curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
	libcurl.curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.buf);
	libcurl.curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
	libcurl.curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
	libcurl.curl_easy_setopt(curl, CURLOPT_READFUNCTION, mail_read);
	libcurl.curl_easy_setopt(curl, CURLOPT_READDATA, &up);
	mail_limits(curl, smtp->timeout_ms, smtp->connect_timeout_ms, curl_text);
	/* STARTTLS when offered; a password leaves this host only over TLS. */
	libcurl.curl_easy_setopt(curl, CURLOPT_USE_SSL,
	                         smtp->password && !mail_loopback(smtp->url)
	                                 ? (long)CURLUSESSL_ALL
	                                 : (long)CURLUSESSL_TRY);
	if (smtp->user) {
		libcurl.curl_easy_setopt(curl, CURLOPT_USERNAME, smtp->user);
		libcurl.curl_easy_setopt(curl, CURLOPT_PASSWORD, smtp->password);
	}
	CURLcode cc = libcurl.curl_easy_perform(curl);
	long reply = 0;
	libcurl.curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
	if (cc != CURLE_OK)
		rc = mail_smtp_error(smtp, m, cc, curl_text, reply, err);
	libcurl.curl_easy_cleanup(curl);
	libcurl.curl_slist_free_all(rcpt);
	sb_release(&from);
	sb_release(&to);
	sb_release(&data);
	return rc;
}

/* ---- chat ---- */

struct mail_answer {
	struct sb body;
};

static size_t mail_on_answer(char *data, size_t size, size_t nmemb, void *arg)
{
	struct mail_answer *a = arg;
	size_t n = size * nmemb;
	if (a->body.len < MAIL_ANSWER_MAX)
		sb_add(&a->body, data,
		       n < MAIL_ANSWER_MAX - a->body.len ? n : MAIL_ANSWER_MAX - a->body.len);
	return n;
}

int mail_chat_post(const struct mail_chat *chat, const char *text, struct error *err)
{
	CURL *curl;
	int rc = mail_curl(&curl, err);
	if (rc < 0)
		return rc;
	struct sb body = SB_INIT, server = SB_INIT;
	sb_puts(&body, "{\"text\":");
	sb_json_str(&body, text ? text : "");
	sb_putc(&body, '}');
	mail_server_name(&server, chat->url);
	const char *env = chat->url_env ? chat->url_env : "?";
	struct mail_secrets hidden;
	mail_url_secrets(chat->url, &hidden);
	const char *const *secrets = (const char *const *)hidden.items;
	char curl_text[CURL_ERROR_SIZE] = "";
	struct mail_answer answer = {SB_INIT};
	struct curl_slist *headers =
	        libcurl.curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	libcurl.curl_easy_setopt(curl, CURLOPT_URL, chat->url);
	libcurl.curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	libcurl.curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	libcurl.curl_easy_setopt(curl, CURLOPT_POST, 1L);
	libcurl.curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.buf);
	libcurl.curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body.len);
	libcurl.curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	libcurl.curl_easy_setopt(curl, CURLOPT_USERAGENT, "plumb/" PLUMB_VERSION);
	libcurl.curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, mail_on_answer);
	libcurl.curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
	mail_limits(curl, chat->timeout_ms, chat->connect_timeout_ms, curl_text);
	CURLcode cc = libcurl.curl_easy_perform(curl);
	long status = 0;
	if (cc == CURLE_OK)
		libcurl.curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	struct sb what = SB_INIT;
	if (cc != CURLE_OK) {
		const char *raw = curl_text[0] ? curl_text : libcurl.curl_easy_strerror(cc);
		mail_clean(&what, raw, strlen(raw), secrets);
		rc = err_set(err, ERR_IO, "chat webhook %s (URL from $%s): cannot post: %s",
		             server.buf, env, what.buf);
		err_hint(err, "is the chat service reachable, and $%s its incoming-webhook URL?",
		         env);
	} else if (status < 200 || status > 299) {
		size_t n = answer.body.len < MAIL_DETAIL ? answer.body.len : MAIL_DETAIL;
		mail_clean(&what, answer.body.buf, n, secrets);
		rc = err_set(err, ERR_FAILED, "chat webhook %s (URL from $%s): answered HTTP %ld",
		             server.buf, env, status);
		err_detail(err, "response body%s: %s",
		           n < answer.body.len ? " (first 200 bytes)" : "",
		           n ? what.buf : "(empty)");
		if (status == 403 || status == 404 || status == 410)
			err_hint(err,
			         "the webhook may have been removed or its URL in $%s mistyped",
			         env);
	}
	libcurl.curl_easy_cleanup(curl);
	libcurl.curl_slist_free_all(headers);
	sb_release(&what);
	sb_release(&answer.body);
	sb_release(&server);
	sb_release(&body);
	mail_secrets_free(&hidden);
	return rc;
}
