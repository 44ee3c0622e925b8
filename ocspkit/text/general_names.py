"""GeneralNames as OpenSSL prints them: GENERAL_NAME_print, and i2v_GENERAL_NAME's name:value pairs."""

from __future__ import annotations

from typing import List, Optional, Tuple

from ..oid import OtherNameFormOID, oid_name
from .ber import CONTEXT, TLV, UNIVERSAL, Undecodable, expect, oid_text, parse_first, read_oid
from .names import name_oneline, name_oneline_flags
from .values import bytes_text, string_print

__all__ = ["general_name_print", "general_name_value", "general_names", "no_nul"]


def _ip_text(data: bytes) -> str:
    """ossl_ipaddr_to_asc: dotted quad, eight ``%X`` groups, or OpenSSL's complaint."""
    if len(data) == 4:
        return ".".join(str(b) for b in data)
    if len(data) == 16:
        return ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(0, 16, 2))
    return f"<invalid length={len(data)}>"


_OTHERNAME_LABELS = {
    OtherNameFormOID.SMTP_UTF8_MAILBOX: "SmtpUTF8Mailbox",
    OtherNameFormOID.XMPP_ADDR: "XmppAddr",
    OtherNameFormOID.SRV_NAME: "SRVName",
    OtherNameFormOID.MS_UPN: "UPN",
    OtherNameFormOID.NAI_REALM: "NAIRealm",
}


def _other_name(gn: TLV) -> Tuple[str, Optional[str], TLV, bool]:
    """An otherName: its type-id, OpenSSL's label for it (None where it has none), its value, and
    whether the value has the string type OpenSSL expects under that label."""
    parts = gn.children()
    if len(parts) != 2 or not parts[1].is_(CONTEXT, 0):
        raise Undecodable("bad otherName")
    oid, value = read_oid(parts[0]), parse_first(parts[1].content)
    label = _OTHERNAME_LABELS.get(oid)
    expected = 22 if label == "SRVName" else 12  # IA5String for SRVName, else UTF8String
    return oid, label, value, label is not None and value.is_(UNIVERSAL, expected)


def general_name_print(gn: TLV) -> str:
    """GENERAL_NAME_print: ``URI:...``, ``DirName:CN = x``, ``IP Address:...``, ..."""
    if gn.cls != CONTEXT:
        raise Undecodable("not a GeneralName")
    num = gn.num
    if num == 0:
        _, label, value, typed = _other_name(gn)
        if not typed:
            return "othername:<unsupported>"
        return f"othername:{label}:{bytes_text(value.content)}"
    if num == 3:
        return "X400Name:<unsupported>"
    if num == 5:
        return "EdiPartyName:<unsupported>"
    if num in (1, 2, 6):
        label = {1: "email", 2: "DNS", 6: "URI"}[num]
        return f"{label}:{string_print(gn.content)}"
    if num == 4:
        return "DirName:" + name_oneline_flags(parse_first(gn.content).raw)
    if num == 7:
        return "IP Address:" + _ip_text(gn.content)
    if num == 8:
        return "Registered ID:" + oid_name(oid_text(gn.content))
    raise Undecodable("bad GeneralName tag")


def no_nul(data: bytes) -> bytes:
    """A string value as x509v3_add_len_value takes it: one final NUL dropped, an embedded NUL
    :class:`~ocspkit.text.ber.Undecodable` (OpenSSL then fails the whole extension)."""
    if b"\0" in data[:-1]:
        raise Undecodable("embedded NUL")
    return data.rstrip(b"\0") if data.endswith(b"\0") else data


def general_name_value(gn: TLV) -> Tuple[Optional[str], Optional[str]]:
    """i2v_GENERAL_NAME: the (name, value) pair X509V3_EXT_val_prn shows as ``name:value``."""
    if gn.cls != CONTEXT:
        raise Undecodable("not a GeneralName")
    num = gn.num
    if num == 0:
        oid, label, value, typed = _other_name(gn)
        if label is not None:
            if not typed:
                raise Undecodable("bad otherName value")
            return f"othername: {label}:", bytes_text(no_nul(value.content))
        prefix = f"othername: {oid_name(oid)}:"
        if value.cls == UNIVERSAL and value.num in (22, 12) and not value.cons:
            return prefix, bytes_text(no_nul(value.content))
        return prefix, "<unsupported>"
    if num == 3:
        return "X400Name", "<unsupported>"
    if num == 5:
        return "EdiPartyName", "<unsupported>"
    if num in (1, 2, 6):
        return {1: "email", 2: "DNS", 6: "URI"}[num], bytes_text(no_nul(gn.content))
    if num == 4:
        return "DirName", name_oneline(parse_first(gn.content).raw, 256)
    if num == 7:
        return "IP Address", _ip_text(gn.content)
    if num == 8:
        return "Registered ID", oid_name(oid_text(gn.content))[:255]
    raise Undecodable("bad GeneralName tag")


def general_names(data: bytes) -> List[TLV]:
    """The GeneralName elements of a GeneralNames SEQUENCE (the first element of ``data``)."""
    return expect(parse_first(data), 16, True).children()
