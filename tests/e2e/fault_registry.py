#!/usr/bin/env python3
"""fault_registry.py - a misbehaving registry for tests/e2e/faults.sh.

Listens on loopback and stands between the kiosk and the real bdc-registry
(UPSTREAM, http://...). What it does with each request is read from
MODE_FILE at that request, so a test switches faults without a restart:

  pass       forwards the request and the answer unchanged
  slow       waits DELAY seconds (longer than the kiosk's timeout), then
             forwards it (the registry acts on it; the kiosk has given up)
  garbage    200 text/html that is not JSON, not forwarded
  truncated  forwards it, then answers the registry's JSON cut in half
             (a complete HTTP answer whose body is half a document)
  cut        forwards it, then sends the headers and half the body and
             closes the connection (the answer ends early)
  shape      200 JSON of the wrong shape, not forwarded
  500        500 Internal Server Error, not forwarded
  down       503 for everything, GET /v1/health too

GET /v1/health is forwarded in every mode but down: the registry looks
reachable and its answers to everything else are what is wrong. Prints
"listening http://127.0.0.1:PORT" once ready; one line per request to
stderr (method, path, mode, status), never a body.

  fault_registry.py UPSTREAM MODE_FILE [DELAY]
"""
import http.client
import http.server
import sys
import time
import urllib.parse

UPSTREAM = urllib.parse.urlsplit(sys.argv[1])
MODE_FILE = sys.argv[2]
DELAY = float(sys.argv[3]) if len(sys.argv) > 3 else 5.0
HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


def mode():
    try:
        with open(MODE_FILE, encoding="ascii") as f:
            return f.read().strip() or "pass"
    except OSError:
        return "pass"


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, body, ctype="application/json", headers=()):
        self.send_response(status)
        for k, v in headers:
            if k.lower() not in HOP and k.lower() != "content-type":
                self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def forward(self, body):
        conn = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn.request(self.command, self.path, body=body, headers=headers)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        return r.status, data, r.getheader("Content-Type", "application/json"), r.getheaders()

    def handle_any(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else None
        m = mode()
        health = self.path.startswith("/v1/health")
        if m == "down":
            status = 503
            self.answer(503, b'{"title":"unavailable"}', "application/problem+json")
        elif m == "pass" or health:
            status, data, ctype, hdrs = self.forward(body)
            self.answer(status, data, ctype, hdrs)
        elif m == "slow":
            time.sleep(DELAY)
            status, data, ctype, hdrs = self.forward(body)
            try:
                self.answer(status, data, ctype, hdrs)
            except OSError:
                pass  # the kiosk gave up long ago
        elif m == "garbage":
            status = 200
            self.answer(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
        elif m == "truncated":
            status, data, ctype, _ = self.forward(body)
            self.answer(status, data[: max(1, len(data) // 2)], ctype)
        elif m == "cut":
            status, data, ctype, _ = self.forward(body)
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
        elif m == "shape":
            status = 200
            self.answer(200, b'{"data": [1, 2, 3], "token": 42, "items": "none", "id": []}')
        elif m == "500":
            status = 500
            self.answer(500, b"Internal Server Error", "text/plain")
        else:
            status = 599
            self.answer(599, b"unknown mode", "text/plain")
        sys.stderr.write(f"{self.command} {self.path.split('?')[0]} {m} {status}\n")
        sys.stderr.flush()

    do_GET = do_POST = do_DELETE = do_PUT = handle_any


def main():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    print(f"listening http://127.0.0.1:{srv.server_address[1]}", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
