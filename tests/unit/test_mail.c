/*
 * test_mail: the email text plumb builds (headers, RFC 2047 words,
 * quoted-printable, folding, header injection), byte for byte where the
 * expected text was written by hand; then real sends to
 * tests/smtp/smtp-sink.py (login, a refused recipient, dot-stuffing, an
 * unreachable server) and chat posts to tests/http/apiserver.py.  The live
 * tests skip when python3 is absent; run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/sb.h"
#include "review/mail.h"
#include "testutil.h"

#define DATE_MS    INT64_C(1795945472000) /* 2026-11-29T09:44:32Z, a Sunday */
#define PASSWORD   "s3cret-Passw0rd"
#define CHAT_PATH  "/hooks/T0001/B0002/XsecretXpathXtokenX"
#define GONE_PATH  "/hooks/T0001/B0002/XremovedXwebhookX"
#define KEYED_PATH "/hooks/T0001/B0002/XkeyedX"

static const struct mail_smtp smtp_plain = {
        .url = "smtp://127.0.0.1:1", .from = "plumb@example.com", .from_name = "plumb"};

static char *format(const struct mail_smtp *smtp, const struct mail_message *m)
{
	struct sb out = SB_INIT;
	struct error err = {0};
	int rc = mail_format(smtp, m, &out, &err);
	if (rc < 0)
		fail_msg("mail_format: %s", err.message);
	return sb_detach(&out, NULL);
}

static void ascii_message_exact(void **state)
{
	(void)state;
	struct mail_message m = {.to = "bo@example.com",
	                         .to_name = "Bo Chen",
	                         .subject = "Reminder: peer feedback",
	                         .text = "Hello\nLine two\n.starts with a dot\n",
	                         .message_id = "r1.x@example.com",
	                         .date = DATE_MS};
	char *got = format(&smtp_plain, &m);
	assert_string_equal(got, "Date: Sun, 29 Nov 2026 09:44:32 +0000\r\n"
	                         "From: \"plumb\" <plumb@example.com>\r\n"
	                         "To: \"Bo Chen\" <bo@example.com>\r\n"
	                         "Subject: Reminder: peer feedback\r\n"
	                         "Message-ID: <r1.x@example.com>\r\n"
	                         "MIME-Version: 1.0\r\n"
	                         "Content-Type: text/plain; charset=UTF-8\r\n"
	                         "Content-Transfer-Encoding: 7bit\r\n"
	                         "Auto-Submitted: auto-generated\r\n"
	                         "\r\n"
	                         "Hello\r\n"
	                         "Line two\r\n"
	                         ".starts with a dot\r\n"); /* curl stuffs the dot */
	free(got);
	/* CRLF input stays CRLF, a last line without an end gets one, no name
	 * gives the bare address, and quotes in a name are escaped. */
	m.text = "a\r\nb";
	m.to_name = "Bo \"B\" Chen";
	got = format(&(struct mail_smtp){.from = "p@example.com"}, &m);
	assert_non_null(strstr(got, "\r\nFrom: p@example.com\r\n"));
	assert_non_null(strstr(got, "\r\nTo: \"Bo \\\"B\\\" Chen\" <bo@example.com>\r\n"));
	assert_non_null(strstr(got, "\r\n\r\na\r\nb\r\n"));
	assert_int_equal(strlen(strstr(got, "\r\n\r\n")), strlen("\r\n\r\na\r\nb\r\n"));
	free(got);
}

