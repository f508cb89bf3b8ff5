#!/usr/bin/env python3
"""A real SMTP server on 127.0.0.1 for tiedotin's integration tests, able to misbehave on cue.

Usage: smtp_server.py OPTIONS.json

The options file (written by SMTPTestServer.swift; every key but the first three is optional):

    capture_dir        where accepted messages go: NNNNNN.eml (the bytes after DATA, dot-unstuffed)
                       and NNNNNN.json (envelope, TLS, user, time), both written atomically
    events_file        JSON lines, one per SMTP event (connect, ehlo, starttls, auth, mail, rcpt,
                       data, quit, close, drop, delay, refuse, disconnect, ...)
    port               0 for any free port
    hostname           the name in the greeting and EHLO answer (default mail.example.fi)
    certificate_file, key_file     PEM files for STARTTLS and implicit TLS
    starttls, require_starttls     offer STARTTLS; refuse other commands before it with 530
    implicit_tls       TLS from the first byte (smtps)
    auth               {"username": ..., "password": ..., "bearer_token": ..., "bearer_tokens": [...],
                        "xoauth2_refusal": "334" | "535"}: AUTH PLAIN and LOGIN with the password,
                       XOAUTH2 with the token or any of the tokens. A bad token gets Gmail's answer
                       by default ("334": a 334 challenge with a JSON error, then 535 after the
                       client's empty line), or Microsoft's ("535": 535 5.7.3 at once)
    auth_required      refuse MAIL before AUTH with 530
    auth_requires_tls  neither offer nor accept AUTH on an unencrypted session
    smtputf8           advertise SMTPUTF8 (default true)
    reject_recipients  {address: reply}: the RCPT answer for those addresses
    temporary_failures [{stage, reply, times, recipient}]
    throttle           {reply, times}: answer MAIL with reply for the first `times` transactions
    close_after        {messages, reply, connections}: after `messages` accepted messages on a
                       connection, answer the next command with reply (421) and close
    drop_during_data   {times, after_bytes}: close the connection abruptly (TCP reset) after
                       reading `after_bytes` of DATA, before answering the final dot
    delays             [{stage, seconds, times}]: wait before answering at that stage
    max_connections    {limit, reply}: refuse connections beyond `limit` at once with reply
    idle_timeout       seconds of client silence before the server hangs up (default 300)

Stages: connect (before the greeting), command (before any command), ehlo, mail, rcpt,
data (the DATA command), data_end (after the final dot, before the answer).

Each scripted fault becomes a Fault rule (see `faults_from_options`); a new kind of fault is a
new entry there, plus a new action in `Connection.apply_faults` if none of reply, delay, drop
and close fits. `times` counts how often a rule has fired in this server process; a rule
without `times` fires every time it matches.

On start it prints one line, {"ready": true, "port": N}, once it accepts connections. It exits
with status 0 on SIGTERM or SIGINT, and by itself when the process that started it goes away,
so that a crashed test run leaves no server behind.
"""

import asyncio
import base64
import functools
import json
import logging
import os
import signal
import socket
import ssl
import struct
import sys
import time
import warnings
from dataclasses import dataclass
from typing import Optional

# aiosmtpd warns when AUTH is allowed without TLS; here that is a scripted choice.
warnings.simplefilter("ignore")
# aiosmtpd logs every command at INFO and that choice again at WARNING; keep stderr for errors.
logging.getLogger("mail.log").setLevel(logging.ERROR)

from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword  # noqa: E402

STAGES = {"connect", "command", "ehlo", "mail", "rcpt", "data", "data_end"}
COMMANDS_ALLOWED_BEFORE_STARTTLS = {"EHLO", "HELO", "NOOP", "RSET", "STARTTLS", "QUIT"}


class OptionsError(Exception):
    """The options file asks for something this server cannot do."""


# ---------------------------------------------------------------------------------------------
# Scripted faults


