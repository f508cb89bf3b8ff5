#!/usr/bin/env python3
"""An OAuth 2.0 token endpoint on 127.0.0.1 over HTTPS for tiedotin's tests (client-credentials grant).

Usage: token_server.py OPTIONS.json

The options file (written by TokenTestServer.swift):

    port               0 for any free port
    certificate_file, key_file     PEM files for TLS (the test CA's server certificate)
    requests_file      JSON lines, one per request: path, content_type, grant_type, client_id,
                       scope, secret_ok (bool), status, error, issued (the token's index). The
                       secret and the tokens themselves are never written anywhere.
    client_id, client_secret, scope    what a request must carry to get a token
    tokens             the tokens to hand out, in order; the last one is repeated
    expires_in         the lifetime given with each token (seconds)
    answer             a scripted answer instead of checking the request:
                       "not_json" (HTTP 200, an HTML page), "unauthorized_client" (HTTP 400),
                       "echo_secret" (HTTP 400 invalid_request quoting the client secret it got,
                       as a hostile or careless endpoint might)

Answers follow Microsoft's endpoint: a wrong secret is 401 invalid_client with AADSTS7000215, an
unknown client id 400 invalid_client with AADSTS700016, a wrong scope 400 invalid_scope with
AADSTS70011. On start it prints {"ready": true, "port": N}; it exits on SIGTERM, and by itself
when the process that started it goes away.
"""

import json
import os
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class State:
    def __init__(self, options: dict):
        self.options = options
        self.issued = 0
        self.lock = threading.Lock()

    def record(self, **fields):
        with self.lock:
            with open(self.options["requests_file"], "a", encoding="utf-8") as log:
                log.write(json.dumps(fields) + "\n")

    def next_token(self):
        with self.lock:
            tokens = self.options["tokens"]
            index = min(self.issued, len(tokens) - 1)
            self.issued += 1
            return index, tokens[index]


class Handler(BaseHTTPRequestHandler):
    server_version = "tiedotin-test-token-endpoint"
    state: State = None

    def log_message(self, format, *args):
        pass  # the default logs request lines to stderr; nothing about a request is printed

    def answer(self, status: int, body: bytes, content_type: str):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def error(self, status: int, error: str, description: str, record: dict):
        self.state.record(status=status, error=error, **record)
        body = json.dumps({"error": error, "error_description": description, "error_codes": []}).encode()
        self.answer(status, body, "application/json; charset=utf-8")

    def do_POST(self):
        options = self.state.options
        length = int(self.headers.get("Content-Length") or 0)
        form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"), keep_blank_values=True)
        field = lambda name: (form.get(name) or [None])[0]
        record = {
            "path": self.path,
            "content_type": self.headers.get("Content-Type"),
            "grant_type": field("grant_type"),
            "client_id": field("client_id"),
            "scope": field("scope"),
            "secret_ok": field("client_secret") == options["client_secret"],
        }
        scripted = options.get("answer")
        if scripted == "not_json":
            self.state.record(status=200, error="not_json", **record)
            self.answer(200, b"<html><body>Sign in to your account</body></html>", "text/html; charset=utf-8")
            return
        if scripted == "unauthorized_client":
            self.error(400, "unauthorized_client", "AADSTS700016: The client is not authorized to request a token using this method.", record)
            return
        if scripted == "echo_secret":
            self.error(400, "invalid_request", f"AADSTS900144: bad request body; client_secret={field('client_secret')}", record)
            return
        if record["content_type"] != "application/x-www-form-urlencoded" or record["grant_type"] != "client_credentials":
            self.error(400, "unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.", record)
            return
        if record["client_id"] != options["client_id"]:
            self.error(400, "invalid_client", f"AADSTS700016: Application with identifier '{record['client_id']}' was not found in the directory.", record)
            return
        if not record["secret_ok"]:
            self.error(401, "invalid_client", "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.", record)
            return
        if record["scope"] != options["scope"]:
            self.error(400, "invalid_scope", f"AADSTS70011: The provided value for the input parameter 'scope' is not valid.", record)
            return
        index, token = self.state.next_token()
        self.state.record(status=200, issued=index, **record)
        body = json.dumps({"token_type": "Bearer", "expires_in": options.get("expires_in", 3599),
                           "ext_expires_in": options.get("expires_in", 3599), "access_token": token}).encode()
        self.answer(200, body, "application/json; charset=utf-8")


def watch_parent(parent: int):
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(0)


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        options = json.load(file)
    Handler.state = State(options)
    server = ThreadingHTTPServer(("127.0.0.1", options.get("port", 0)), Handler)
    server.daemon_threads = True
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(options["certificate_file"], options["key_file"])
    server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()
    print(json.dumps({"ready": True, "port": server.server_address[1]}), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
