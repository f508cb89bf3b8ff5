#!/usr/bin/python3
"""Runs a command under the system-call filter of a systemd unit, as systemd would apply it.

    /usr/bin/python3 apply_syscall_filter.py UNIT -- COMMAND [ARGUMENTS...]

Reads SystemCallFilter=, SystemCallErrorNumber= and SystemCallArchitectures= from UNIT, expands
the @groups with `systemd-analyze syscall-filter` (the groups of the systemd on this machine),
builds the filter with libseccomp (Debian's python3-seccomp: it imports only under /usr/bin/python3),
loads it and execs COMMAND, which keeps the PID (signals sent to it reach COMMAND).

As in systemd: a first filter line without ~ is an allow-list (everything else gets the default
action), each later ~ line takes calls out of it; the default action is killing the process
unless SystemCallErrorNumber= names an errno to answer with instead. Only the native
architecture is allowed (SystemCallArchitectures=native).
"""
import errno
import os
import subprocess
import sys

import seccomp

_groups = {}


def expand(name):
    """The system calls a name stands for: itself, or every call of a @group, recursively."""
    if not name.startswith("@"):
        return {name}
    if name not in _groups:
        listing = subprocess.run(
            ["systemd-analyze", "syscall-filter", name], check=True, capture_output=True, text=True
        ).stdout.splitlines()
        calls = set()
        for line in listing[1:]:
            entry = line.strip()
            if not entry or entry.startswith("#"):
                continue
            calls |= expand(entry)
        _groups[name] = calls
    return _groups[name]


def read_unit(path):
    filters, error_number, architectures = [], None, None
    with open(path, encoding="utf-8") as unit:
        for line in unit:
            line = line.strip()
            if line.startswith("SystemCallFilter="):
                filters.append(line.split("=", 1)[1].strip())
            elif line.startswith("SystemCallErrorNumber="):
                error_number = line.split("=", 1)[1].strip()
            elif line.startswith("SystemCallArchitectures="):
                architectures = line.split("=", 1)[1].strip()
    return filters, error_number, architectures


def main():
    separator = sys.argv.index("--")
    unit, command = sys.argv[1], sys.argv[separator + 1:]
    filters, error_number, architectures = read_unit(unit)
    if not filters or filters[0].startswith("~"):
        sys.exit("apply_syscall_filter: the unit's first SystemCallFilter= must be an allow-list")
    allowed = set()
    for entry in filters:
        deny = entry.startswith("~")
        names = set()
        for name in entry.lstrip("~").split():
            names |= expand(name)
        allowed = allowed - names if deny else allowed | names
    if error_number and error_number != "kill":
        default = seccomp.ERRNO(getattr(errno, error_number))
    else:
        default = seccomp.KILL_PROCESS
    rules = seccomp.SyscallFilter(defaction=default)
    if architectures not in (None, "native"):
        sys.exit("apply_syscall_filter: only SystemCallArchitectures=native is imitated")
    unknown = []
    for call in sorted(allowed):
        try:
            rules.add_rule(seccomp.ALLOW, call)
        except (RuntimeError, ValueError, OSError):
            unknown.append(call)  # not a call of this architecture; systemd skips it as well
    rules.load()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()