@dataclass
class Fault:
    """One scripted misbehaviour: at `stage`, when it matches, do `action`."""

    name: str                         # the option it came from, for the event log
    stage: str
    action: str                       # "reply", "delay", "drop" or "close"
    reply: Optional[str] = None
    seconds: float = 0.0
    times: Optional[int] = None       # fires at most this often; None: always
    recipient: Optional[str] = None   # only for transactions involving this address
    after_messages: Optional[int] = None  # only once a connection has accepted this many
    after_bytes: int = 1              # for "drop" at stage "data"
    fired: int = 0

    def matches(self, connection: "Connection", address: Optional[str]) -> bool:
        if self.times is not None and self.fired >= self.times:
            return False
        if self.after_messages is not None and connection.accepted < self.after_messages:
            return False
        if self.recipient is not None:
            if self.stage == "rcpt":
                candidates = [address] if address else []
            else:
                candidates = connection.envelope.rcpt_tos if connection.envelope else []
            if self.recipient.lower() not in (c.lower() for c in candidates):
                return False
        return True


def is_final_reply(text: str) -> bool:
    """The last line of a reply that ends the command (not 334/354, which ask for more)."""
    return (len(text) == 3 or text[3:4] == " ") and text[:3] not in ("334", "354")


def require_reply(text, where: str) -> str:
    if not isinstance(text, str) or len(text) < 3 or not text[:3].isdigit():
        raise OptionsError(f"{where}: a reply must start with a three-digit code, not {text!r}")
    return text


def require_stage(stage, where: str) -> str:
    if stage not in STAGES:
        raise OptionsError(f"{where}: stage {stage!r} is not one of {sorted(STAGES)}")
    return stage


def faults_from_options(options: dict) -> list:
    """Turns the fault options into rules, in the order they are tried at each stage."""
    faults = []
    for index, item in enumerate(options.get("delays") or []):
        where = f"delays[{index}]"
        faults.append(Fault("delays", require_stage(item.get("stage"), where), "delay",
                            seconds=float(item.get("seconds", 0)), times=item.get("times"),
                            recipient=item.get("recipient")))
    close_after = options.get("close_after")
    if close_after:
        faults.append(Fault("close_after", "command", "close",
                            reply=require_reply(close_after.get("reply", "421 4.3.2 Service shutting down"),
                                                "close_after"),
                            after_messages=int(close_after["messages"]),
                            times=close_after.get("connections")))
    drop = options.get("drop_during_data")
    if drop:
        faults.append(Fault("drop_during_data", "data", "drop", times=drop.get("times"),
                            after_bytes=int(drop.get("after_bytes", 1)),
                            recipient=drop.get("recipient")))
    throttle = options.get("throttle")
    if throttle:
        faults.append(Fault("throttle", "mail", "reply",
                            reply=require_reply(throttle.get("reply"), "throttle"),
                            times=throttle.get("times")))
    for index, item in enumerate(options.get("temporary_failures") or []):
        where = f"temporary_failures[{index}]"
        stage = require_stage(item.get("stage"), where)
        if stage not in {"connect", "ehlo", "mail", "rcpt", "data", "data_end"}:
            raise OptionsError(f"{where}: a reply cannot be scripted at stage {stage!r}")
        if item.get("recipient") and stage in {"connect", "ehlo", "mail"}:
            raise OptionsError(f"{where}: no recipient is known yet at stage {stage!r}")
        faults.append(Fault("temporary_failures", stage, "reply",
                            reply=require_reply(item.get("reply", "451 4.3.0 Temporary local problem"), where),
                            times=item.get("times"), recipient=item.get("recipient")))
    for address, reply in (options.get("reject_recipients") or {}).items():
        faults.append(Fault("reject_recipients", "rcpt", "reply",
                            reply=require_reply(reply, f"reject_recipients[{address}]"),
                            recipient=address))
    return faults


# ---------------------------------------------------------------------------------------------
# Files the tests read


