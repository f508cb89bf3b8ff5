"""Expands recurrence rules with python-dateutil, the independent judge of our RRULE evaluation.

Usage: compare_rrule.py CASES.json

CASES.json is a list of {"rule": "FREQ=...", "start": "2027-01-13T09:00:00", "limit": N}. Each rule is
expanded from the floating (wall-clock) DTSTART, as the service expands rules on the local wall clock,
and the first N occurrences are printed as a JSON list of lists of "YYYY-MM-DDTHH:MM:SS".
"""

import datetime
import itertools
import json
import sys

from dateutil import rrule


def main():
    with open(sys.argv[1], encoding="utf-8") as file:
        cases = json.load(file)
    results = []
    for case in cases:
        start = datetime.datetime.fromisoformat(case["start"])
        rule = rrule.rrulestr(case["rule"], dtstart=start)
        results.append([moment.isoformat() for moment in itertools.islice(rule, case["limit"])])
    print(json.dumps(results))


if __name__ == "__main__":
    main()
