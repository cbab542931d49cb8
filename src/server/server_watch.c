/*
 * server_watch: the request deadline.  libmicrohttpd only knows an idle
 * timeout, which a client trickling a byte now and then never reaches, and
 * it closes without an answer.  This thread gives each request a deadline
 * from its first line: past it, a request still being read is answered 408
 * and its connection shut; a connection idle that long is shut silently.
 * The lock is held while writing to a socket, and watch_close (libmicrohttpd's
 * "connection closed", which comes before it closes the socket) takes it, so
 * a socket number is never written after it was closed and reused.
 *
 * A connection "idle" past its deadline with a request unread in its socket
 * is not idle: its libmicrohttpd thread was answering another request all
 * that time (a long write, one waiting for the database).  Nor is one whose
 * request is still "being read" while the rest of it waits in the socket: the
 * client sent it, the server did not read it.  Each is answered 503 busy with
 * Retry-After, as the request was never run and may be sent again, rather
 * than shut without an answer or told 408 that it did not arrive (found by
 * tests/fuzz/stress_api.py: a GET closed unanswered after 30 s behind a 23 s dashboard refresh).
 * Were the thread to read it just then, watch_answer refuses it: a cut request is never run.
 *
 * A connection no thread has accepted is in no list of libmicrohttpd's: while
 * every thread has been busy for the timeout, this thread accepts what waits
 * on the listening socket and answers it 503 busy the same way, so a client
 * is not left connected and unanswered for as long as the longest request
 * (found by tests/fuzz/stress_api.py: an answer after 24.7 s with a 10 s
 * timeout).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>

#include "base/mem.h"
#include "server/server_int.h"

enum watch_state {
	WATCH_IDLE,    /* connected, or between requests */
	WATCH_READING, /* the request line came; headers or body still coming */
	WATCH_BUSY,    /* read whole: being answered */
	WATCH_LINGER,  /* refused while its body came: dropping what comes */
	WATCH_CUT,     /* timed out and shut */
};

struct watch_conn {
	struct watch_conn *prev, *next;
	int fd;
	enum watch_state state;
	int64_t deadline_ns;
	int64_t started_ns; /* its request line came */
	char method[16];    /* once its headers came whole, for the log; "" before */
};

struct watch {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	bool stop;
	int64_t timeout_ns;
	bool tls; /* a plain-text answer cannot be written into a TLS stream */
	struct watch_conn *head;
	void (*timed_out)(void *data, const struct watch_timeout *t);
	void *data;
	struct reply answer;  /* the 408, written out when sent (its Date) */
	struct reply waiting; /* the 503 to a request no thread came to read */
	int listen_fd;        /* -1: connections waiting to be accepted are not watched */
	unsigned threads;
	unsigned busy;          /* connections in WATCH_BUSY: a thread each */
	int64_t all_busy_since; /* when busy reached threads */
};

/* A body may take longer than the timeout as long as it keeps coming at
 * this rate (as Apache's mod_reqtimeout MinRate). */
#define WATCH_MIN_BYTES_PER_S 65536
#define WATCH_TICK_NS         (100 * 1000 * 1000)
/* How long what a refused request still sends is read and dropped, so its
 * client reads the answer rather than a reset (as Apache's lingering close). */
#define WATCH_LINGER_NS (2000LL * 1000 * 1000)

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Shut c, first sending answer when given; whether the whole answer went. */
static bool cut(struct watch *w, struct watch_conn *c, struct reply *answer)
{
	bool sent = false;
	if (answer && !w->tls) {
		struct sb raw = SB_INIT;
		reply_raw(answer, &raw);
		/* Never blocking: a full send buffer means the client is not
		 * reading either, and it gets no answer. */
		ssize_t n = send(c->fd, raw.buf, raw.len, MSG_NOSIGNAL | MSG_DONTWAIT);
		sent = n == (ssize_t)raw.len;
		sb_release(&raw);
	}
	/* libmicrohttpd sees the end of the stream and closes the connection. */
	shutdown(c->fd, SHUT_RDWR);
	c->state = WATCH_CUT;
	return sent;
}

