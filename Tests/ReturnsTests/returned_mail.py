"""Builds the mail that comes back to tiedotin and drops it into a Maildir, as a mail server would.

Input: a JSON file {"maildir": PATH, "messages": [{"kind": KIND, ...}, ...]}.
Output (stdout): {"names": [the Maildir name of each message, in order]}.

Delivery status notifications follow RFC 3464 (multipart/report; report-type=delivery-status with a
message/delivery-status part of per-message and per-recipient fields), shaped like the ones Postfix,
Exchange Online and Gmail send. Everything is built with Python's email package.
"""
import json
import mailbox
import os
import sys
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.header import Header
from email.utils import formatdate, make_msgid

DATE = "Wed, 3 Feb 2027 10:15:02 +0200"


def original(spec):
    """The message tiedotin sent, as the reporting server returns it."""
    msg = MIMEText("Hyvät yhdyshenkilöt,\n\nJYRY kokoontuu 10.2.2027.\n", "plain", "utf-8")
    msg["Return-Path"] = "<%s>" % spec.get("envelope", "bounces@pohde.example.fi")
    msg["From"] = "Pohden järjestötyö <jarjestotyo@pohde.example.fi>"
    msg["To"] = spec["recipient"]
    msg["Subject"] = Header("JYRYn kokous 10.2.2027 – esityslista", "utf-8")
    msg["Message-ID"] = "<20270203081500.abc@pohde.example.fi>"
    msg["Date"] = DATE
    return msg


def status_part(per_message, recipients):
    """message/delivery-status: a per-message block, then one block per recipient (RFC 3464 §2.1)."""
    part = Message()
    part.set_type("message/delivery-status")
    blocks = []
    for fields in [per_message] + recipients:
        block = Message()
        for name, value in fields:
            block[name] = value
        blocks.append(block)
    part.set_payload(blocks)
    return part


def headers_part(spec):
    part = MIMEBase("text", "rfc822-headers")
    part.set_payload(original(spec).as_string().split("\n\n", 1)[0] + "\n")
    return part


def report(spec, sender, subject, human, per_message, recipient, tail, extra=()):
    msg = MIMEMultipart("report", report_type="delivery-status")
    msg["Return-Path"] = "<>"
    msg["Delivered-To"] = spec["delivered_to"]
    msg["From"] = sender
    msg["To"] = spec["delivered_to"]
    msg["Subject"] = subject
    msg["Date"] = DATE
    msg["Message-ID"] = make_msgid(domain="mx.example.net")
    msg["Auto-Submitted"] = "auto-replied"
    for name, value in extra:
        msg[name] = value
    msg.attach(human)
    msg.attach(status_part(per_message, [recipient]))
    msg.attach(tail)
    return msg


def postfix(spec):
    rcpt = spec["recipient"]
    status = spec.get("status", "5.1.1")
    delayed = status.startswith("4")
    diagnostic = spec.get(
        "diagnostic",
        "smtp; 550 5.1.1 <%s>: Recipient address rejected: User unknown in virtual mailbox table" % rcpt)
    human = MIMEText(
        "This is the mail system at host mail.pohde.example.fi.\n\n"
        + ("####################################################################\n"
           "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n"
           "####################################################################\n\n" if delayed else
           "I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n")
        + "<%s>: %s\n" % (rcpt, diagnostic.split(";", 1)[1].strip()))
    human["Content-Description"] = "Notification"
    recipient = [
        ("Final-Recipient", "rfc822; " + rcpt),
        ("Original-Recipient", "rfc822;" + rcpt),
        ("Action", "delayed" if delayed else "failed"),
        ("Status", status),
        ("Remote-MTA", "dns; mx.example.fi"),
        ("Diagnostic-Code", diagnostic),
    ]
    if delayed:
        recipient.append(("Will-Retry-Until", "Wed, 8 Feb 2027 10:15:02 +0200"))
    tail = headers_part(spec)
    tail["Content-Description"] = "Undelivered Message Headers"
    return report(
        spec, "MAILER-DAEMON@mail.pohde.example.fi (Mail Delivery System)",
        "Delayed Mail (still being retried)" if delayed else "Undelivered Mail Returned to Sender",
        human,
        [("Reporting-MTA", "dns; mail.pohde.example.fi"), ("X-Postfix-Queue-ID", "4ZxQ2k1Lm3z9sTb"),
         ("X-Postfix-Sender", "rfc822; " + spec["delivered_to"]), ("Arrival-Date", DATE)],
        recipient, tail)


def exchange(spec):
    rcpt = spec["recipient"]
    human = MIMEMultipart("alternative")
    human.attach(MIMEText(
        "Your message to %s couldn't be delivered.\n%s wasn't found at example.fi.\n\n"
        "Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n"
        % (rcpt, rcpt.split("@")[0]), "plain", "utf-8"))
    human.attach(MIMEText(
        "<html><body><p>Your message to <a href=\"mailto:%s\">%s</a> couldn't be delivered.</p></body></html>" % (rcpt, rcpt),
        "html", "utf-8"))
    recipient = [
        ("Final-Recipient", "rfc822;" + rcpt),
        ("Action", "failed"),
        ("Status", "5.1.10"),
        ("Diagnostic-Code", "smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup"),
        ("X-Display-Name", rcpt),
    ]
    return report(
        spec, "Microsoft Outlook <postmaster@pohde.onmicrosoft.com>",
        "Undeliverable: JYRYn kokous 10.2.2027", human,
        [("Reporting-MTA", "dns;HE1PR0701MB2299.eurprd07.prod.outlook.com"),
         ("Received-From-MTA", "dns;mail.pohde.example.fi"), ("Arrival-Date", "Wed, 3 Feb 2027 08:15:01 +0000")],
        recipient, MIMEMessage(original(spec)),
        extra=[("X-MS-Exchange-Message-Is-Ndr", ""), ("Content-Language", "en-US")])


