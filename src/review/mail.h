/*
 * mail: how plumb reaches people outside plumb.  mail_send sends one
 * plain-text email over SMTP with libcurl (smtp://, upgraded by STARTTLS
 * when the server offers it, or smtps://); mail_chat_post posts one message
 * to a chat incoming webhook as {"text": ...}, which Slack, Mattermost and
 * Microsoft Teams accept.  One attempt each with bounded timeouts and no
 * retry: the caller decides what a failure means (notify tries again on its
 * next run).  Errors name the server and what failed, never a password nor
 * the path or query of a webhook URL (its secret), nor a value of the query.
 *
 * mail_format is pure.  Everything here is thread-safe: each call has its
 * own curl handle, and libcurl is initialised once per process.  Text built
 * into a caller's struct sb is the caller's.
 */
#ifndef PLUMB_MAIL_H
#define PLUMB_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

struct sb;

#define MAIL_TIMEOUT_MS         30000L /* one whole message */
#define MAIL_CONNECT_TIMEOUT_MS 10000L

struct mail_smtp {
	const char *url;       /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
	const char *from;      /* the sender address: envelope and From: */
	const char *from_name; /* From:'s display name; NULL: none */
	const char *user;      /* SMTP login; NULL: none */
	/* The login's password, never logged nor put in an error; the
	 * environment variable it came from names it in messages. */
	const char *password, *password_env;
	long timeout_ms, connect_timeout_ms; /* 0: the defaults above */
};

struct mail_message {
	const char *to, *to_name; /* address; display name or NULL */
	const char *subject;      /* UTF-8, one line */
	const char *text;         /* UTF-8 plain text; lines end with \n or \r\n */
	const char *message_id;   /* "LOCAL@DOMAIN", without the angle brackets */
	int64_t date;             /* ms since the epoch, for Date: */
};

struct mail_chat {
	const char *url;     /* the incoming webhook, http or https: a secret */
	const char *url_env; /* the environment variable it came from, for messages */
	long timeout_ms, connect_timeout_ms;
};

/* Whether address is one plumb sends to: LOCAL@DOMAIN in printable ASCII
 * without spaces, angle brackets or other specials.  Pure. */
bool mail_address_valid(const char *address);

/* Whether host (as a URL has it: IPv6 in brackets) is this machine's
 * loopback, where a password may go without TLS: a numeric IPv4 address in
 * 127.0.0.0/8, ::1, or exactly "localhost".  A name such as
 * 127.mail.example.com is not.  Pure. */
bool mail_loopback_host(const char *host);

/* Check a configuration before anything is sent: ERR_USAGE naming the
 * option (--smtp-url, --from, --smtp-user, $VAR) and what was expected. */
int mail_smtp_check(const struct mail_smtp *smtp, struct error *err);
int mail_chat_check(const struct mail_chat *chat, struct error *err);

/*
 * Append m as an RFC 5322 message to out: Date, From, To, Subject,
 * Message-ID, MIME headers and Auto-Submitted, CRLF line ends.  Headers
 * with text beyond ASCII are RFC 2047 encoded words; the body is 7bit when
 * it is ASCII with short lines, else quoted-printable.  ERR_INVALID for an
 * invalid address or Message-ID, or text that is not UTF-8.  Pure.
 */
int mail_format(const struct mail_smtp *smtp, const struct mail_message *m, struct sb *out,
                struct error *err);

/*
 * Send m through smtp's server.  Returns 0 once the server accepted it;
 * ERR_IO when the server could not be used at all (name lookup, connection,
 * timeout, TLS, login): later messages to it would fail the same way;
 * ERR_FAILED when the server refused this message (a recipient, the
 * sender, the data), naming the SMTP reply code; ERR_INVALID as
 * mail_format.
 */
int mail_send(const struct mail_smtp *smtp, const struct mail_message *m, struct error *err);

/* POST {"text": text} to the chat webhook.  0 on a 2xx answer; ERR_IO when
 * the server could not be reached, ERR_FAILED for another status (with up
 * to 200 bytes of its answer). */
int mail_chat_post(const struct mail_chat *chat, const char *text, struct error *err);

#endif