/* Every thread has answered one request for the timeout: answer what waits
 * to be accepted 503 busy.  What the client sent is read and dropped before
 * the close, so the close does not reset the answer away. */
static void refuse_waiting(struct watch *w, int64_t now)
{
	if (w->listen_fd < 0 || w->busy < w->threads || now - w->all_busy_since < w->timeout_ns)
		return;
	for (int i = 0; i < 64; i++) {
		int fd = accept(w->listen_fd, NULL, NULL);
		if (fd < 0)
			return; /* none waits, or a thread took it */
		fcntl(fd, F_SETFD, FD_CLOEXEC);
		struct sb raw = SB_INIT;
		reply_raw(&w->waiting, &raw);
		bool sent =
		        send(fd, raw.buf, raw.len, MSG_NOSIGNAL | MSG_DONTWAIT) == (ssize_t)raw.len;
		sb_release(&raw);
		shutdown(fd, SHUT_WR);
		char drop[4096]; /* what came with it; not more, or a sender could keep us */
		for (int k = 0; k < 16 && recv(fd, drop, sizeof drop, MSG_DONTWAIT) > 0; k++)
			;
		close(fd);
		if (sent && w->timed_out) {
			struct watch_timeout t = {
			        .status = w->waiting.status,
			        .method = "-",
			        .bytes = w->waiting.body.len,
			        .seconds = (double)w->timeout_ns / 1e9,
			};
			w->timed_out(w->data, &t);
		}
	}
}

static void *watch_main(void *arg)
{
	struct watch *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WATCH_TICK_NS;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&w->wake, &w->lock, &until);
		int64_t now = mono_ns();
		for (struct watch_conn *c = w->head; c && !w->stop; c = c->next) {
			if (c->state == WATCH_BUSY || c->state == WATCH_CUT || now < c->deadline_ns)
				continue;
			/* A lingering one was answered. */
			enum watch_state was = c->state;
			struct reply *answer = was == WATCH_READING ? &w->answer : NULL;
			int unread = 0;
			if ((was == WATCH_IDLE || was == WATCH_READING) &&
			    ioctl(c->fd, FIONREAD, &unread) == 0 && unread > 0)
				answer = &w->waiting;
			if (cut(w, c, answer) && w->timed_out) {
				struct watch_timeout t = {
				        .status = answer->status,
				        .method = c->method[0] ? c->method : "-",
				        .bytes = answer->body.len,
				        /* one waiting unread may have no request line */
				        .seconds = answer == &w->waiting && was == WATCH_IDLE
				                           ? (double)w->timeout_ns / 1e9
				                           : (double)(now - c->started_ns) / 1e9,
				};
				w->timed_out(w->data, &t);
			}
		}
		if (!w->stop)
			refuse_waiting(w, now);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct watch *watch_start(unsigned timeout_s, bool tls,
                          void (*timed_out)(void *, const struct watch_timeout *), void *data)
{
	struct watch *w = xcalloc(1, sizeof *w);
	w->timeout_ns = (int64_t)timeout_s * 1000000000;
	w->tls = tls;
	w->listen_fd = -1;
	w->timed_out = timed_out;
	w->data = data;
	struct error err = {0};
	err_set(&err, ERR_TIMEOUT, "the request did not arrive in time");
	w->answer = (struct reply){.status = 200, .body = SB_INIT};
	reply_error_own(&w->answer, &err);
	err_clear(&err);
	err_set(&err, ERR_BUSY, "the server was busy: no worker read the request in time");
	err_hint(&err, "send it again; nothing of it was done");
	w->waiting = (struct reply){.status = 200, .body = SB_INIT};
	reply_error_own(&w->waiting, &err);
	err_clear(&err);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->wake, NULL);
	if (pthread_create(&w->thread, NULL, watch_main, w) != 0)
		BUG("cannot start the request deadline thread");
	return w;
}

