"""ASN.1 times as OpenSSL reads and prints them (ossl_asn1_time_to_tm, ASN1_TIME_print)."""

from __future__ import annotations

import datetime as _dt
from typing import Any, List, Tuple

from .ber import TLV, UNIVERSAL, Undecodable

__all__ = ["asn1_time_print", "datetime_print", "time_fields", "time_print", "time_tlv_print"]


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def time_fields(text: str, generalized: bool) -> Tuple[List[int], str, str]:
    """The fields of an ASN.1 time (year, month, day, hour, minute, second), its fraction and
    its zone part, checked as ossl_asn1_time_to_tm checks them."""
    digits = 4 if generalized else 2
    pos = 0
    fields: List[int] = []
    for index, width in enumerate((digits, 2, 2, 2, 2, 2)):
        part = text[pos : pos + width]
        if index == 5 and (not part or part[0] in "Z+-."):
            fields.append(0)  # seconds are optional in OpenSSL's non-strict reading
            break
        if len(part) != width or not part.isdigit():
            raise Undecodable("bad time")
        fields.append(int(part))
        pos += width
    if not generalized:
        fields[0] += 2000 if fields[0] < 50 else 1900
    fraction = ""
    if generalized and text[pos : pos + 1] == ".":
        end = pos + 1
        while end < len(text) and text[end].isdigit():
            end += 1
        fraction = text[pos:end]
        if len(fraction) == 1:
            raise Undecodable("empty fraction")
        pos = end
    zone = text[pos:]
    year, month, day, hour, minute, second = fields
    if not 1 <= month <= 12 or hour > 23 or minute > 59 or second > 59:
        raise Undecodable("bad time")
    leap = month == 2 and (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0))
    if not 1 <= day <= _DAYS[month - 1] + (1 if leap else 0):
        raise Undecodable("bad time")
    if zone not in ("", "Z"):
        if len(zone) != 5 or zone[0] not in "+-" or not zone[1:].isdigit():
            raise Undecodable("bad zone")
        if int(zone[1:3]) > 12 or int(zone[3:5]) > 59:
            raise Undecodable("bad zone")
    return fields, fraction, zone


def time_print(content: bytes, generalized: bool) -> str:
    """ASN1_TIME_print (RFC 822 style): ``Mar  2 00:00:00 2017 GMT``, with the fraction of a
    GeneralizedTime as written and `` GMT`` only for times ending in ``Z``; OpenSSL's
    ``Bad time value`` for what it cannot read."""
    try:
        text = content.decode("ascii")
        fields, fraction, zone = time_fields(text, generalized)
    except (UnicodeDecodeError, Undecodable):
        return "Bad time value"
    year, month, day, hour, minute, second = fields
    if zone not in ("", "Z"):
        # An offset: the time is moved to UTC (ossl_asn1_time_to_tm), still without " GMT".
        sign = 1 if zone[0] == "+" else -1
        offset = _dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
        try:
            moment = _dt.datetime(year, month, day, hour, minute, second) - sign * offset
        except (ValueError, OverflowError):
            return "Bad time value"
        year, month, day = moment.year, moment.month, moment.day
        hour, minute, second = moment.hour, moment.minute, moment.second
    gmt = " GMT" if text.endswith("Z") else ""
    return f"{_MONTHS[month - 1]} {day:2d} {hour:02d}:{minute:02d}:{second:02d}{fraction} {year}{gmt}"


def datetime_print(value: _dt.datetime) -> str:
    """ASN1_GENERALIZEDTIME_print's layout for an aware datetime, in UTC: ``Nov 20 23:37:46 2026
    GMT`` (a fraction of a second is kept, as a GeneralizedTime with one prints it)."""
    value = value.astimezone(_dt.timezone.utc)
    fraction = f".{value.microsecond:06d}".rstrip("0") if value.microsecond else ""
    return (
        f"{_MONTHS[value.month - 1]} {value.day:2d} {value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        f"{fraction} {value.year} GMT"
    )


def time_tlv_print(tlv: TLV) -> str:
    """ASN1_TIME_print of a UTCTime or GeneralizedTime element; ``Bad time value`` for any other."""
    if tlv.cls == UNIVERSAL and tlv.num in (23, 24) and not tlv.cons:
        return time_print(tlv.content, tlv.num == 24)
    return "Bad time value"


def asn1_time_print(value: Any) -> str:
    """ASN1_TIME_print of an asn1crypto UTCTime / GeneralizedTime / Time, from its encoding."""
    if value.__class__.__name__ == "Time":
        value = value.chosen
    return time_print(bytes(value.contents), value.tag == 24)
