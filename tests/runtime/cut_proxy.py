#!/usr/bin/env python3
"""cut_proxy: a loopback TCP proxy that loses answers, for mvrun's fault tests.

    cut_proxy.py TARGET_PORT CUT_EVERY PORT_FILE

Listens on a free 127.0.0.1 port (written to PORT_FILE once listening) and
forwards every connection to 127.0.0.1:TARGET_PORT. Of the HTTP answers the
server sends back, every CUT_EVERY-th is dropped: the proxy closes both
sides instead of forwarding it. The server has then run the statement, and
the client sees its connection die after sending it: the case where a retry
must first find out whether the statement ran. CUT_EVERY 0 forwards all.
Runs until killed.
"""
import socket
import sys
import threading


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.n = 0

    def next(self):
        with self.lock:
            self.n += 1
            return self.n


def pipe(src, dst, cut_every, answers, is_answer):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            # The first chunk of each answer decides its fate: with
            # wait_end_of_query the server sends nothing before it is done.
            if is_answer and cut_every and data.startswith(b"HTTP/"):
                if answers.next() % cut_every == 0:
                    break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        s.close()


def main():
    target, cut_every, port_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    import os
    os.rename(port_file + ".tmp", port_file)
    answers = Counter()
    while True:
        client, _ = listener.accept()
        try:
            server = socket.create_connection(("127.0.0.1", target))
        except OSError:
            client.close()
            continue
        threading.Thread(target=pipe, args=(client, server, cut_every, answers, False), daemon=True).start()
        threading.Thread(target=pipe, args=(server, client, cut_every, answers, True), daemon=True).start()


if __name__ == "__main__":
    main()