void watch_stop(struct watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	for (struct watch_conn *c = w->head, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	reply_release(&w->answer);
	reply_release(&w->waiting);
	free(w);
}

void watch_listen(struct watch *w, int listen_fd, unsigned threads)
{
	/* Accepting here must never block: a thread may take the connection first. */
	int flags = listen_fd >= 0 ? fcntl(listen_fd, F_GETFL) : -1;
	pthread_mutex_lock(&w->lock);
	w->threads = threads;
	w->all_busy_since = mono_ns();
	w->listen_fd = !w->tls && flags >= 0 && (flags & O_NONBLOCK) ? listen_fd : -1;
	pthread_mutex_unlock(&w->lock);
}

/* c's state, keeping count of the busy threads; with the lock held. */
static void set_state(struct watch *w, struct watch_conn *c, enum watch_state state)
{
	if (c->state == WATCH_BUSY && state != WATCH_BUSY)
		w->busy--;
	else if (c->state != WATCH_BUSY && state == WATCH_BUSY && ++w->busy == w->threads)
		w->all_busy_since = mono_ns();
	c->state = state;
}

struct watch_conn *watch_open(struct watch *w, int fd)
{
	struct watch_conn *c = xcalloc(1, sizeof *c);
	c->fd = fd;
	c->state = WATCH_IDLE;
	pthread_mutex_lock(&w->lock);
	c->deadline_ns = mono_ns() + w->timeout_ns;
	c->next = w->head;
	if (w->head)
		w->head->prev = c;
	w->head = c;
	pthread_mutex_unlock(&w->lock);
	return c;
}

void watch_close(struct watch *w, struct watch_conn *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&w->lock);
	set_state(w, c, WATCH_CUT);
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&w->lock);
	free(c);
}

/* c enters state with a fresh deadline, unless it was already cut. */
static bool enter(struct watch *w, struct watch_conn *c, enum watch_state state)
{
	if (!c)
		return true;
	pthread_mutex_lock(&w->lock);
	bool ok = c->state != WATCH_CUT;
	if (ok) {
		set_state(w, c, state);
		c->deadline_ns = mono_ns() + w->timeout_ns;
	}
	pthread_mutex_unlock(&w->lock);
	return ok;
}

void watch_request_line(struct watch *w, struct watch_conn *c)
{
	if (enter(w, c, WATCH_READING)) {
		pthread_mutex_lock(&w->lock);
		c->started_ns = c->deadline_ns - w->timeout_ns;
		c->method[0] = '\0';
		pthread_mutex_unlock(&w->lock);
	}
}

void watch_headers(struct watch *w, struct watch_conn *c, const char *method)
{
	if (!c)
		return;
	pthread_mutex_lock(&w->lock);
	snprintf(c->method, sizeof c->method, "%s", method);
	pthread_mutex_unlock(&w->lock);
}

void watch_body(struct watch *w, struct watch_conn *c, size_t bytes)
{
	if (!c)
		return;
	pthread_mutex_lock(&w->lock);
	if (c->state == WATCH_READING)
		c->deadline_ns += (int64_t)((double)bytes * 1e9 / WATCH_MIN_BYTES_PER_S);
	pthread_mutex_unlock(&w->lock);
}

bool watch_refuse(struct watch *w, struct watch_conn *c, const char *answer, size_t len)
{
	if (!c || w->tls)
		return false;
	pthread_mutex_lock(&w->lock);
	bool sent = false;
	if (c->state == WATCH_READING) {
		ssize_t n = send(c->fd, answer, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		sent = n == (ssize_t)len;
		shutdown(c->fd, SHUT_WR);
		c->state = WATCH_LINGER;
		c->deadline_ns = mono_ns() + WATCH_LINGER_NS;
	}
	pthread_mutex_unlock(&w->lock);
	return sent;
}

bool watch_answer(struct watch *w, struct watch_conn *c)
{
	return enter(w, c, WATCH_BUSY); /* a busy connection has no deadline */
}

void watch_done(struct watch *w, struct watch_conn *c)
{
	enter(w, c, WATCH_IDLE);
}