static void utf8_words_and_quoted_printable(void **state)
{
	(void)state;
	struct mail_message m = {.to = "jose@example.com",
	                         .to_name = "José Núñez",
	                         .subject = "Peer feedback for José Núñez",
	                         .text = "Grüße, a=b\nend \n",
	                         .message_id = "r2@example.com",
	                         .date = DATE_MS};
	char *got = format(&smtp_plain, &m);
	/* base64 of the UTF-8 bytes, computed with Python's base64 module. */
	assert_non_null(
	        strstr(got, "\r\nTo: =?UTF-8?B?Sm9zw6kgTsO6w7Fleg==?= <jose@example.com>\r\n"));
	assert_non_null(strstr(
	        got, "\r\nSubject: =?UTF-8?B?UGVlciBmZWVkYmFjayBmb3IgSm9zw6kgTsO6w7Fleg==?=\r\n"));
	assert_non_null(strstr(got, "Content-Transfer-Encoding: quoted-printable\r\n"));
	/* ü is C3 BC, ß C3 9F, '=' is 3D, a space ending a line 20. */
	assert_non_null(strstr(got, "\r\n\r\nGr=C3=BC=C3=9Fe, a=3Db\r\nend=20\r\n"));
	free(got);
}

/* Every line of text (CRLF-separated) is at most max bytes. */
static void lines_within(const char *text, size_t max)
{
	const char *p = text;
	while (*p) {
		const char *e = strstr(p, "\r\n");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n > max)
			fail_msg("a line of %zu bytes (max %zu): %.*s", n, max, (int)n, p);
		p += n + (e ? 2 : 0);
	}
}

