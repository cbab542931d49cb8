#!/usr/bin/env python3
"""smtp-sink: a loopback SMTP server that keeps every message it is given.

For plumb's reminder tests (plumb notify; tests/cli/cases/notify-*).
Usage: smtp-sink.py --port PORT --log FILE [--port-file F] [--auth USER:PASS]
                    [--reject ADDR]...

Binds 127.0.0.1:PORT (0: a port the kernel picks), prints the port on stdout
and, with --port-file, writes it there (atomically, once listening), then
serves until killed, or until the process that started it exits.  It speaks
what libcurl needs: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT, and AUTH
PLAIN when --auth is given (then required before MAIL).  RCPT to an address
given with --reject is answered 550.  Each message is appended to the log as
one JSON line: from, to (a list), data (as received, dot-stuffing undone),
auth (the user, or null), and for the tests' convenience subject and text,
decoded by Python's email package (RFC 2047 words, quoted-printable).
Python 3 standard library only (smtpd is gone from 3.12).
"""
import argparse
import base64
import email
import email.policy
import json
import os
import socketserver
import sys
import threading
import time

MAX_LINE = 4096
MAX_MESSAGE = 10 * 1024 * 1024


def address(arg):
    """The address inside <...> of a MAIL FROM:/RCPT TO: argument."""
    start, end = arg.find("<"), arg.find(">")
    if start < 0 or end < start:
        return None
    return arg[start + 1:end]


class Session(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode("ascii"))
        self.wfile.flush()

    def read_line(self):
        line = self.rfile.readline(MAX_LINE + 1)
        if not line:
            return None
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def reset(self):
        self.sender = None
        self.recipients = []

    def handle(self):
        sink = self.server.sink
        self.reset()
        self.user = None
        self.reply("220 127.0.0.1 plumb smtp-sink ESMTP")
        while True:
            line = self.read_line()
            if line is None:
                return
            verb, _, arg = line.partition(" ")
            verb = verb.upper()
            if verb == "EHLO":
                self.reset()
                caps = ["127.0.0.1", "8BITMIME", f"SIZE {MAX_MESSAGE}"]
                if sink.auth:
                    caps.append("AUTH PLAIN")
                for cap in caps[:-1]:
                    self.reply("250-" + cap)
                self.reply("250 " + caps[-1])
            elif verb == "HELO":
                self.reset()
                self.reply("250 127.0.0.1")
            elif verb == "AUTH":
                self.auth(arg)
            elif verb == "MAIL":
                if sink.auth and self.user is None:
                    self.reply("530 5.7.0 Authentication required")
                elif not arg.upper().startswith("FROM:") or address(arg) is None:
                    self.reply("501 5.5.4 Syntax: MAIL FROM:<address>")
                else:
                    self.reset()
                    self.sender = address(arg)
                    self.reply("250 2.1.0 OK")
            elif verb == "RCPT":
                rcpt = address(arg) if arg.upper().startswith("TO:") else None
                if self.sender is None:
                    self.reply("503 5.5.1 MAIL first")
                elif rcpt is None:
                    self.reply("501 5.5.4 Syntax: RCPT TO:<address>")
                elif rcpt.lower() in sink.reject:
                    self.reply(f"550 5.1.1 <{rcpt}>: mailbox unavailable")
                else:
                    self.recipients.append(rcpt)
                    self.reply("250 2.1.5 OK")
            elif verb == "DATA":
                if not self.recipients:
                    self.reply("503 5.5.1 RCPT first")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self.read_data()
                if data is None:
                    return
                sink.keep(self.sender, self.recipients, data, self.user)
                self.reset()
                self.reply("250 2.0.0 OK queued")
            elif verb == "RSET":
                self.reset()
                self.reply("250 2.0.0 OK")
            elif verb == "NOOP":
                self.reply("250 2.0.0 OK")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("502 5.5.2 Command not recognized")

    def auth(self, arg):
        sink = self.server.sink
        mech, _, initial = arg.partition(" ")
        if not sink.auth or mech.upper() != "PLAIN":
            self.reply("504 5.5.4 Unrecognized authentication type")
            return
        if not initial:
            self.reply("334 ")
            initial = self.read_line() or ""
        try:
            _, user, password = base64.b64decode(initial).decode("utf-8").split("\0")
        except (ValueError, UnicodeDecodeError):
            self.reply("501 5.5.2 Cannot decode the response")
            return
        if (user, password) == sink.auth:
            self.user = user
            self.reply("235 2.7.0 Authentication successful")
        else:
            self.reply("535 5.7.8 Authentication credentials invalid")

    def read_data(self):
        """The message up to the lone dot, with dot-stuffing undone (RFC 5321 4.5.2)."""
        lines, size = [], 0
        while True:
            raw = self.rfile.readline(MAX_LINE + 1)
            if not raw:
                return None
            if raw in (b".\r\n", b".\n"):
                return b"".join(lines).decode("utf-8", "replace")
            if raw.startswith(b"."):
                raw = raw[1:]
            size += len(raw)
            if size <= MAX_MESSAGE:
                lines.append(raw)


class Sink:
    def __init__(self, log_path, auth, reject):
        self.log_path = log_path
        self.auth = tuple(auth.split(":", 1)) if auth else None
        self.reject = {a.lower() for a in reject}
        self.lock = threading.Lock()

    def keep(self, sender, recipients, data, user):
        # The decoded fields with \n line ends, as text is written in tests.
        message = email.message_from_string(data.replace("\r\n", "\n"),
                                            policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        entry = {
            "from": sender,
            "to": list(recipients),
            "data": data,
            "auth": user,
            "subject": str(message.get("Subject", "")),
            "text": body.get_content() if body is not None else "",
        }
        line = json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n"
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(line)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (BrokenPipeError, ConnectionResetError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def watch_parent(parent):
    """Exit when the process that started us is gone, so a crashed test leaves nothing."""
    while True:
        time.sleep(0.2)
        if os.getppid() != parent:
            os._exit(0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--log", required=True)
    ap.add_argument("--auth", metavar="USER:PASS")
    ap.add_argument("--reject", action="append", default=[], metavar="ADDR")
    args = ap.parse_args()
    if args.auth and ":" not in args.auth:
        print("smtp-sink: --auth takes USER:PASS", file=sys.stderr)
        return 2
    open(args.log, "a").close()
    server = Server(("127.0.0.1", args.port), Session)
    server.sink = Sink(args.log, args.auth, args.reject)
    port = server.server_address[1]
    if args.port_file:
        tmp = f"{args.port_file}.tmp{os.getpid()}"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(port, flush=True)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
