#!/usr/bin/env python3
"""apiserver: a loopback HTTP/1.1 server that replays canned API responses.

For plumb's connector tests (tests/unit/test_http.c, the live-sync CLI cases).
Usage: apiserver.py --port-file F --log F SCENARIO_DIR

Binds 127.0.0.1 on a port the kernel picks, writes that port to the port file
(atomically, once listening) and serves until killed, or until the process
that started it exits.  SCENARIO_DIR/routes.json is a list of routes:

  {"method": "GET", "path": "/repos/o/r/pulls",
   "query": {"state": "all"},                 optional: these parameters must match
   "query_re": {"tree": "\\{100,"},           optional: these parameters must hold a match
   "when_header": {"If-None-Match": "\"abc\""},  optional: these headers must match
   "responses": [{"status": 200, "headers": {...}, "body_file": "pulls-1.json",
                  "body": "inline text", "delay_ms": 0,
                  "hold_until": "FILE",       optional: answer once SCENARIO_DIR/FILE exists
                  "no_length": false,         end the body by closing, no Content-Length
                  "jenkins_tree": false,      keep only the fields the request's tree= names
                  "prom_range": ["0.2", "0.9"]}]}  a Prometheus query_range answer: one
                                              series, a point at every step from start to
                                              end, its value cycling through the list

A "Date" among a response's headers replaces the server's own (a clock other than
this machine's, for rate-limit resets).
The first route that matches answers; its responses are served in order, the
last one repeating.  "{base}" in headers and bodies becomes http://127.0.0.1:PORT;
"{otherhost}" in headers http://localhost:PORT, the same server under another origin;
"{next_page}" in headers and bodies the route's answers so far plus one (2 in its first
answer, 3 in its second...), for a Link that never ends or a body that never repeats.
"hold_until" keeps a request in flight until the test says so (it creates the
file), not for a time that a loaded machine may overrun; at most 120 s, then it
answers, so a test that never says so still ends.  delay_ms counts after it.
"jenkins_tree" answers as Jenkins does a `tree` parameter ("url,builds[number,
actions[causes[userId]]]{0,100}"): only the fields it names, at every depth (an
array's elements each), and `_class`, which Jenkins always writes (an object
named without its fields is its `_class` alone); its `{M,N}`
ranges are left to the routes (each page is its own file).
Unmatched requests get a 404 with a JSON error.  Each request is appended to the
log as one JSON line: method, path, query, headers (Authorization replaced by
"<redacted>"), authorization (whether it was sent) and body (if any).
Python 3 standard library only.
"""
import argparse
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def parse_tree(text):
    """Jenkins's tree parameter as {field: subtree or None}; ranges dropped."""
    pos = 0

    def fields():
        nonlocal pos
        out = {}
        while True:
            start = pos
            while pos < len(text) and text[pos] not in ",[]{}":
                pos += 1
            name, sub = text[start:pos], None
            if pos < len(text) and text[pos] == "[":
                pos += 1
                sub = fields()
                if pos >= len(text) or text[pos] != "]":
                    raise ValueError(f"tree: no ']' at {pos} in {text!r}")
                pos += 1
            if pos < len(text) and text[pos] == "{":
                end = text.index("}", pos)
                pos = end + 1
            if name:
                out[name] = sub
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            return out

    tree = fields()
    if pos != len(text):
        raise ValueError(f"tree: unexpected {text[pos]!r} at {pos} in {text!r}")
    return tree


def apply_tree(value, tree):
    if isinstance(value, list):
        return [apply_tree(v, tree) for v in value]
    if not isinstance(value, dict):
        return value
    # An object the tree names without its fields is written as its class alone.
    return {k: apply_tree(v, (tree or {}).get(k)) for k, v in value.items()
            if k in (tree or {}) or k == "_class"}


class Route:
    def __init__(self, spec, index):
        self.method = spec.get("method", "GET").upper()
        self.path = spec["path"]
        self.query = spec.get("query") or {}
        self.query_re = {k: re.compile(v) for k, v in (spec.get("query_re") or {}).items()}
        self.when_header = spec.get("when_header") or {}
        self.responses = spec.get("responses") or []
        if not self.responses:
            raise ValueError(f"route {index} ({self.path}) has no responses")
        self.served = 0

    def matches(self, method, path, query, headers):
        if method != self.method or path != self.path:
            return False
        for key, want in self.query.items():
            if str(want) not in query.get(key, []):
                return False
        for key, pattern in self.query_re.items():
            if not any(pattern.search(v) for v in query.get(key, [])):
                return False
        for name, want in self.when_header.items():
            if headers.get(name) != want:
                return False
        return True