static void long_lines_fold(void **state)
{
	(void)state;
	struct sb text = SB_INIT, subject = SB_INIT, expect = SB_INIT;
	for (int i = 0; i < 100; i++) {
		sb_puts(&text, "é");
		sb_puts(&expect, "=C3=A9");
	}
	for (int i = 0; i < 30; i++)
		sb_printf(&subject, "%sword%d", i ? " " : "", i);
	struct mail_message m = {.to = "a@example.com",
	                         .subject = subject.buf,
	                         .text = text.buf,
	                         .message_id = "r3@example.com",
	                         .date = DATE_MS};
	char *got = format(&smtp_plain, &m);
	lines_within(got, 78);
	/* The subject unfolds to itself (RFC 5322 2.2.3: drop the CRLFs). */
	const char *s = strstr(got, "Subject: ") + 9, *end = strstr(s, "\r\nMessage-ID");
	struct sb unfolded = SB_INIT;
	for (const char *p = s; p < end; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			sb_putc(&unfolded, *p);
		else
			p++;
	assert_string_equal(unfolded.buf, subject.buf);
	assert_non_null(strstr(s, "\r\n "));
	/* Body lines of at most 76, =XX never split, soft breaks undone give it back. */
	const char *body = strstr(got, "\r\n\r\n") + 4;
	lines_within(body, 76);
	struct sb joined = SB_INIT;
	for (const char *p = body; *p; p++) {
		if (!strncmp(p, "=\r\n", 3))
			p += 2;
		else if (strncmp(p, "\r\n", 2))
			sb_putc(&joined, *p);
		else
			p++;
	}
	assert_string_equal(joined.buf, expect.buf);
	free(got);
	sb_release(&unfolded);
	sb_release(&joined);

	/* A long name beyond ASCII: several encoded words, each whole characters,
	 * that decode back to the name. */
	sb_reset(&subject);
	for (int i = 0; i < 20; i++)
		sb_puts(&subject, "Łódź ");
	m.subject = subject.buf;
	got = format(&smtp_plain, &m);
	lines_within(got, 78);
	s = strstr(got, "Subject: ") + 9;
	end = strstr(s, "\r\nMessage-ID");
	struct sb decoded = SB_INIT;
	int words = 0;
	for (const char *p = s; p < end;) {
		const char *w = strstr(p, "=?UTF-8?B?");
		if (!w || w >= end)
			break;
		const char *close = strstr(w + 10, "?=");
		assert_true(close - w + 2 <= 75);
		unsigned char bin[64];
		size_t n;
		assert_int_equal(sodium_base642bin(bin, sizeof bin, w + 10,
		                                   (size_t)(close - w - 10), NULL, &n, NULL,
		                                   sodium_base64_VARIANT_ORIGINAL),
		                 0);
		/* Whole characters: no word ends inside a UTF-8 sequence. */
		assert_true(n > 0 && (bin[n - 1] < 0x80 || (bin[n - 1] & 0xC0) == 0x80));
		assert_true((bin[0] & 0xC0) != 0x80);
		sb_add(&decoded, bin, n);
		words++;
		p = close + 2;
	}
	assert_true(words > 1);
	assert_string_equal(decoded.buf, subject.buf);
	free(got);
	sb_release(&decoded);
	sb_release(&text);
	sb_release(&subject);
	sb_release(&expect);
}

static void no_header_injection(void **state)
{
	(void)state;
	struct mail_message m = {.to = "bo@example.com",
	                         .to_name = "Bo\r\nBcc: eve@example.com",
	                         .subject = "Hi\r\nBcc: eve@example.com",
	                         .text = "x",
	                         .message_id = "r4@example.com",
	                         .date = DATE_MS};
	char *got = format(&smtp_plain, &m);
	assert_non_null(strstr(got, "\r\nSubject: Hi  Bcc: eve@example.com\r\n"));
	assert_non_null(strstr(got, "\r\nTo: \"Bo  Bcc: eve@example.com\" <bo@example.com>\r\n"));
	assert_null(strstr(got, "\r\nBcc"));
	free(got);

	struct sb out = SB_INIT;
	struct error err = {0};
	m.to = "bo@example.com>\r\nRCPT TO:<eve@example.com";
	assert_int_equal(mail_format(&smtp_plain, &m, &out, &err), ERR_INVALID);
	m.to = "bo@example.com";
	m.message_id = "no-at-sign";
	err_clear(&err);
	assert_int_equal(mail_format(&smtp_plain, &m, &out, &err), ERR_INVALID);
	m.message_id = "r4@example.com";
	m.subject = "bad \xff byte";
	err_clear(&err);
	assert_int_equal(mail_format(&smtp_plain, &m, &out, &err), ERR_INVALID);
	assert_int_equal(out.len, 0);
	sb_release(&out);
}

static void addresses_and_checks(void **state)
{
	(void)state;
	assert_true(mail_address_valid("ana.ruiz+review@example.co.uk"));
	assert_true(mail_address_valid("root@localhost"));
	assert_false(mail_address_valid("ana"));
	assert_false(mail_address_valid("@example.com"));
	assert_false(mail_address_valid("ana@"));
	assert_false(mail_address_valid("ana@example"));
	assert_false(mail_address_valid("a b@example.com"));
	assert_false(mail_address_valid("a@b@example.com"));
	assert_false(mail_address_valid("josé@example.com"));
	assert_false(mail_address_valid(NULL));

	struct error err = {0};
	struct mail_smtp s = {.url = "http://mail.example.com", .from = "p@example.com"};
	assert_int_equal(mail_smtp_check(&s, &err), ERR_USAGE);
	assert_non_null(strstr(err.message, "--smtp-url"));
	s.url = "smtps://mail.example.com:465";
	err_clear(&err);
	assert_int_equal(mail_smtp_check(&s, &err), 0);
	s.user = "plumb";
	assert_int_equal(mail_smtp_check(&s, &err), ERR_USAGE);
	assert_string_equal(err.message, "--smtp-user needs --smtp-password-env");
	s.password = "";
	s.password_env = "SMTP_PW";
	err_clear(&err);
	assert_int_equal(mail_smtp_check(&s, &err), ERR_USAGE);
	assert_non_null(strstr(err.message, "$SMTP_PW"));
	s.from = "nobody";
	s.password = "x";
	err_clear(&err);
	assert_int_equal(mail_smtp_check(&s, &err), ERR_USAGE);
	assert_non_null(strstr(err.message, "--from"));

	struct mail_chat c = {.url = "ftp://hooks.example.com/T1/secret", .url_env = "CHAT"};
	err_clear(&err);
	assert_int_equal(mail_chat_check(&c, &err), ERR_USAGE);
	assert_string_equal(err.message, "$CHAT: not an http or https URL");
	c.url = "https://hooks.example.com/T1/secret";
	assert_int_equal(mail_chat_check(&c, &err), 0);
}

/* ---- live: the SMTP sink and the chat webhook ---- */

struct helper {
	pid_t pid;
	char dir[256];
	char log[320];
	long port;
};
static struct helper sink, chat;

static bool have_python3(void)
{
	const char *path = getenv("PATH");
	while (path && *path) {
		size_t n = strcspn(path, ":");
		char exe[512];
		snprintf(exe, sizeof exe, "%.*s/python3", (int)n, path);
		if (n && access(exe, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Run python3 script --port-file F --log F extra... and wait for its port. */
static void helper_start(struct helper *h, const char *script, const char *const *extra)
{
	if (!have_python3())
		skip();
	if (access(script, R_OK) != 0)
		fail_msg("%s not found: run from the repository root", script);
	const char *tmp = getenv("TMPDIR");
	snprintf(h->dir, sizeof h->dir, "%s/plumb-mail.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(h->dir))
		fail_msg("mkdtemp %s failed", h->dir);
	char port_file[300];
	snprintf(port_file, sizeof port_file, "%s/port", h->dir);
	snprintf(h->log, sizeof h->log, "%s/log", h->dir);
	const char *argv[16] = {"python3", script, "--port-file", port_file, "--log", h->log};
	size_t n = 6;
	for (; extra && *extra && n < 15; extra++)
		argv[n++] = *extra;
	h->pid = fork();
	if (h->pid < 0)
		fail_msg("fork failed");
	if (h->pid == 0) {
		freopen("/dev/null", "w", stdout);
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	for (int i = 0; i < 400; i++) {
		FILE *f = fopen(port_file, "r");
		if (f) {
			int got = fscanf(f, "%ld", &h->port);
			fclose(f);
			if (got == 1 && h->port > 0)
				return;
		}
		int status;
		if (waitpid(h->pid, &status, WNOHANG) == h->pid) {
			h->pid = 0;
			fail_msg("%s exited (status %d) before listening", script, status);
		}
		nanosleep(&(struct timespec){0, 25 * 1000000}, NULL);
	}
	fail_msg("%s wrote no port in 10 s", script);
}

static void helper_stop(struct helper *h)
{
	if (h->pid > 0) {
		kill(h->pid, SIGTERM);
		waitpid(h->pid, NULL, 0);
	}
	if (h->dir[0])
		remove_tree(h->dir);
	memset(h, 0, sizeof *h);
}

static int helpers_teardown(void **state)
{
	(void)state;
	helper_stop(&sink);
	helper_stop(&chat);
	return 0;
}

/* The helper's log as a cJSON array of its lines (free with cJSON_Delete). */
static cJSON *read_log(const struct helper *h)
{
	FILE *f = fopen(h->log, "r");
	assert_non_null(f);
	cJSON *all = cJSON_CreateArray();
	char line[65536];
	while (fgets(line, sizeof line, f)) {
		cJSON *one = cJSON_Parse(line);
		assert_non_null(one);
		cJSON_AddItemToArray(all, one);
	}
	fclose(f);
	return all;
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void smtp_send_to_sink(void **state)
{
	(void)state;
	const char *extra[] = {"--auth", "plumb:" PASSWORD, "--reject", "gone@example.com", NULL};
	helper_start(&sink, "tests/smtp/smtp-sink.py", extra);
	char url[64];
	snprintf(url, sizeof url, "smtp://127.0.0.1:%ld", sink.port);
	struct mail_smtp s = {.url = url,
	                      .from = "plumb@example.com",
	                      .from_name = "plumb",
	                      .user = "plumb",
	                      .password = PASSWORD,
	                      .password_env = "SMTP_PW"};
	struct mail_message m = {.to = "ana@example.com",
	                         .to_name = "Ana Ruiz",
	                         .subject = "Reminder for Ana Ruiz",
	                         .text = "First line\n.dot line\n..two dots\nJosé\n",
	                         .message_id = "r5@example.com",
	                         .date = DATE_MS};
	struct error err = {0};
	assert_int_equal(mail_send(&s, &m, &err), 0);

	/* A refused recipient fails this message only. */
	m.to = "gone@example.com";
	assert_int_equal(mail_send(&s, &m, &err), ERR_FAILED);
	char expect[160];
	snprintf(expect, sizeof expect,
	         "smtp://127.0.0.1:%ld: the mail to gone@example.com was refused", sink.port);
	assert_non_null(strstr(err.message, expect));
	assert_string_equal(err.detail, "SMTP reply 550");

	/* A wrong password: the server is unusable; the password is not told. */
	s.password = "wrong-password-1";
	m.to = "ana@example.com";
	err_clear(&err);
	assert_int_equal(mail_send(&s, &m, &err), ERR_IO);
	assert_non_null(strstr(err.hint, "'plumb'"));
	assert_non_null(strstr(err.hint, "$SMTP_PW"));
	assert_null(strstr(err.message, "wrong-password-1"));
	assert_null(strstr(err.hint, "wrong-password-1"));

	/* A name that merely starts with "127." is not this machine: no password
	 * without TLS, which the sink does not offer (curl resolves *.localhost
	 * to the loopback itself). */
	char named[96];
	snprintf(named, sizeof named, "smtp://127.localhost:%ld", sink.port);
	s.url = named;
	s.password = PASSWORD;
	err_clear(&err);
	assert_int_equal(mail_send(&s, &m, &err), ERR_IO);
	assert_non_null(strstr(err.hint, "a password is only sent over TLS"));

	cJSON *log = read_log(&sink);
	assert_int_equal(cJSON_GetArraySize(log), 1);
	cJSON *one = cJSON_GetArrayItem(log, 0);
	assert_string_equal(jstr(one, "from"), "plumb@example.com");
	assert_string_equal(jstr(one, "auth"), "plumb");
	cJSON *to = cJSON_GetObjectItemCaseSensitive(one, "to");
	assert_int_equal(cJSON_GetArraySize(to), 1);
	assert_string_equal(cJSON_GetArrayItem(to, 0)->valuestring, "ana@example.com");
	assert_string_equal(jstr(one, "subject"), "Reminder for Ana Ruiz");
	/* Dot-stuffing on the wire undone by the server: the text arrives as sent. */
	assert_string_equal(jstr(one, "text"), "First line\n.dot line\n..two dots\nJosé\n");
	assert_non_null(strstr(jstr(one, "data"), "\r\nMessage-ID: <r5@example.com>\r\n"));
	cJSON_Delete(log);
	helper_stop(&sink);
}

/* A password goes without TLS only to a host that is this machine by its
 * address, or to "localhost"; any other name needs TLS, whatever it starts with. */
static void loopback_hosts(void **state)
{
	(void)state;
	static const char *const loop[] = {"127.0.0.1", "127.1.2.3", "127.255.255.255", "[::1]",
	                                   "::1",       "localhost", "LOCALHOST",       NULL};
	static const char *const others[] = {"127.mail.example.com",
	                                     "127.0.0.1.example.com",
	                                     "127.localhost",
	                                     "localhost.example.com",
	                                     "128.0.0.1",
	                                     "10.0.0.1",
	                                     "[::2]",
	                                     "[::1",
	                                     "",
	                                     NULL};
	for (const char *const *h = loop; *h; h++)
		if (!mail_loopback_host(*h))
			fail_msg("%s should count as the loopback", *h);
	for (const char *const *h = others; *h; h++)
		if (mail_loopback_host(*h))
			fail_msg("%s should need TLS for a password", *h);
	assert_false(mail_loopback_host(NULL));
}

/* A port nothing listens on: bound and closed again. */
static long dead_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void smtp_unreachable(void **state)
{
	(void)state;
	char url[96];
	long port = dead_port();
	snprintf(url, sizeof url, "smtp://127.0.0.1:%ld", port);
	struct mail_smtp s = {.url = url, .from = "plumb@example.com"};
	struct mail_message m = {.to = "ana@example.com",
	                         .subject = "x",
	                         .text = "x",
	                         .message_id = "r6@example.com",
	                         .date = DATE_MS};
	struct error err = {0};
	assert_int_equal(mail_send(&s, &m, &err), ERR_IO);
	char expect[96];
	snprintf(expect, sizeof expect, "smtp://127.0.0.1:%ld: cannot send mail: ", port);
	assert_memory_equal(err.message, expect, strlen(expect));
	assert_string_equal(err.hint, "is the SMTP server running and --smtp-url right?");
}

static void chat_post(void **state)
{
	(void)state;
	const char *extra[] = {"tests/http/scenarios/chat-webhook", NULL};
	helper_start(&chat, "tests/http/apiserver.py", extra);
	char url[160], gone[160];
	snprintf(url, sizeof url, "http://127.0.0.1:%ld%s", chat.port, CHAT_PATH);
	snprintf(gone, sizeof gone, "http://127.0.0.1:%ld%s", chat.port, GONE_PATH);
	struct mail_chat c = {.url = url, .url_env = "CHAT_URL"};
	struct error err = {0};
	assert_int_equal(mail_chat_post(&c, "Bo Chen: \"peer\" feedback\nis due", &err), 0);

	/* A 404: the error names the host and the variable, never the path. */
	c.url = gone;
	assert_int_equal(mail_chat_post(&c, "x", &err), ERR_FAILED);
	char expect[160];
	snprintf(expect, sizeof expect,
	         "chat webhook http://127.0.0.1:%ld (URL from $CHAT_URL): answered HTTP 404",
	         chat.port);
	assert_string_equal(err.message, expect);
	assert_string_equal(err.detail, "response body: no_service for <redacted>");
	assert_null(strstr(err.hint, "XremovedX"));
	/* A token in the query is a secret too, also as the server decodes it (%58 is X). */
	char keyed[200];
	snprintf(keyed, sizeof keyed, "http://127.0.0.1:%ld%s?key=k1&token=Xquery%%58secretX",
	         chat.port, KEYED_PATH);
	c.url = keyed;
	err_clear(&err);
	assert_int_equal(mail_chat_post(&c, "x", &err), ERR_FAILED);
	assert_string_equal(err.detail, "response body: invalid token <redacted> for key k1");

	cJSON *log = read_log(&chat);
	assert_int_equal(cJSON_GetArraySize(log), 3);
	cJSON *first = cJSON_GetArrayItem(log, 0);
	assert_string_equal(jstr(first, "method"), "POST");
	cJSON *headers = cJSON_GetObjectItemCaseSensitive(first, "headers");
	assert_string_equal(jstr(headers, "Content-Type"), "application/json; charset=utf-8");
	cJSON *body = cJSON_Parse(jstr(first, "body"));
	assert_non_null(body);
	assert_int_equal(cJSON_GetArraySize(body), 1);
	assert_string_equal(jstr(body, "text"), "Bo Chen: \"peer\" feedback\nis due");
	cJSON_Delete(body);
	cJSON_Delete(log);
	helper_stop(&chat);

	/* Nothing listening: ERR_IO naming the host only. */
	long port = dead_port();
	snprintf(url, sizeof url, "http://127.0.0.1:%ld/hooks/XsecretXpathX", port);
	c.url = url;
	err_clear(&err);
	assert_int_equal(mail_chat_post(&c, "x", &err), ERR_IO);
	snprintf(expect, sizeof expect,
	         "chat webhook http://127.0.0.1:%ld (URL from $CHAT_URL): cannot post: ", port);
	assert_memory_equal(err.message, expect, strlen(expect));
	assert_null(strstr(err.message, "XsecretX"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(ascii_message_exact),
	        cmocka_unit_test(utf8_words_and_quoted_printable),
	        cmocka_unit_test(long_lines_fold),
	        cmocka_unit_test(no_header_injection),
	        cmocka_unit_test(addresses_and_checks),
	        cmocka_unit_test(loopback_hosts),
	        cmocka_unit_test_teardown(smtp_send_to_sink, helpers_teardown),
	        cmocka_unit_test(smtp_unreachable),
	        cmocka_unit_test_teardown(chat_post, helpers_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
