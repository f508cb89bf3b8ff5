#!/usr/bin/env python3
"""make bench: tiedotin's delivery, queueing, memory and start-up against references measured in
the same run, on 127.0.0.1 only; and, timed apart, the intake of 1,000 drop-folder items with the
edition compiled from them and the planning of invitations for 50 forums of 1,000 members.

Delivery is measured into Postfix's smtp-sink against two references sending the same number of
messages of the product's own average size: smtp-source (the wire's limit) and the bare libcurl
sender in Benchmarks/BareSender (the stack's limit). Runs are alternated and repeated; medians are
reported, as ratios. Nothing here asserts: it measures and prints.

A timed run is never watched: reading a process's memory (/proc/PID/smaps_rollup, every 20 ms)
costs the machine CPU and takes the process's memory lock, so memory comes from runs of their
own, the same for the bare sender and for tiedotin, and no rate or time is taken from them.

Delivery runs are short (about a second each) and this machine's speed drifts between them, so
delivery has rounds of its own, more than the rest: one round's ratio moves by ±0.2 and its
spread (one standard deviation) is about 0.09, so the median of fifteen rounds moves by about
±0.03 and that of thirty by about ±0.02. Each round runs the senders in the opposite order to the
round before, so none always runs right after another.

Usage: scripts/bench.py [--messages 10000] [--rounds 3] [--delivery-rounds 30] [--connections 1,4] [--json FILE]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RELEASE = os.environ.get("BENCH_BUILD_DIR", os.path.join(ROOT, ".build", "release"))
TIEDOTIN = os.path.join(RELEASE, "tiedotin")
BARE_SENDER = os.path.join(RELEASE, "bare-sender")
SENDER = "jarjestotyo@pohde.example.fi"
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MemorySampler:
    """Samples a process's private (anonymous) and total resident memory until it ends."""

    def __init__(self, pid, interval=0.02):
        self.pid, self.interval = pid, interval
        self.peak_anonymous = self.peak_rss = 0
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        path = f"/proc/{self.pid}/smaps_rollup"
        while True:
            try:
                with open(path) as rollup:
                    fields = dict(line.split(":", 1) for line in rollup if ":" in line and not line.startswith(" "))
            except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
                return
            anonymous = int(fields.get("Anonymous", "0 kB").split()[0])
            rss = int(fields.get("Rss", "0 kB").split()[0])
            self.peak_anonymous = max(self.peak_anonymous, anonymous)
            self.peak_rss = max(self.peak_rss, rss)
            time.sleep(self.interval)

    def stop(self):
        self.thread.join(timeout=2)
        return {"anonymous_kib": self.peak_anonymous, "rss_kib": self.peak_rss}


class ThreadSampler:
    """Samples the CPU time of each thread of a process (`schedstat`, nanoseconds) until it ends,
    keeping each thread's last value and name. Sampling every 2 ms costs the machine something, so
    it runs only in extra runs that no ratio uses; a thread's last 2 ms may be missed."""

    def __init__(self, pid, interval=0.002):
        self.pid, self.interval = pid, interval
        self.seen = {}
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while True:
            try:
                tids = os.listdir(f"/proc/{self.pid}/task")
            except (FileNotFoundError, ProcessLookupError):
                return
            for tid in tids:
                try:
                    with open(f"/proc/{self.pid}/task/{tid}/comm") as comm, open(f"/proc/{self.pid}/task/{tid}/schedstat") as stat, \
                            open(f"/proc/{self.pid}/task/{tid}/stat") as ticks:
                        # utime is the 14th field of stat, counted from after the name's closing parenthesis.
                        user = int(ticks.read().rsplit(")", 1)[1].split()[11]) * 1e9 / TICKS_PER_SECOND
                        self.seen[tid] = (comm.read().strip(), int(stat.read().split()[0]), user)
                except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
                    continue
            time.sleep(self.interval)

    def stop(self):
        """Milliseconds of CPU by thread: tiedotin's delivery threads by their names
        ("connections", "claims", "results"); any other thread as the main one ("main") or the
        rest ("threads": all of the bare sender's connections). "connections user" and "threads
        user" are the part of those spent outside the kernel (in clock ticks, so coarser): the
        two senders make the same system calls, so their difference is the code around them."""
        self.thread.join(timeout=2)
        groups = {}
        for tid, (name, nanoseconds, user) in self.seen.items():
            if name.startswith("delivery-"):
                group = "connections"
            elif name in ("claims", "results"):
                group = name
            else:
                group = "main" if tid == str(self.pid) else "threads"
            groups[group] = groups.get(group, 0) + nanoseconds / 1e6
            groups[group + " user"] = groups.get(group + " user", 0) + user / 1e6
        return groups