def prom_range(values, query):
    """A query_range matrix of one series over the request's start, end and step
    (ms on a grid, so each point is where a real server would put it)."""
    start, end, step = (round(float(query[k][0]) * 1000) for k in ("start", "end", "step"))
    points = [[t / 1000, values[(t // step) % len(values)]] for t in range(start, end + 1, step)]
    return json.dumps({"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": {}, "values": points}]}}, separators=(",", ":")).encode()


class Replay:
    def __init__(self, scenario_dir, log_path):
        self.dir = scenario_dir
        with open(os.path.join(scenario_dir, "routes.json"), encoding="utf-8") as f:
            self.routes = [Route(r, i) for i, r in enumerate(json.load(f))]
        self.lock = threading.Lock()
        self.log_path = log_path
        self.base = ""

    def next_response(self, method, path, query, headers):
        """The response spec for a request and its route's answers so far (it
        counts), or (None, 0)."""
        with self.lock:
            for route in self.routes:
                if route.matches(method, path, query, headers):
                    i = min(route.served, len(route.responses) - 1)
                    route.served += 1
                    return route.responses[i], route.served
        return None, 0

    def log(self, entry):
        line = json.dumps(entry, sort_keys=True) + "\n"
        with self.lock, open(self.log_path, "a", encoding="utf-8") as f:
            f.write(line)

    def body(self, spec, served):
        if "body_file" in spec:
            with open(os.path.join(self.dir, spec["body_file"]), "rb") as f:
                data = f.read()
        else:
            data = spec.get("body", "").encode("utf-8")
        data = data.replace(b"{next_page}", str(served + 1).encode("ascii"))
        return data.replace(b"{base}", self.base.encode("ascii"))


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "plumb-apiserver/1"

    def log_message(self, format, *args):  # quiet: the JSON log says what came
        pass

    def handle_any(self):
        replay = self.server.replay
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        headers = {k: v for k, v in self.headers.items()}
        length = int(self.headers.get("Content-Length") or 0)
        request_body = self.rfile.read(length) if length > 0 else b""
        logged = dict(headers)
        auth = None
        for name in list(logged):
            if name.lower() == "authorization":
                auth = logged[name]
                logged[name] = "<redacted>"
        entry = {
            "method": self.command,
            "path": url.path,
            "query": {k: v[0] if len(v) == 1 else v for k, v in query.items()},
            "headers": logged,
            "authorization": auth is not None,
        }
        if request_body:
            entry["body"] = request_body.decode("utf-8", "replace")
        replay.log(entry)

        spec, served = replay.next_response(self.command, url.path, query, headers)
        if spec is None:
            spec = {
                "status": 404,
                "headers": {"Content-Type": "application/json"},
                "body": json.dumps({"message": f"no route for {self.command} {url.path}"}),
            }
        if spec.get("hold_until"):
            release = os.path.join(replay.dir, spec["hold_until"])
            deadline = time.monotonic() + 120
            while not os.path.exists(release) and time.monotonic() < deadline:
                time.sleep(0.02)
        if spec.get("delay_ms"):
            time.sleep(spec["delay_ms"] / 1000.0)
        status = int(spec.get("status", 200))
        body = b"" if status in (204, 304) or self.command == "HEAD" else replay.body(spec, served)
        if spec.get("prom_range") and status == 200:
            body = prom_range(spec["prom_range"], query)
        if body and spec.get("jenkins_tree") and "tree" in query:
            body = json.dumps(apply_tree(json.loads(body), parse_tree(query["tree"][0]))).encode()
        try:
            spec_headers = {k.lower() for k in (spec.get("headers") or {})}
            if "date" in spec_headers:  # the route's clock, not this machine's
                self.log_request(status)
                self.send_response_only(status)
                self.send_header("Server", self.version_string())
            else:
                self.send_response(status)
            names = set()
            for name, value in (spec.get("headers") or {}).items():
                self.send_header(name, str(value).replace("{base}", replay.base).replace(
                    "{otherhost}", replay.base.replace("127.0.0.1", "localhost")).replace(
                    "{next_page}", str(served + 1)))
                names.add(name.lower())
            if body and "content-type" not in names:
                self.send_header("Content-Type", "application/json")
            if spec.get("no_length"):
                self.send_header("Connection", "close")
                self.close_connection = True
            elif status not in (204, 304):
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout test)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
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
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("scenario_dir")
    args = ap.parse_args()
    try:
        replay = Replay(args.scenario_dir, args.log)
    except (OSError, ValueError, KeyError) as e:
        print(f"apiserver: {args.scenario_dir}: {e}", file=sys.stderr)
        return 2
    open(args.log, "a").close()
    server = Server(("127.0.0.1", 0), Handler)
    server.replay = replay
    port = server.server_address[1]
    replay.base = f"http://127.0.0.1:{port}"
    tmp = f"{args.port_file}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(f"{port}\n")
    os.replace(tmp, args.port_file)
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
