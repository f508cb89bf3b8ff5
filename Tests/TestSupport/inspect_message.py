"""Parses one mail message with Python's email package and prints what a mail client would see, as JSON.

Usage: inspect_message.py PATH

Tests of the message writer and of delivery run this on the bytes they produced, so that an
independent, standards-following parser (email.policy.default, RFC 5322/2045-2047/2231) judges them.

Output:
  defects          every defect Python found: of the message, of each part, of each header, as strings
  headers          {name: [decoded values, in order]} of the top-level header
  addresses        {name: [{"display_name", "addr_spec"}]} for the address headers
  structure        the part tree, e.g. "multipart/mixed(multipart/alternative(text/plain,text/html),application/pdf)"
  parts            the leaf parts in order: content_type, charset, filename, disposition,
                   transfer_encoding, params, and text (decoded str, line breaks as in the message) for text parts or size and sha256 otherwise
  max_line_octets  the longest line, without its line break
  bare_lf, bare_cr whether any LF without CR before it, or CR without LF after it, occurs
"""

import email
import email.policy
import hashlib
import json
import re
import sys

ADDRESS_HEADERS = {"from", "to", "cc", "bcc", "reply-to", "sender", "resent-from", "resent-to"}


def header_defects(part):
    defects = []
    for name, value in part.items():
        for defect in getattr(value, "defects", ()):
            defects.append(f"{name}: {type(defect).__name__}: {defect}")
    return defects


def structure(part):
    if part.is_multipart():
        return part.get_content_type() + "(" + ",".join(structure(p) for p in part.iter_parts()) + ")"
    return part.get_content_type()


def main():
    with open(sys.argv[1], "rb") as f:
        raw = f.read()
    message = email.message_from_bytes(raw, policy=email.policy.default)

    defects = []
    parts = []
    for part in message.walk():
        defects.extend(f"{part.get_content_type()}: {type(d).__name__}: {d}" for d in part.defects)
        defects.extend(header_defects(part))
        if part.is_multipart():
            continue
        entry = {
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "filename": part.get_filename(),
            "disposition": part.get_content_disposition(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "params": {k: str(v) for k, v in part.get_params(header="content-type", unquote=True)[1:]}
            if part.get_params(header="content-type") else {},
        }
        content = part.get_content()
        if isinstance(content, str):
            entry["text"] = content
        else:
            entry["size"] = len(content)
            entry["sha256"] = hashlib.sha256(content).hexdigest()
        parts.append(entry)

    headers = {}
    addresses = {}
    for name, value in message.items():
        headers.setdefault(name, []).append(str(value))
        if name.lower() in ADDRESS_HEADERS:
            addresses.setdefault(name, []).extend(
                {"display_name": a.display_name, "addr_spec": a.addr_spec} for a in value.addresses
            )

    lines = raw.split(b"\n")
    max_line = max((len(line[:-1] if line.endswith(b"\r") else line) for line in lines), default=0)
    bare_lf = re.search(rb"(?<!\r)\n", raw) is not None
    bare_cr = re.search(rb"\r(?!\n)", raw) is not None

    json.dump({
        "defects": defects,
        "headers": headers,
        "addresses": addresses,
        "structure": structure(message),
        "parts": parts,
        "max_line_octets": max_line,
        "bare_lf": bare_lf,
        "bare_cr": bare_cr,
    }, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