class EventLog:
    """Appends one JSON line per event, each with one write(2) on an O_APPEND descriptor: lines
    never interleave, and nothing waits on a flush. (Readers skip an unfinished last line.)"""

    def __init__(self, path: str):
        self.path = path
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, event: str, **fields):
        record = {"event": event, "time": time.time()}
        record.update({key: value for key, value in fields.items() if value is not None})
        os.write(self.fd, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    def last_connection_id(self) -> int:
        """The highest connection number an earlier run of this server logged (restart)."""
        highest = 0
        with open(self.path, "rb") as file:
            for line in file:
                if b'"connect"' in line:
                    try:
                        highest = max(highest, int(json.loads(line).get("connection", 0)))
                    except ValueError:
                        pass
        return highest


class Capture:
    """Saves accepted messages as NNNNNN.eml with an NNNNNN.json sidecar, each by rename."""

    def __init__(self, directory: str):
        self.directory = directory
        os.makedirs(directory, exist_ok=True)
        existing = [int(name[:-4]) for name in os.listdir(directory)
                    if name.endswith(".eml") and name[:-4].isdigit()]
        self.next_sequence = max(existing, default=0) + 1

    def save(self, content: bytes, sidecar: dict) -> int:
        sequence = self.next_sequence
        self.next_sequence += 1
        sidecar = dict(sidecar, sequence=sequence, size=len(content))
        base = os.path.join(self.directory, f"{sequence:06d}")
        # The sidecar lands first: a reader that sees the .eml can rely on its .json.
        self._write_atomically(base + ".json", json.dumps(sidecar, ensure_ascii=False).encode("utf-8"))
        self._write_atomically(base + ".eml", content)
        return sequence

    def _write_atomically(self, path: str, data: bytes):
        directory, name = os.path.split(path)
        temporary = os.path.join(directory, "." + name + ".tmp")
        with open(temporary, "wb") as file:
            file.write(data)
        os.rename(temporary, path)


# ---------------------------------------------------------------------------------------------
# The server


class ServerState:
    """What all connections share: options, faults, files, counters."""

    def __init__(self, options: dict):
        self.options = options
        self.faults = faults_from_options(options)
        self.events = EventLog(options["events_file"])
        self.capture = Capture(options["capture_dir"])
        self.next_connection_id = self.events.last_connection_id() + 1
        self.open_connections = set()
        self.peak = 0
        auth = options.get("auth") or {}
        self.username = auth["username"].encode("utf-8") if auth else None
        self.password = auth["password"].encode("utf-8") if auth.get("password") is not None else None
        self.bearer_token = auth["bearer_token"].encode("utf-8") if auth.get("bearer_token") else None
        self.bearer_tokens = {token.encode("utf-8") for token in auth.get("bearer_tokens") or []}
        if self.bearer_token is not None:
            self.bearer_tokens.add(self.bearer_token)
        self.xoauth2_refusal = auth.get("xoauth2_refusal") or "334"
        if self.xoauth2_refusal not in ("334", "535"):
            raise OptionsError("xoauth2_refusal is 334 (Gmail) or 535 (Microsoft)")
        self.mechanisms = (["LOGIN", "PLAIN"] if self.password is not None else []) + \
            (["XOAUTH2"] if self.bearer_tokens else [])
        if auth and not self.mechanisms:
            raise OptionsError("auth needs a password, a bearer_token or both")
        self.implicit_tls = bool(options.get("implicit_tls"))
        self.tls_context = None
        if options.get("starttls") or self.implicit_tls:
            if not options.get("certificate_file") or not options.get("key_file"):
                raise OptionsError("starttls and implicit_tls need certificate_file and key_file")
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(options["certificate_file"], options["key_file"])
            self.tls_context = context
        if options.get("require_starttls") and not options.get("starttls"):
            raise OptionsError("require_starttls needs starttls")
        if options.get("auth_required") and not auth:
            raise OptionsError("auth_required needs auth")
        limit = options.get("max_connections") or {}
        self.connection_limit = limit.get("limit")
        self.connection_limit_reply = require_reply(
            limit.get("reply", "421 4.7.0 Too many concurrent connections"), "max_connections")


class Hooks:
    """aiosmtpd's handler: forwards each hook to the connection it is about."""

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        return await server.on_ehlo(hostname, responses)

    async def handle_AUTH(self, server, session, envelope, args):
        return await server.on_auth(args)

    async def handle_MAIL(self, server, session, envelope, address, options):
        return await server.on_mail(address, options)

    async def handle_RCPT(self, server, session, envelope, address, options):
        return await server.on_rcpt(address, options)

    async def handle_DATA(self, server, session, envelope):
        return await server.on_data_end()

    async def auth_XOAUTH2(self, server, args):
        return await server.xoauth2(args)


class Handled(Exception):
    """A fault answered for the command (or closed the connection); skip the normal work."""


class Connection(SMTP):
    """One SMTP session, with event logging and scripted faults around aiosmtpd's commands."""

    def __init__(self, state: ServerState):
        options = state.options
        super().__init__(
            Hooks(),
            hostname=options.get("hostname", "mail.example.fi"),
            ident="tiedotin test SMTP server",
            enable_SMTPUTF8=options.get("smtputf8", True),
            tls_context=state.tls_context if options.get("starttls") else None,
            require_starttls=False,  # checked below, so that the refusal is logged
            auth_required=bool(options.get("auth_required")),
            auth_require_tls=False,  # checked below: it must also hold for implicit TLS
            authenticator=self._check_credentials,
            timeout=float(options.get("idle_timeout", 300)),
        )
        self.state = state
        self.id = 0
        self.accepted = 0
        self.last_reply: Optional[str] = None
        self.answering = None  # (command, argument) whose event is not logged yet
        self.last_message: Optional[int] = None
        self.auth_attempt_user: Optional[str] = None
        self.registered = False
        self.starttls_done = False
        self.refused = False
        self._smtp_methods = {name: self._scripted(name, method)
                              for name, method in self._smtp_methods.items()}

    # -- state

    @property
    def tls(self) -> bool:
        return self.state.implicit_tls or self.starttls_done

    @property
    def user(self) -> Optional[str]:
        if self.session is not None and self.session.authenticated and self.session.auth_data:
            return self.session.auth_data.login.decode("utf-8", "replace")
        return None

    def log(self, event: str, **fields):
        self.state.events.write(event, connection=self.id, tls=self.tls, **fields)

    async def push(self, status):
        """Sends a reply line; a command's event is logged just before its final reply, so
        that whatever a client has seen is already in the log when it acts on it."""
        text = status if isinstance(status, str) else status.decode("utf-8", "replace")
        self.last_reply = text
        if self.answering is not None and is_final_reply(text) and self.answering[0] != "STARTTLS":
            self._log_answered()
        await super().push(status)

    def _log_answered(self, interrupted: bool = False):
        name, arg = self.answering
        self.answering = None
        self._log_command(name, arg, interrupted)

    # -- connection lifetime

    def connection_made(self, transport):
        first = self._original_transport is None and not self.registered
        super().connection_made(transport)
        if not first:
            self.starttls_done = True  # the TLS layer calls in once its handshake is done
            return
        state = self.state
        self.registered = True
        self.id = state.next_connection_id
        state.next_connection_id += 1
        if self.state.implicit_tls:
            self.session.ssl = {"implicit": True}
        if state.connection_limit is not None and len(state.open_connections) >= state.connection_limit:
            self.refused = True
        state.open_connections.add(self)
        state.peak = max(state.peak, len(state.open_connections))
        peer = transport.get_extra_info("peername")
        self.log("connect", peer=f"{peer[0]}:{peer[1]}" if peer else None,
                 concurrent=len(state.open_connections), peak=state.peak)

    def _timeout_cb(self):
        # Logged before the hang-up, so a test can wait for the event instead of for the clock.
        self.log("idle_timeout")
        super()._timeout_cb()

    def connection_lost(self, error):
        if self in self.state.open_connections:
            self.state.open_connections.discard(self)
            self.log("disconnect", concurrent=len(self.state.open_connections), peak=self.state.peak)
        super().connection_lost(error)

    async def _handle_client(self):
        if self.refused:
            self.log("refuse", reply=self.state.connection_limit_reply, concurrent=len(self.state.open_connections))
            await self.push(self.state.connection_limit_reply)
            self.transport.close()
            return
        try:
            reply = await self.apply_faults("connect")
        except Handled:
            return
        if reply is not None:
            self.log("refuse", reply=reply, concurrent=len(self.state.open_connections))
            await self.push(reply)
            self.transport.close()
            return
        await super()._handle_client()

    # -- faults

    async def apply_faults(self, stage: str, address: Optional[str] = None, command: Optional[str] = None):
        """Runs the faults of `stage`; raises Handled when one answered instead of the server."""
        for fault in self.state.faults:
            if fault.stage != stage or not fault.matches(self, address):
                continue
            fault.fired += 1
            if fault.action == "delay":
                self.log("delay", stage=stage, seconds=fault.seconds, fault=fault.name)
                await asyncio.sleep(fault.seconds)
            elif fault.action == "reply":
                return fault.reply
            elif fault.action == "close":
                self.answering = None  # this close is the command's event
                self.log("close", stage=stage, command=command, reply=fault.reply, fault=fault.name)
                await self.push(fault.reply)
                self._handler_coroutine.cancel()
                self.transport.close()
                raise Handled()
            elif fault.action == "drop":
                if stage == "data":
                    await self.push("354 End data with <CR><LF>.<CR><LF>")
                    await self._read_some_data(fault.after_bytes)
                self.answering = None  # this drop is the command's event
                self.log("drop", stage=stage, fault=fault.name)
                self._reset_connection()
                raise Handled()
        return None

    async def _read_some_data(self, wanted: int):
        received = 0
        while received < wanted:
            line = await self._reader.readuntil(b"\r\n")
            if line == b".\r\n":
                break
            received += len(line)

    def _reset_connection(self):
        """Closes the TCP connection at once: SO_LINGER 0 makes it a reset, not a polite close."""
        raw = self._original_transport or self.transport
        sock = raw.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        self._handler_coroutine.cancel()
        raw.abort()

    # -- commands

    def _scripted(self, name: str, method):
        """Wraps one of aiosmtpd's smtp_* commands with faults, TLS policy and the event log."""

        @functools.wraps(method)
        async def run(arg):
            self.last_reply = None
            self.last_message = None
            self.answering = (name, arg)
            try:
                await self.apply_faults("command", command=name)
                if name in ("EHLO", "HELO"):
                    reply = await self.apply_faults("ehlo")
                    if reply is not None:
                        await self.push(reply)
                        raise Handled()
                if name == "DATA" and self.envelope.rcpt_tos:
                    reply = await self.apply_faults("data")
                    if reply is not None:
                        await self.push(reply)
                        raise Handled()
                if (self.state.options.get("require_starttls") and not self.tls
                        and name not in COMMANDS_ALLOWED_BEFORE_STARTTLS):
                    await self.push("530 5.7.0 Must issue a STARTTLS command first")
                    raise Handled()
                await method(arg)
            except Handled:
                pass
            except (asyncio.CancelledError, Exception):
                # The client went away in the middle (an AUTH challenge, DATA, a TLS handshake
                # it did not like): still an attempt.
                if self.answering is not None:
                    self._log_answered(interrupted=True)
                raise
            if self.answering is not None:  # STARTTLS: logged once the handshake is done
                self._log_answered()

        return run

    def _log_command(self, name: str, arg: Optional[str], interrupted: bool = False):
        fields = {"reply": self.last_reply, "interrupted": interrupted or None}
        if name in ("EHLO", "HELO"):
            fields["hostname"] = arg
        elif name in ("MAIL", "RCPT"):
            fields["address"] = self._address_of(arg, "FROM:" if name == "MAIL" else "TO:")
        elif name == "AUTH":
            fields["mechanism"] = (arg or "").split(" ")[0].upper() or None
            fields["user"] = self.user or self.auth_attempt_user
        elif name == "DATA":
            fields["message"] = self.last_message
        elif name not in ("STARTTLS", "QUIT", "RSET", "NOOP"):
            fields["argument"] = arg
        self.log(name.lower(), **fields)

    def _address_of(self, arg: Optional[str], keyword: str) -> Optional[str]:
        if not arg:
            return None
        rest = self._strip_command_keyword(keyword, arg)
        if rest is None:
            return None
        address, _ = self._getaddr(rest)
        return address

    # -- hooks (called by aiosmtpd inside the commands)

    async def on_ehlo(self, hostname: str, responses: list) -> list:
        self.session.host_name = hostname
        responses = [line for line in responses if not line.startswith("250-AUTH")]
        if self._auth_offered():
            responses.insert(-1, "250-AUTH " + " ".join(self.state.mechanisms))
        return responses

    def _auth_offered(self) -> bool:
        if self.state.username is None:
            return False
        return self.tls or not self.state.options.get("auth_requires_tls")

    async def on_auth(self, args):
        if self.state.username is None:
            return "502 5.5.1 Error: authentication not enabled"
        if not self._auth_offered():
            return "538 5.7.11 Encryption required for requested authentication mechanism"
        if args[0].upper() not in self.state.mechanisms:
            return "504 5.5.4 Unrecognized authentication type"
        return MISSING

    async def xoauth2(self, args) -> AuthResult:
        """RFC-less but common: base64 of "user=U^Aauth=Bearer T^A^A" (Google's and Microsoft's)."""
        if len(args) == 1:
            blob = await self.challenge_auth("")
            if blob is MISSING:
                return AuthResult(success=False, handled=True)
        else:
            try:
                blob = base64.b64decode(args[1], validate=True)
            except ValueError:
                await self.push("501 5.5.2 Can't decode base64")
                return AuthResult(success=False, handled=True)
        fields = dict(part.split(b"=", 1) for part in blob.split(b"\x01") if b"=" in part)
        user = fields.get(b"user", b"")
        self.auth_attempt_user = user.decode("utf-8", "replace")
        offered = fields.get(b"auth", b"")
        if user == self.state.username and offered.startswith(b"Bearer ") and offered[7:] in self.state.bearer_tokens:
            return AuthResult(success=True, auth_data=LoginPassword(user, b""))
        if self.state.xoauth2_refusal == "535":
            return AuthResult(success=False, handled=False,
                              message="535 5.7.3 Authentication unsuccessful [AM0PR10CA0001.EURPRD10.PROD.OUTLOOK.COM]")
        error = json.dumps({"status": "401", "schemes": "bearer", "scope": "https://mail.google.com/"})
        await self.challenge_auth(error)  # the client answers with an empty line
        return AuthResult(success=False, handled=False,
                          message="535 5.7.8 Username and Password not accepted")

    def _check_credentials(self, server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        self.auth_attempt_user = auth_data.login.decode("utf-8", "replace")
        success = (auth_data.login == self.state.username and auth_data.password == self.state.password)
        return AuthResult(success=success, handled=False, auth_data=auth_data)

    async def on_mail(self, address: str, options: list):
        reply = await self.apply_faults("mail", address)
        if reply is not None:
            return reply
        self.envelope.mail_from = address
        self.envelope.mail_options.extend(options)
        return "250 2.1.0 Ok"

    async def on_rcpt(self, address: str, options: list):
        reply = await self.apply_faults("rcpt", address)
        if reply is not None:
            return reply
        self.envelope.rcpt_tos.append(address)
        self.envelope.rcpt_options.extend(options)
        return "250 2.1.5 Ok"

    async def on_data_end(self):
        reply = await self.apply_faults("data_end")
        if reply is not None:
            return reply
        envelope = self.envelope
        sequence = self.state.capture.save(envelope.original_content, {
            "connection": self.id,
            "mail_from": envelope.mail_from,
            "mail_options": envelope.mail_options,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": self.tls,
            "user": self.user,
            "time": time.time(),
        })
        self.accepted += 1
        self.last_message = sequence
        return f"250 2.0.0 Ok: queued as {sequence:06d}"


# ---------------------------------------------------------------------------------------------
# Start and stop


async def watch_parent(parent: int, stop: asyncio.Event):
    """Ends the server when the test process that started it is gone (it crashed or was killed)."""
    while os.getppid() == parent:
        await asyncio.sleep(0.5)
    stop.set()


async def serve(options: dict):
    state = ServerState(options)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: Connection(state),
        host="127.0.0.1",
        port=int(options.get("port", 0)),
        ssl=state.tls_context if state.implicit_tls else None,
        reuse_address=True,
    )
    stop = asyncio.Event()
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    watcher = asyncio.create_task(watch_parent(os.getppid(), stop))
    port = server.sockets[0].getsockname()[1]
    print(json.dumps({"ready": True, "port": port}), flush=True)
    await stop.wait()
    watcher.cancel()
    server.close()
    for connection in list(state.open_connections):
        if connection.transport is not None:
            connection.transport.abort()
    await server.wait_closed()


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: smtp_server.py OPTIONS.json", file=sys.stderr)
        return 2
    # Foundation's Process spawns from a thread that blocks most signals, and a child inherits
    # that mask: SIGTERM would stay pending forever. Take the signals back.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    try:
        with open(sys.argv[1], encoding="utf-8") as file:
            options = json.load(file)
        for key in ("capture_dir", "events_file"):
            if key not in options:
                raise OptionsError(f"the options file lacks {key!r}")
        asyncio.run(serve(options))
    except (OptionsError, OSError, ssl.SSLError, ValueError, KeyError, TypeError) as error:
        print(f"smtp_server.py: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