def run_measured(command, env=None, sample_memory=False, sample_threads=False):
    """Runs a command to its end; returns (seconds, stdout, memory peaks or None), and with
    `sample_threads` the CPU milliseconds of its threads as a fourth value."""
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    sampler = MemorySampler(process.pid) if sample_memory else None
    threads = ThreadSampler(process.pid) if sample_threads else None
    out, err = process.communicate()
    seconds = time.monotonic() - started
    memory = sampler.stop() if sampler else None
    if process.returncode not in (0, 3):
        sys.exit(f"bench: {' '.join(command)} exited {process.returncode}:\n{err[-2000:]}")
    if threads:
        return seconds, out, memory, threads.stop()
    return seconds, out, memory


class Sink:
    """Postfix's smtp-sink on a free loopback port: accepts everything, stores nothing."""

    def __init__(self):
        self.port = free_port()
        command = ["smtp-sink"]
        if os.geteuid() == 0:
            command += ["-u", "nobody"]  # it refuses to run as root without dropping privileges
        command += [f"127.0.0.1:{self.port}", "1024"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        sys.exit("bench: smtp-sink did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=5)


def config_opening():
    """The first lines of every workspace's config: the organisation, the paths (relative to the
    config's folder) and the sender."""
    return f"""organisation:
  name: Pohjois-Pohjanmaan hyvinvointialue
paths:
  database: tiedotin.sqlite
  drop_folder: drop
  archive: archive
  templates: {os.path.join(ROOT, "Templates")}
mail:
  from: "Pohden järjestötyö <{SENDER}>"
"""


class Workspace:
    """A tiedotin config, database and member list in a temporary folder, delivering to the sink."""

    def __init__(self, folder, sink_port, members):
        self.folder = folder
        self.config = os.path.join(folder, "tiedotin.yaml")
        self.database = os.path.join(folder, "tiedotin.sqlite")
        self.sink_port = sink_port
        self.write_config(connections=1)
        csv = os.path.join(folder, "members.csv")
        with open(csv, "w") as file:
            file.write("email,name,organisation,networks\n")
            for index in range(members):
                file.write(f"jasen{index}@yhdistys{index % 97}.example.fi,Jäsen {index},Yhdistys {index % 97} ry,jyry\n")
        self.tiedotin("members", "import", csv)
        self.notice = os.path.join(folder, "notice.md")
        shutil.copy(os.path.join(ROOT, "Config", "notice.example.md"), self.notice)

    def write_config(self, connections):
        with open(self.config, "w") as file:
            file.write(config_opening() + f"""  transport: smtp
  smtp:
    url: smtp://127.0.0.1:{self.sink_port}
    starttls: off
    auth: none
    timeout: 30s
  rate:
    per_minute: 0
    per_day: 0
  connections: {connections}
networks:
  - id: jyry
    name: Järjestöyhteistyöryhmä JYRY
    kind: forum
logging:
  level: warning
""")

    def env(self):
        env = dict(os.environ)
        env["TIEDOTIN_CONFIG"] = self.config
        env.pop("NOTIFY_SOCKET", None)
        return env

    def tiedotin(self, *arguments, sample_memory=False, sample_threads=False):
        return run_measured([TIEDOTIN, *arguments], env=self.env(), sample_memory=sample_memory, sample_threads=sample_threads)

    def thread_cpu(self, connections):
        """An extra `serve --once`, no ratio uses it: the CPU milliseconds of its threads."""
        self.write_config(connections)
        return self.tiedotin("serve", "--once", sample_threads=True)[3]

    def queue(self, sample_memory=False):
        """Queues one notice to every member; returns the seconds it took, and with
        `sample_memory` (in a run whose time is not used) the memory peaks."""
        seconds, _, memory = self.tiedotin(
            "announce", "--network", "jyry", "--subject", "Tervetuloa aamukahveille", "--body", self.notice,
            sample_memory=sample_memory)
        return seconds, memory

    def average_message_size(self):
        with sqlite3.connect(self.database) as db:
            body, = db.execute("SELECT length(content) FROM outbox_body ORDER BY id DESC LIMIT 1").fetchone()
            header, = db.execute("SELECT avg(length(headers)) FROM outbox_content").fetchone()
        return int(body + header + 2)

    def queued_snapshot(self):
        """A copy of the database with one send queued, to restore before each delivery run."""
        snapshot = os.path.join(self.folder, "queued.sqlite")
        with sqlite3.connect(self.database) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copy(self.database, snapshot)
        return snapshot

    def restore(self, snapshot):
        for suffix in ("", "-wal", "-shm"):
            try:
                os.remove(self.database + suffix)
            except FileNotFoundError:
                pass
        shutil.copy(snapshot, self.database)

    def deliver(self, connections, sample_memory=False):
        """Runs `serve --once`; returns the delivery's seconds, the whole run's, the count sent and,
        with `sample_memory` (in a run whose time is not used), the memory peaks. The delivery is
        timed from the product's own records, like the bare sender times itself: from the first
        hand-off to the last (each row's last_attempt_at), so N messages make N - 1 intervals.
        Process start-up is measured apart (ready)."""
        self.write_config(connections)
        seconds, _, memory = self.tiedotin("serve", "--once", sample_memory=sample_memory)
        with sqlite3.connect(self.database) as db:
            sent, first, last = db.execute(
                "SELECT count(*), min(last_attempt_at), max(last_attempt_at) FROM outbox WHERE state = 'sent'").fetchone()
        delivery = (last - first) * sent / (sent - 1) if sent > 1 else seconds
        return delivery, seconds, sent, memory


def smtp_source(port, messages, connections, size):
    command = ["smtp-source", "-d", "-s", str(connections), "-m", str(messages), "-l", str(size),
               "-f", SENDER, "-t", "jasen@yhdistys.example.fi", f"127.0.0.1:{port}"]
    seconds, _, _ = run_measured(command)
    return seconds


def bare_sender(port, messages, connections, size, sample_memory=False):
    command = [BARE_SENDER, "--url", f"smtp://127.0.0.1:{port}", "--messages", str(messages),
               "--connections", str(connections), "--size", str(size), "--from", SENDER]
    seconds, out, memory = run_measured(command, sample_memory=sample_memory)
    result = json.loads(out)
    if result["failed"]:
        sys.exit(f"bench: the bare sender had {result['failed']} failures")
    return result["seconds"], memory


def bare_thread_cpu(port, messages, connections, size):
    """An extra bare-sender run, no ratio uses it: the CPU milliseconds of its threads."""
    command = [BARE_SENDER, "--url", f"smtp://127.0.0.1:{port}", "--messages", str(messages),
               "--connections", str(connections), "--size", str(size), "--from", SENDER]
    return run_measured(command, sample_threads=True)[3]


def help_time(rounds=10):
    times = []
    for _ in range(rounds):
        started = time.monotonic()
        subprocess.run([TIEDOTIN, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def ready_time_and_idle_memory(workspace, rounds=5):
    """Seconds from exec to READY=1 on a notify socket (median), and the idle service's memory."""
    times, memory = [], None
    for index in range(rounds):
        path = os.path.join(workspace.folder, f"notify-{index}.socket")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(path)
        listener.settimeout(10)
        env = workspace.env()
        env["NOTIFY_SOCKET"] = path
        started = time.monotonic()
        process = subprocess.Popen([TIEDOTIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ready = None
        try:
            while ready is None:
                message = listener.recv(4096).decode(errors="replace")
                if "READY=1" in message.split("\n"):
                    ready = time.monotonic() - started
        except socket.timeout:
            pass
        if ready is not None:
            times.append(ready)
        elif index < rounds - 1:
            index = rounds - 1  # no notify support: measure the idle memory once and stop
        if index == rounds - 1:
            time.sleep(3)  # settle into idle before measuring
            sampler = MemorySampler(process.pid)
            time.sleep(1)
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
            memory = sampler.stop()
        else:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        listener.close()
    return (statistics.median(times) if times else None), memory


class PlanningWorkspace:
    """The newsletter's intake and the meetings' planning, each in a fresh folder of its own:
    1,000 items dropped into the drop folder and compiled into an edition, and invitations for 50
    forums of 1,000 members each (10,000 members on five forums apiece). Nothing is sent: the
    transport is a maildir and the daily cap is one message, so `serve --once` plans every
    invitation and hands over one."""

    forums = 50
    members = 10_000
    forums_per_member = 5
    items = 1_000

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder)
        self.config = os.path.join(folder, "tiedotin.yaml")
        meeting_day = time.strftime("%Y-%m-%d", time.localtime(time.time() + 7 * 86400))
        forums = "".join(f"""  - id: foorumi-{index}
    name: Järjestöfoorumi {index}
    invitees: [foorumi-{index}]
    location: Teams
    meetings:
      - id: foorumi-{index}-kokous
        start: {meeting_day}T10:00
""" for index in range(self.forums))
        networks = "".join(f"""  - id: foorumi-{index}
    name: Järjestöfoorumi {index}
    kind: forum
""" for index in range(self.forums))
        with open(self.config, "w") as file:
            file.write(config_opening() + f"""  transport: maildir
  maildir: maildir
  rate:
    per_minute: 0
    per_day: 1
intake:
  settle: 1s
networks:
{networks}forums:
{forums}logging:
  level: warning
""")
        csv = os.path.join(folder, "members.csv")
        with open(csv, "w") as file:
            file.write("email,name,organisation,networks\n")
            self.memberships = 0
            for index in range(self.members):
                forums = sorted({(index + step * 10) % self.forums for step in range(self.forums_per_member)})
                self.memberships += len(forums)
                networks = ";".join(f"foorumi-{forum}" for forum in forums)
                file.write(f"jasen{index}@yhdistys{index % 97}.example.fi,Jäsen {index},Yhdistys {index % 97} ry,{networks}\n")
        self.tiedotin("members", "import", csv)

    env = Workspace.env  # the same environment: this workspace's config, no notify socket

    def tiedotin(self, *arguments):
        started = time.monotonic()
        result = subprocess.run([TIEDOTIN, *arguments], env=self.env(), cwd=self.folder, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if result.returncode not in (0, 3):
            sys.exit(f"bench: tiedotin {' '.join(arguments)} exited {result.returncode}: {result.stderr.strip()}")
        return seconds, result

    def intake_and_edition(self):
        """Seconds for `tiedotin intake` to accept the 1,000 items, and for `newsletter preview` to
        compile the edition from them."""
        incoming = os.path.join(self.folder, "drop", "incoming")
        os.makedirs(incoming, exist_ok=True)
        for index in range(self.items):
            with open(os.path.join(incoming, f"tapahtuma-{index}.md"), "w") as file:
                file.write(f"""---
title: Vapaaehtoistoiminnan perehdytys {index}
organisation: Yhdistys {index % 97} ry
section: koulutukset
contact: Pia Kangas <pia.kangas{index}@example.fi>
date: 2027-0{1 + index % 9}-{10 + index % 18}
link: https://example.fi/ilmoittaudu/{index}
---
Tervetuloa perehdytykseen {index}, jos haluat toimia vapaaehtoisena lapsiperheiden tukena!
Perehdytys pidetään Oulussa Kehräämössä klo 17–19.

- Mitä vapaaehtoistoiminta meillä on
- Vaitiolo ja turvallisuus

Ilmoittaudu viimeistään **13.1.2027** [lomakkeella](https://example.fi/ilmoittaudu/{index}).
""")
        time.sleep(1.5)  # intake.settle: a file is taken once it has not changed for a second
        intake_seconds, _ = self.tiedotin("intake")
        accepted = len(os.listdir(os.path.join(self.folder, "drop", "accepted")))
        if accepted != self.items:
            sys.exit(f"bench: intake accepted {accepted} of {self.items} items")
        edition_seconds, _ = self.tiedotin("newsletter", "preview", "--out", os.path.join(self.folder, "preview"))
        with open(os.path.join(self.folder, "preview", "edition.html"), encoding="utf-8") as file:
            if f"Vapaaehtoistoiminnan perehdytys {self.items - 1}" not in file.read():
                sys.exit("bench: the edition does not hold every item")
        return intake_seconds, edition_seconds

    def invitations(self):
        """Seconds for `serve --once` to plan and queue every forum's invitation, and how many it queued."""
        seconds, _ = self.tiedotin("serve", "--once")
        with sqlite3.connect(os.path.join(self.folder, "tiedotin.sqlite")) as db:
            queued, = db.execute("SELECT count(*) FROM outbox").fetchone()
        if queued != self.memberships:
            sys.exit(f"bench: {queued} invitations queued, not {self.memberships}")
        return seconds, queued


def planning_times(folder, rounds):
    """Medians over `rounds` fresh workspaces: intake of 1,000 items, the edition compiled from
    them, and invitations for 50 forums × 1,000 members."""
    intake, edition, invitations, count = [], [], [], 0
    for index in range(rounds):
        workspace = PlanningWorkspace(os.path.join(folder, f"planning-{index}"))
        seconds, compiled = workspace.intake_and_edition()
        intake.append(seconds)
        edition.append(compiled)
        seconds, count = workspace.invitations()
        invitations.append(seconds)
    return {"intake_seconds": statistics.median(intake), "edition_seconds": statistics.median(edition),
            "invitation_seconds": statistics.median(invitations), "invitations": count}


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def busy_share(seconds=1.0):
    """The share of the machine's CPU that other processes use while the bench waits `seconds`."""
    def counters():
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
        return sum(fields), fields[3] + fields[4]  # all ticks; idle and iowait
    total, idle = counters()
    time.sleep(seconds)
    total_after, idle_after = counters()
    return 1 - (idle_after - idle) / max(1, total_after - total)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of queueing")
    parser.add_argument("--delivery-rounds", type=int, default=30,
                        help="rounds of delivery, each running the three senders one after the other")
    parser.add_argument("--connections", default="1,4")
    parser.add_argument("--json", help="also write the figures to this file")
    options = parser.parse_args()
    connection_counts = [int(value) for value in options.connections.split(",")]
    for program in (TIEDOTIN, BARE_SENDER):
        if not os.access(program, os.X_OK):
            sys.exit(f"bench: {program} is missing: run `make bench`, which builds it in release mode")

    # Something else busy on the machine moves every figure (a stray process spinning on one of two
    # cores made one connection look three times as fast: no core was ever idle to wake up from).
    busy_before = busy_share()
    if busy_before > 0.1:
        print(f"bench: other processes use {busy_before:.0%} of the CPU; the figures will not compare with a quiet run",
              file=sys.stderr, flush=True)
    sink = Sink()
    folder = tempfile.mkdtemp(prefix="tiedotin-bench-")
    try:
        workspace = Workspace(folder, sink.port, options.messages)
        first_queue, _ = workspace.queue()  # makes every member's unsubscribe token once
        size = workspace.average_message_size()
        queue_times = []
        for _ in range(options.rounds):
            seconds, _ = workspace.queue()
            queue_times.append(seconds)
        _, queue_memory = workspace.queue(sample_memory=True)
        snapshot = workspace.queued_snapshot()
        # Keep one send queued: clear the others so each delivery run sends `messages` messages.
        with sqlite3.connect(snapshot) as db:
            last, = db.execute("SELECT max(id) FROM outbox_body").fetchone()
            # Python's sqlite3 leaves foreign keys off: the other sends' header rows go by hand (until
            # run 28 they stayed, and every delivery run copied a database four times its size).
            db.execute("DELETE FROM outbox_content WHERE outbox_id IN (SELECT id FROM outbox WHERE body_id != ?)", (last,))
            db.execute("DELETE FROM outbox WHERE body_id != ?", (last,))
            db.execute("DELETE FROM outbox_body WHERE id != ?", (last,))
        with sqlite3.connect(snapshot) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # restore() copies the main file only

        results = {conns: {"smtp-source": [], "bare": [], "tiedotin": [], "tiedotin-run": []} for conns in connection_counts}
        senders = ("smtp-source", "bare", "tiedotin")
        for index in range(options.delivery_rounds):
            # Alternate the three senders within each round so drift hits them alike, and reverse
            # the order every other round so that none always runs right after another.
            steps = [(conns, sender) for conns in connection_counts for sender in senders]
            if index % 2:
                steps.reverse()
            for conns, sender in steps:
                if sender == "smtp-source":
                    results[conns]["smtp-source"].append(smtp_source(sink.port, options.messages, conns, size))
                elif sender == "bare":
                    seconds, _ = bare_sender(sink.port, options.messages, conns, size)
                    results[conns]["bare"].append(seconds)
                else:
                    workspace.restore(snapshot)
                    seconds, whole_run, sent, _ = workspace.deliver(conns)
                    if sent != options.messages:
                        sys.exit(f"bench: tiedotin sent {sent} of {options.messages}")
                    results[conns]["tiedotin"].append(seconds)
                    results[conns]["tiedotin-run"].append(whole_run)
            for conns in connection_counts:
                latest = {name: options.messages / times[-1] for name, times in results[conns].items()}
                print(f"round {len(results[conns]['bare'])}, {conns} connection(s): " + ", ".join(
                    f"{name} {value:,.0f} msg/s" for name, value in latest.items()), file=sys.stderr, flush=True)

        # The memory of a send on one connection, in runs of their own (3 of each sender, the peak).
        delivery_memory, bare_memory = [], []
        for _ in range(3):
            bare_memory.append(bare_sender(sink.port, options.messages, 1, size, sample_memory=True)[1])
            workspace.restore(snapshot)
            delivery_memory.append(workspace.deliver(1, sample_memory=True)[3])

        # Where each sender's CPU goes, from extra runs of each (3, medians by thread group).
        thread_cpu = {}
        for conns in connection_counts:
            bare_runs, product_runs = [], []
            for _ in range(3):
                bare_runs.append(bare_thread_cpu(sink.port, options.messages, conns, size))
                workspace.restore(snapshot)
                product_runs.append(workspace.thread_cpu(conns))
            median_of = lambda runs, group: statistics.median(run.get(group, 0) for run in runs)
            thread_cpu[conns] = {
                "bare": {group: median_of(bare_runs, group) for group in ("threads", "threads user", "main")},
                "tiedotin": {group: median_of(product_runs, group)
                             for group in ("connections", "connections user", "claims", "results", "main", "threads")},
            }

        ready, idle_memory = ready_time_and_idle_memory(workspace)
        help_seconds = help_time()
        planning = planning_times(folder, options.rounds)
    finally:
        sink.stop()
        shutil.rmtree(folder, ignore_errors=True)

    rate = lambda seconds: options.messages / seconds
    figures = {"messages": options.messages, "message_size": size, "rounds": options.rounds,
               "delivery_rounds": options.delivery_rounds, "delivery": {}}
    lines = [f"tiedotin bench: {options.messages} messages of {size} bytes, {options.delivery_rounds} rounds of delivery, "
             f"{options.rounds} of queueing; rates are medians, ratios the median of each round's ratio "
             "(in brackets the middle half of the rounds' ratios)",
             "", "| connections | smtp-source | bare sender | tiedotin | tiedotin/bare (target ≥ 0.95) "
             "| tiedotin/smtp-source | bare/smtp-source (reference sane ≥ 0.8 at 1) | whole run incl. start-up / bare |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    def round_ratios(times, faster, slower):
        # A ratio per round, of runs made one after the other: on a machine whose speed drifts (a
        # VM), neighbours in time compare better than medians taken apart.
        return [times[slower][index] / times[faster][index] for index in range(len(times[faster]))]

    def round_ratio(times, faster, slower):
        return statistics.median(round_ratios(times, faster, slower))

    def middle_half(values):
        if len(values) < 4:
            return ""
        quartiles = statistics.quantiles(values, n=4)
        return f" ({quartiles[0]:.2f}–{quartiles[2]:.2f})"

    for conns in connection_counts:
        times = results[conns]
        rates = {name: rate(statistics.median(values)) for name, values in times.items()}
        ratios = {"tiedotin/bare": round_ratio(times, "tiedotin", "bare"),
                  "tiedotin/smtp-source": round_ratio(times, "tiedotin", "smtp-source"),
                  "bare/smtp-source": round_ratio(times, "bare", "smtp-source"),
                  "whole run/bare": round_ratio(times, "tiedotin-run", "bare")}
        product_to_bare = round_ratios(times, "tiedotin", "bare")
        figures["delivery"][conns] = {"messages_per_second": rates, "ratios": ratios,
                                      "tiedotin/bare by round": product_to_bare}
        lines.append(
            f"| {conns} | {rates['smtp-source']:,.0f} msg/s | {rates['bare']:,.0f} msg/s | {rates['tiedotin']:,.0f} msg/s "
            f"| {ratios['tiedotin/bare']:.2f}{middle_half(product_to_bare)} | {ratios['tiedotin/smtp-source']:.2f}"
            f"{' (target ≥ 0.85)' if conns == 1 else ''} | {ratios['bare/smtp-source']:.2f} "
            f"| {ratios['whole run/bare']:.2f} |")

    lines += ["", f"CPU of each sender's threads for {options.messages} messages, ms (extra runs, 3 each, medians; "
              "not used by any ratio):", "",
              "| connections | bare sender's connections (of it outside the kernel) | tiedotin's connections (outside the kernel) "
              "| claims | results | tiedotin's other threads |",
              "| --- | --- | --- | --- | --- | --- |"]
    for conns in connection_counts:
        bare, product = thread_cpu[conns]["bare"], thread_cpu[conns]["tiedotin"]
        lines.append(f"| {conns} | {bare['threads']:.0f} ({bare['threads user']:.0f}) "
                     f"| {product['connections']:.0f} ({product['connections user']:.0f}) | {product['claims']:.0f} "
                     f"| {product['results']:.0f} | {product['main'] + product['threads']:.0f} |")
    figures["thread_cpu_ms"] = thread_cpu

    bare_one = statistics.median(results[connection_counts[0]]["bare"])
    queue_median = statistics.median(queue_times)
    lines += ["", f"Composing and queueing {options.messages}: {queue_median:.2f} s "
              f"({first_queue:.2f} s the first time, tokens made) = {ratio(queue_median, bare_one):.3f} × the bare "
              f"sender's time on one connection (target < 0.1)"]

    per_invitation = planning["invitation_seconds"] / planning["invitations"]
    lines += [f"Intake of {PlanningWorkspace.items:,} drop-folder items: {planning['intake_seconds']:.2f} s; compiling an "
              f"edition from them (newsletter preview): {planning['edition_seconds']:.2f} s (timed apart; no target)",
              f"Planning invitations for {PlanningWorkspace.forums} forums × 1,000 members ({planning['invitations']:,} "
              f"invitations composed and queued, serve --once): {planning['invitation_seconds']:.2f} s = "
              f"{per_invitation * 1e6:.0f} µs an invitation (timed apart; no target)"]

    def kib(value):
        return f"{value / 1024:.1f} MiB"

    bare_peak = max(bare_memory, key=lambda m: m["anonymous_kib"]) if bare_memory else None
    send_peak = max(delivery_memory, key=lambda m: m["anonymous_kib"]) if delivery_memory else None
    queue_peak = queue_memory
    if bare_peak and send_peak:
        peak_anonymous = max(send_peak["anonymous_kib"], queue_peak["anonymous_kib"] if queue_peak else 0)
        lines += [f"Private memory, {options.messages} send at its peak: {kib(peak_anonymous)} "
                  f"(delivery {kib(send_peak['anonymous_kib'])}, queueing {kib(queue_peak['anonymous_kib'])}) = "
                  f"{ratio(peak_anonymous, bare_peak['anonymous_kib']):.2f} × the bare sender's {kib(bare_peak['anonymous_kib'])} "
                  f"(target ≤ 2.5); total RSS {kib(send_peak['rss_kib'])} against {kib(bare_peak['rss_kib'])}"]
    if idle_memory and bare_peak:
        lines += [f"Private memory, idle serve: {kib(idle_memory['anonymous_kib'])} = "
                  f"{ratio(idle_memory['anonymous_kib'], bare_peak['anonymous_kib']):.2f} × the bare sender's (target ≤ 1.5); "
                  f"total RSS {kib(idle_memory['rss_kib'])}"]
    if ready is None:
        lines += ["Ready: serve sent no READY=1 on NOTIFY_SOCKET within 10 s (no sd_notify support?)"]
    else:
        lines += [f"Ready (READY=1): {ready * 1000:.0f} ms = {ratio(ready, help_seconds):.2f} × `--help`'s "
                  f"{help_seconds * 1000:.0f} ms (target ≤ 3)"]
    figures.update(queue_seconds=queue_median, first_queue_seconds=first_queue, bare_memory=bare_peak,
                   delivery_memory=send_peak, queue_memory=queue_peak, idle_memory=idle_memory,
                   ready_seconds=ready, help_seconds=help_seconds, planning=planning)
    busy_after = busy_share()
    figures.update(busy_before=busy_before, busy_after=busy_after)
    if max(busy_before, busy_after) > 0.1:
        lines += ["", f"WARNING: other processes used {busy_before:.0%} of the CPU before the run and {busy_after:.0%} "
                  "after it: these figures do not compare with a quiet machine's."]
    print("\n".join(lines))
    if options.json:
        with open(options.json, "w") as file:
            json.dump(figures, file, indent=2)


if __name__ == "__main__":
    main()
