#!/usr/bin/env python3
"""A loopback stand-in for answers the real engines here cannot give over
HTTP: newer servers' X-ClickHouse-Exception-Code header, 25.11's framed
exception after a 200, a 200 with 18.16's trailing exception (18.16 does
that only without wait_end_of_query, which the transport always sends), a
proxy's 503, and TLS with a self-signed certificate. Everything else is
tested against the real 18.16 server and chDB.

    fake_ch.py DIR CERT KEY

Serves plain HTTP and HTTPS on two free 127.0.0.1 ports, written to
DIR/ports as "HTTP HTTPS" once both listen. The statement (the POST body)
chooses the answer; see ANSWERS. ECHO answers with what the request
looked like, the basic-auth user but never its password. `DROP_ONCE KEY`
closes the connection without an answer the first time it arrives (a
server dying mid-statement) and answers 1 afterwards; `COUNT DROP_ONCE
KEY` says how many times it arrived, so a test can see whether a client
sent it again by itself.
"""
import base64
import http.server
import os
import socket
import ssl
import sys
import threading

BODY_18_16 = (b"0\n0\n0\nCode: 395, e.displayText() = DB::Exception: Value passed to "
              b"'throwIf' function is non zero, e.what() = DB::Exception\n")
TAG = "Q7fXa0b1c2d3e4f5"
MSG = b"Code: 395. DB::Exception: boom. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)"
FRAMED = (b"1\n2\n\r\n__exception__\r\n" + TAG.encode() + b"\r\n" + MSG + b"\n"
          + str(len(MSG)).encode() + b" " + TAG.encode() + b"\r\n__exception__\r\n")

# statement -> (status, extra headers, body)
ANSWERS = {
    "LEGACY_TRAILING": (200, {}, BODY_18_16),
    "FRAMED_TRAILING": (200, {"X-ClickHouse-Exception-Tag": TAG}, FRAMED),
    "HEADER_CODE": (500, {"X-ClickHouse-Exception-Code": "241"},
                    b"Code: 241. DB::Exception: Memory limit (total) exceeded. "
                    b"(MEMORY_LIMIT_EXCEEDED) (version 24.8.1.1)\n"),
    "HEADER_ONLY_CODE": (500, {"X-ClickHouse-Exception-Code": "202"},
                         b"Too many simultaneous queries\n"),
    "PROXY_503": (503, {}, b"<html><body>Service Unavailable</body></html>\n"),
    "MODERN_AUTH": (403, {"X-ClickHouse-Exception-Code": "516"},
                    b"Code: 516. DB::Exception: mvd: Authentication failed: password is "
                    b"incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)\n"),
}


RECEIVED = {}
RECEIVED_LOCK = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as ClickHouse

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        statement = body.decode("utf-8", "replace")
        if statement == "ECHO":
            self.answer(200, {}, self.echo(body).encode())
        elif statement.startswith("DROP_ONCE "):
            with RECEIVED_LOCK:
                RECEIVED[statement] = RECEIVED.get(statement, 0) + 1
                first = RECEIVED[statement] == 1
            if first:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
            else:
                self.answer(200, {}, b"1\n")
        elif statement.startswith("COUNT "):
            with RECEIVED_LOCK:
                n = RECEIVED.get(statement[len("COUNT "):], 0)
            self.answer(200, {}, f"{n}\n".encode())
        else:
            self.answer(*ANSWERS.get(statement, (200, {}, b"1\n")))

    def echo(self, body):
        auth = self.headers.get("Authorization", "")
        user = ""
        if auth.startswith("Basic "):
            user = base64.b64decode(auth[6:]).decode().split(":", 1)[0]
        return "".join(f"{k}={v}\n" for k, v in [
            ("method", self.command), ("path", self.path),
            ("content-type", self.headers.get("Content-Type", "")),
            ("expect", self.headers.get("Expect", "(none)")),
            ("user", user), ("body", body.decode())])

    def answer(self, status, headers, body):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(cert, key):
    plain = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    tls = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    tls.socket = ctx.wrap_socket(tls.socket, server_side=True)
    for server in (plain, tls):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return plain.server_address[1], tls.server_address[1]


def main():
    directory, cert, key = sys.argv[1:4]
    ports = serve(cert, key)
    with open(f"{directory}/ports.tmp", "w") as f:
        f.write(f"{ports[0]} {ports[1]}\n")
    os.rename(f"{directory}/ports.tmp", f"{directory}/ports")
    threading.Event().wait()


if __name__ == "__main__":
    main()
