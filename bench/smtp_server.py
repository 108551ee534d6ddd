"""A tiny SMTP server for tests and drills that can be told to hang: `mode` is "ok" (answers
and keeps every message in `messages`) or "hang" (accepts the connection and says nothing).
Listens on 127.0.0.1 only.

    server = SMTPServer(); server.start(); ...; server.mode = "hang"; ...; server.stop()
    python -m bench.smtp_server --port 2525 --mode-file /tmp/smtp-mode   (a drill's server)
"""

import argparse
import socketserver
import threading
import time
from pathlib import Path


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self):
        server = self.server.owner
        while server.current_mode() == "hang":
            if server.stopping.wait(0.05):
                return
        self.wfile.write(b"220 komvidere-test ESMTP\r\n")
        mail_from, rcpt, data = "", [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", "replace").strip()
            upper = command.upper()
            if upper.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250-komvidere-test\r\n250 8BITMIME\r\n")
            elif upper.startswith("MAIL FROM"):
                mail_from, rcpt = command[10:].strip(), []
                self.wfile.write(b"250 OK\r\n")
            elif upper.startswith("RCPT TO"):
                rcpt.append(command[8:].strip())
                self.wfile.write(b"250 OK\r\n")
            elif upper == "DATA":
                self.wfile.write(b"354 End with <CRLF>.<CRLF>\r\n")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk)
                with server.lock:
                    server.messages.append(
                        {"from": mail_from, "to": rcpt, "data": b"".join(data).decode("utf-8")}
                    )
                self.wfile.write(b"250 OK queued\r\n")
            elif upper in ("RSET", "NOOP"):
                self.wfile.write(b"250 OK\r\n")
            elif upper == "QUIT":
                self.wfile.write(b"221 Bye\r\n")
                return
            else:
                self.wfile.write(b"502 Not implemented\r\n")


class _TCPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SMTPServer:
    def __init__(self, port: int = 0, mode: str = "ok", mode_file: Path | None = None):
        self.mode = mode
        self.mode_file = mode_file
        self.messages: list[dict] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = _TCPServer(("127.0.0.1", port), _Handler)
        self._server.owner = self
        self.port = self._server.server_address[1]

    def current_mode(self) -> str:
        if self.mode_file and self.mode_file.exists():
            return self.mode_file.read_text().strip() or self.mode
        return self.mode

    def start(self) -> "SMTPServer":
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=2525)
    parser.add_argument("--mode-file", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True, help="one line per message received")
    parser.add_argument("--seconds", type=float, default=600, help="stop after this long")
    args = parser.parse_args()
    server = SMTPServer(args.port, mode_file=args.mode_file).start()
    deadline = time.monotonic() + args.seconds
    seen = 0
    while time.monotonic() < deadline:
        time.sleep(0.2)
        with server.lock:
            new = server.messages[seen:]
            seen = len(server.messages)
        with args.log.open("a") as log:
            for message in new:
                log.write(f"{time.time():.3f} {','.join(message['to'])}\n")
    server.stop()


if __name__ == "__main__":
    main()
