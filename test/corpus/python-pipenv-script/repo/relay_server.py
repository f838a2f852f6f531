"""A small relay: accepts messages over HTTP and logs them."""
import os
import signal
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer


class Relay(BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        print(self.rfile.read(length).decode(errors="replace"), flush=True)
        self.send_response(202)
        self.end_headers()


def main():
    port = int(os.environ.get("PORT", "8025"))
    server = HTTPServer(("0.0.0.0", port), Relay)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    server.serve_forever()


if __name__ == "__main__":
    main()
