"""Parses one iCalendar file with the icalendar package and prints what a calendar client would see, as JSON.

Usage: parse_calendar.py PATH

The iCalendar writer's tests run this on what they wrote, so that an independent RFC 5545 parser
(icalendar.Calendar.from_ical) judges it rather than the writer's own idea of the format.

Output:
  errors      parse errors icalendar noted on any component (a well-formed calendar has none)
  method, prodid, version, calscale   the VCALENDAR properties, as text
  events      each VEVENT: uid, sequence, dtstamp, dtstart, dtend (ISO 8601 with offset, as icalendar
              resolves them), dtstart_by_vtimezone and dtend_by_vtimezone (the same wall-clock time
              resolved with the calendar's own VTIMEZONE alone, not the tz database), tzid (of DTSTART),
              summary, location, description, url, status, organizer and attendees ({address, cn, role,
              partstat, rsvp}), alarms (how many VALARMs)
  timezones   each VTIMEZONE: tzid and its components ({kind, dtstart, tzoffsetfrom, tzoffsetto,
              tzname, rrule, rdates}), and transitions: every onset as icalendar reads the components alone
              ({utc, offset, name}, recurrences expanded up to 2038)
"""

import json
import sys

import icalendar


def offset_text(delta):
    seconds = int(delta.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    text = f"{sign}{seconds // 3600:02d}{seconds // 60 % 60:02d}"
    return text + (f"{seconds % 60:02d}" if seconds % 60 else "")


def iso(value):
    if value is None:
        return None
    return value.isoformat()


def text(value):
    return None if value is None else str(value)


def address(value):
    if value is None:
        return None
    params = value.params
    return {
        "address": str(value),
        "cn": params.get("CN"),
        "role": params.get("ROLE"),
        "partstat": params.get("PARTSTAT"),
        "rsvp": params.get("RSVP"),
    }


def component_errors(component):
    errors = []
    for item in component.walk():
        for error in getattr(item, "errors", []):
            errors.append(f"{item.name}: {error}")
    return errors


def main():
    with open(sys.argv[1], "rb") as file:
        calendar = icalendar.Calendar.from_ical(file.read())

    own_zones = {}
    timezones = []
    for zone in calendar.walk("VTIMEZONE"):
        tzid = str(zone["TZID"])
        own = zone.to_tz(lookup_tzid=False)
        own_zones[tzid] = own
        components = []
        for sub in zone.subcomponents:
            rrule = sub.get("RRULE")
            rdates = []
            for rdate in sub.get("RDATE", []) if isinstance(sub.get("RDATE"), list) else [sub.get("RDATE")] if sub.get("RDATE") else []:
                rdates.extend(d.dt.strftime("%Y%m%dT%H%M%S") for d in rdate.dts)
            components.append({
                "kind": sub.name,
                "dtstart": sub.decoded("DTSTART").strftime("%Y%m%dT%H%M%S"),
                "tzoffsetfrom": offset_text(sub.decoded("TZOFFSETFROM")),
                "tzoffsetto": offset_text(sub.decoded("TZOFFSETTO")),
                "tzname": text(sub.get("TZNAME")),
                "rrule": rrule.to_ical().decode() if rrule is not None else None,
                "rdates": rdates,
            })
        # icalendar's own reading of the components: every onset (RRULEs expanded up to 2038) in UTC.
        times, infos = zone.get_transitions()
        transitions = [
            {"utc": time.strftime("%Y-%m-%dT%H:%M:%SZ"), "offset": offset_text(info[0]), "name": info[2]}
            for time, info in zip(times, infos)
        ]
        timezones.append({"tzid": tzid, "components": components, "transitions": transitions})

    events = []
    for event in calendar.walk("VEVENT"):
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else None
        tzid = event["DTSTART"].params.get("TZID")

        def by_own_zone(value):
            # A wall-clock time with TZID, resolved with the calendar's own VTIMEZONE; UTC times stay.
            if value is None or tzid is None or tzid not in own_zones:
                return iso(value)
            return iso(value.replace(tzinfo=own_zones[tzid]))

        attendees = event.get("ATTENDEE", [])
        if not isinstance(attendees, list):
            attendees = [attendees]
        events.append({
            "uid": text(event.get("UID")),
            "sequence": event.decoded("SEQUENCE") if "SEQUENCE" in event else None,
            "dtstamp": iso(event.decoded("DTSTAMP")),
            "dtstart": iso(start),
            "dtend": iso(end),
            "dtstart_by_vtimezone": by_own_zone(start),
            "dtend_by_vtimezone": by_own_zone(end),
            "tzid": tzid,
            "summary": text(event.get("SUMMARY")),
            "location": text(event.get("LOCATION")),
            "description": text(event.get("DESCRIPTION")),
            "url": text(event.get("URL")),
            "status": text(event.get("STATUS")),
            "organizer": address(event.get("ORGANIZER")),
            "attendees": [address(a) for a in attendees],
            "alarms": len(event.walk("VALARM")),
        })

    print(json.dumps({
        "errors": component_errors(calendar),
        "method": text(calendar.get("METHOD")),
        "prodid": text(calendar.get("PRODID")),
        "version": text(calendar.get("VERSION")),
        "calscale": text(calendar.get("CALSCALE")),
        "events": events,
        "timezones": timezones,
    }, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