def gmail(spec):
    rcpt = spec["recipient"]
    related = MIMEMultipart("related")
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(
        "\n** Address not found **\n\nYour message wasn't delivered to %s because the address couldn't be found, "
        "or is unable to receive mail.\n\nThe response from the remote server was:\n"
        "550 5.1.1 The email account that you tried to reach does not exist.\n" % rcpt, "plain", "utf-8"))
    alternative.attach(MIMEText("<html><body><h1>Address not found</h1></body></html>", "html", "utf-8"))
    related.attach(alternative)
    recipient = [
        ("Final-Recipient", "rfc822; " + rcpt),
        ("Action", "failed"),
        ("Status", "5.1.1"),
        ("Remote-MTA", "dns; gmail-smtp-in.l.google.com. (2a00:1450:4010:c1e::1b, the server for the domain gmail.com.)"),
        # Long: the generator folds it over several lines, as Gmail's are.
        ("Diagnostic-Code", "smtp; 550-5.1.1 The email account that you tried to reach does not exist. Please try "
            "550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary spaces. "
            "For more information, go to 550 5.1.1  https://support.google.com/mail/?p=NoSuchUser "
            "a640c23a62f3a-a9a1d3e5c1fsi812345466b.123 - gsmtp"),
        ("Last-Attempt-Date", "Wed, 03 Feb 2027 00:15:03 -0800 (PST)"),
    ]
    return report(
        spec, "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "Delivery Status Notification (Failure)", related,
        [("Reporting-MTA", "dns; googlemail.com"), ("Arrival-Date", "Wed, 03 Feb 2027 00:15:02 -0800 (PST)")],
        recipient, headers_part(spec), extra=[("X-Failed-Recipients", rcpt)])


def garbled(spec):
    """A report whose delivery-status part lost its fields: only the tag and the text remain."""
    rcpt = spec["recipient"]
    msg = MIMEMultipart("report", report_type="delivery-status")
    msg["Return-Path"] = "<>"
    msg["Delivered-To"] = spec["delivered_to"]
    msg["From"] = "MAILER-DAEMON@relay.example.net"
    msg["To"] = spec["delivered_to"]
    msg["Subject"] = "failure notice"
    msg["Date"] = DATE
    msg.attach(MIMEText(
        "Hi. This is the mail transport at relay.example.net.\n"
        "I'm afraid I wasn't able to deliver your message to the following addresses.\n\n"
        "<%s>:\n550 5.1.1 mailbox unavailable: no such user here\n" % rcpt))
    # The per-message block survived; the per-recipient block did not.
    msg.attach(status_part([("Reporting-MTA", "dns; relay.example.net"), ("X-Truncated", "yes")], []))
    return msg


def out_of_office(spec):
    msg = MIMEText("Olen lomalla 15.2.2027 asti. Kiireellisissä asioissa soita 040 123 4567.\n", "plain", "utf-8")
    msg["Delivered-To"] = spec["delivered_to"]
    msg["From"] = spec.get("sender", "Aino Korhonen <aino.korhonen@example.fi>")
    msg["To"] = spec["delivered_to"]
    msg["Subject"] = Header("Automaattinen vastaus: JYRYn kokous 10.2.2027", "utf-8")
    msg["Date"] = DATE
    msg["Auto-Submitted"] = "auto-replied"
    msg["X-Autoreply"] = "yes"
    msg["Precedence"] = "auto_reply"
    return msg


def request(spec):
    """A person's (or a mail client's) message to the unsubscribe address."""
    msg = MIMEText(spec.get("body", ""), "plain", "utf-8")
    msg["Delivered-To"] = spec.get("delivered_to", "unsubscribe@pohde.example.fi")
    msg["From"] = spec.get("sender", "Pia Kangas <pia.kangas@example.fi>")
    msg["To"] = "unsubscribe@pohde.example.fi"
    msg["Subject"] = Header(spec["subject"], "utf-8") if spec.get("encode") else spec["subject"]
    msg["Date"] = formatdate()
    msg["Message-ID"] = make_msgid(domain="example.fi")
    if spec.get("auto"):
        # A mailbox provider sending the mailto: request itself marks it as machine-made (RFC 3834).
        msg["Auto-Submitted"] = "auto-generated"
    return msg


BUILDERS = {
    "postfix": postfix, "exchange": exchange, "gmail": gmail, "garbled": garbled,
    "out-of-office": out_of_office, "request": request,
}


def main():
    with open(sys.argv[1]) as handle:
        spec = json.load(handle)
    os.makedirs(os.path.dirname(spec["maildir"]), exist_ok=True)
    box = mailbox.Maildir(spec["maildir"], factory=None, create=True)
    names = []
    for message in spec["messages"]:
        if message["kind"] == "garbage":
            data = bytes(range(256)) * 4 + b"\n\nnot mail at all\n"
            names.append(box.add(data))
        else:
            names.append(box.add(BUILDERS[message["kind"]](message).as_bytes()))
    print(json.dumps({"names": names}))


main()
