#!/usr/bin/env python3
"""An HTTP front over chDB 26.5, for mvrun builds that cannot load chDB
(ASan: the library crashes in its initializers under it), so that they
run the chDB tests over HTTP as they would against a 26.5 server.

    chdb_http.py DIR

Keeps one build/engines/chdb_query process open on the database directory
DIR (chDB allows one process per directory) and serves on a free
127.0.0.1 port, written to DIR.port once it listens. Every POST body is
one statement, run in the order the requests arrive, one at a time (a
second connection, mvrun's progress poll or recorder, waits for the
statement before it); the URL's parameters (query_id, wait_end_of_query)
are ignored. The answer is 200 with the TabSeparated result, or 500 with
`Code: N. DB::Exception: ...` and X-ClickHouse-Exception-Code, as a server
answers. Before every statement, the one in DIR.between runs when that
file exists, its answer ignored: MVRUN_TEST_BETWEEN's stand-in (rows
inserted between every two requests mvrun sends). DIR.lose, `N TEXT`:
the Nth statement holding TEXT runs and its answer is lost, once (a
server that ran it, a connection that broke before the answer). Ends on
SIGTERM.
"""
import http.server
import os
import signal
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHDB_QUERY = os.path.join(ROOT, "build/engines/chdb_query")


class Chdb:
    """One chdb_query process fed one statement at a time; each statement
    is followed by a marker SELECT whose line ends its output."""

    def __init__(self, dir):
        self.p = subprocess.Popen([CHDB_QUERY, dir], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.lock = threading.Lock()
        self.n = 0

    def run(self, sql):
        """(ok, output): the output, or the error line's code and message."""
        self.n += 1
        marker = b"mvd-http-end-%d" % self.n
        self.p.stdin.write(sql.rstrip() + b"\n;;\nSELECT '" + marker + b"'\n;;\n")
        self.p.stdin.flush()
        out = []
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("chdb_query ended")
            if line.rstrip(b"\n") == marker:
                break
            out.append(line)
        body = b"".join(out)
        if body.startswith(b"ERROR "):
            code, _, msg = body[6:].rstrip(b"\n").partition(b" ")
            return False, (code, msg)
        return True, body


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        sql = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        between = self.server.dir + ".between"
        with self.server.chdb.lock:
            if os.path.exists(between):
                with open(between, "rb") as f:
                    self.server.chdb.run(f.read())
            ok, got = self.server.chdb.run(sql)
            if self.answer_lost(sql):
                self.close_connection = True
                return
        if ok:
            self.answer(200, {}, got)
        else:
            code, msg = got
            if not msg.startswith(b"Code: "):
                msg = b"Code: " + code + b". DB::Exception: " + msg
            self.answer(500, {"X-ClickHouse-Exception-Code": code.decode()}, msg + b"\n")

    def answer_lost(self, sql):
        """DIR.lose `N TEXT`: the Nth statement holding TEXT runs, and its
        answer is lost (the connection closes without one), once."""
        lose = self.server.dir + ".lose"
        if not os.path.exists(lose):
            return False
        with open(lose, "rb") as f:
            n, _, text = f.read().partition(b" ")
        if text not in sql:
            return False
        if int(n) > 1:
            with open(lose, "wb") as f:
                f.write(b"%d %s" % (int(n) - 1, text))
            return False
        os.unlink(lose)
        return True

    def do_GET(self):               # a ping
        self.answer(200, {}, b"Ok.\n")

    def answer(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/tab-separated-values; charset=UTF-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    dir = sys.argv[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.dir = dir
    server.chdb = Chdb(dir)
    signal.signal(signal.SIGTERM, lambda *a: threading.Thread(target=server.shutdown).start())
    with open(dir + ".port.tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(dir + ".port.tmp", dir + ".port")
    server.serve_forever()
    server.chdb.p.stdin.close()
    server.chdb.p.wait()


if __name__ == "__main__":
    main()
