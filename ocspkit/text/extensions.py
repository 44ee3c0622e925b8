"""X.509v3 extension values as X509V3_EXT_print prints them, and lists as X509V3_extensions_print.

Each printer takes the extnValue octets and the indent and returns the text OpenSSL prints (without
the newline X509V3_extensions_print adds), or raises :class:`~ocspkit.text.ber.Undecodable` where
OpenSSL's decoder fails; :func:`extension_value_text` then prints the raw octets, as OpenSSL does.
The printers cover the certificate and CRL extensions of RFC 5280, the OCSP extensions of RFC 6960,
CT's SCT lists (RFC 6962) and the Netscape extensions OpenSSL still prints.
"""

from __future__ import annotations

import datetime as _dt
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ..oid import (
    CertificatePoliciesOID,
    CRLEntryExtensionOID,
    ExtensionOID,
    OCSPExtensionOID,
    oid_name,
)
from .ber import (
    CONTEXT,
    TLV,
    UNIVERSAL,
    Undecodable,
    bit_string_octets,
    expect,
    int_value,
    parse_first,
    read_integer,
    read_oid,
)
from .general_names import general_name_print, general_name_value, general_names, no_nul
from .names import name_oneline_flags
from .times import time_print
from .values import bytes_text, hex_colons, i2a_integer, i2a_string, i2s_integer, magnitude_octets, string_print

__all__ = ["extension_list", "extension_value_text", "extensions_text"]


_Values = List[Tuple[Optional[str], Optional[str]]]


def _val_print(values: _Values, indent: int, multiline: bool) -> str:
    """X509V3_EXT_val_prn."""
    pad = " " * indent
    if not values:
        return pad + "<EMPTY>\n"
    items = []
    for name, value in values:
        if name is None:
            items.append(value or "")
        elif value is None:
            items.append(name)
        else:
            items.append(f"{name}:{value}")
    if multiline:
        return "\n".join(pad + item for item in items)
    return pad + ", ".join(items)


def _ext_general_names(data: bytes, indent: int) -> str:
    return _val_print([general_name_value(gn) for gn in general_names(data)], indent, False)


def _ext_basic_constraints(data: bytes, indent: int) -> str:
    parts = expect(parse_first(data), 16, True).children()
    ca = False
    path_len: Optional[int] = None
    if parts and parts[0].is_(UNIVERSAL, 1):
        if len(parts[0].content) != 1:
            raise Undecodable("bad BOOLEAN")
        ca = parts[0].content != b"\x00"
        parts = parts[1:]
    if parts:
        path_len = read_integer(parts[0])
        parts = parts[1:]
    if parts:
        raise Undecodable("extra fields")
    values: _Values = [("CA", "TRUE" if ca else "FALSE")]
    if path_len is not None:
        values.append(("pathlen", i2s_integer(path_len)))
    return _val_print(values, indent, False)


def _bit_set(data: bytes, bit: int) -> bool:
    return bit // 8 < len(data) and bool(data[bit // 8] & (0x80 >> (bit % 8)))


_KEY_USAGE = (
    "Digital Signature", "Non Repudiation", "Key Encipherment", "Data Encipherment", "Key Agreement",
    "Certificate Sign", "CRL Sign", "Encipher Only", "Decipher Only",
)  # fmt: skip


_NS_CERT_TYPE = (
    "SSL Client", "SSL Server", "S/MIME", "Object Signing", "Unused", "SSL CA", "S/MIME CA", "Object Signing CA",
)  # fmt: skip


def _bit_names(table: Sequence[str]) -> Callable[[bytes, int], str]:
    def printer(data: bytes, indent: int) -> str:
        bits = bit_string_octets(parse_first(data))
        values: _Values = [(name, None) for bit, name in enumerate(table) if _bit_set(bits, bit)]
        return _val_print(values, indent, False)

    return printer


def _ext_key_usage_oids(data: bytes, indent: int) -> str:
    oids = [read_oid(item) for item in expect(parse_first(data), 16, True).children()]
    return _val_print([(None, oid_name(oid)[:79]) for oid in oids], indent, False)


def _ext_octets_hex(data: bytes, indent: int) -> str:
    return " " * indent + hex_colons(expect(parse_first(data), 4, False).content)


def _ext_akid(data: bytes, indent: int) -> str:
    key_id: Optional[bytes] = None
    issuer: Optional[List[TLV]] = None
    serial: Optional[bytes] = None
    for part in expect(parse_first(data), 16, True).children():
        if part.is_(CONTEXT, 0) and not part.cons:
            key_id = part.content
        elif part.is_(CONTEXT, 1) and part.cons:
            issuer = part.children()
        elif part.is_(CONTEXT, 2) and not part.cons:
            serial = part.content
        else:
            raise Undecodable("bad AuthorityKeyIdentifier")
    values: _Values = []
    if key_id is not None:
        values.append(("keyid" if issuer is not None or serial is not None else None, hex_colons(key_id)))
    if issuer is not None:
        values.extend(general_name_value(gn) for gn in issuer)
    if serial is not None:
        # OpenSSL holds the INTEGER as its magnitude and prints those octets.
        values.append(("serial", hex_colons(magnitude_octets(int_value(serial)))))
    return _val_print(values, indent, True)


def _ext_info_access(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in expect(parse_first(data), 16, True).children():
        parts = expect(item, 16, True).children()
        if len(parts) != 2:
            raise Undecodable("bad AccessDescription")
        name, value = general_name_value(parts[1])
        values.append((f"{oid_name(read_oid(parts[0]))[:79]} - {name}", value))
    return _val_print(values, indent, True)


_REASON_FLAGS = (
    "Unused", "Key Compromise", "CA Compromise", "Affiliation Changed", "Superseded",
    "Cessation Of Operation", "Certificate Hold", "Privilege Withdrawn", "AA Compromise",
)  # fmt: skip


def _print_gens(gens: List[TLV], indent: int) -> str:
    return "\n".join(" " * (indent + 2) + general_name_print(gn) for gn in gens)


def _ext_crl_dp(data: bytes, indent: int) -> str:
    out = []
    pad = " " * indent
    for index, point in enumerate(expect(parse_first(data), 16, True).children()):
        if index > 0:
            out.append("\n")
        for part in expect(point, 16, True).children():
            if part.is_(CONTEXT, 0):
                name = parse_first(part.content)
                if name.is_(CONTEXT, 0):
                    out.append(f"{pad}Full Name:\n{_print_gens(name.children(), indent)}")
                elif name.is_(CONTEXT, 1):
                    # nameRelativeToCRLIssuer: the RDN's attributes, printed as a one-RDN Name.
                    rdn = b"\x31" + _length(len(name.content)) + name.content
                    fragment = b"\x30" + _length(len(rdn)) + rdn
                    out.append(f"{pad}Relative Name:\n{pad}  {name_oneline_flags(fragment)}\n")
                else:
                    raise Undecodable("bad DistributionPointName")
            elif part.is_(CONTEXT, 1):
                bits = bit_string_octets(TLV(0, False, 3, part.content, b""))
                names = [name for bit, name in enumerate(_REASON_FLAGS) if _bit_set(bits, bit)]
                out.append(f"{pad}Reasons:\n{pad}  {', '.join(names) if names else '<EMPTY>'}\n")
            elif part.is_(CONTEXT, 2):
                out.append(f"{pad}CRL Issuer:\n{_print_gens(part.children(), indent)}")
            else:
                raise Undecodable("bad DistributionPoint")
    return "".join(out)


def _length(length: int) -> bytes:
    if length < 0x80:
        return bytes((length,))
    octets = length.to_bytes((length.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(octets),)) + octets


def _display_text(tlv: TLV) -> str:
    if tlv.cls != UNIVERSAL or tlv.num not in (12, 22, 26, 30) or tlv.cons:
        raise Undecodable("bad DisplayText")
    return bytes_text(tlv.content.split(b"\0", 1)[0])


def _ext_policies(data: bytes, indent: int) -> str:
    out = []
    for index, info in enumerate(expect(parse_first(data), 16, True).children()):
        if index > 0:
            out.append("\n")
        parts = expect(info, 16, True).children()
        if not parts or len(parts) > 2:
            raise Undecodable("bad PolicyInformation")
        out.append(f"{' ' * indent}Policy: {oid_name(read_oid(parts[0]))}")
        if len(parts) == 2:
            out.append("\n")
            out.append(_policy_qualifiers(expect(parts[1], 16, True).children(), indent + 2))
    return "".join(out)


def _policy_qualifiers(qualifiers: List[TLV], indent: int) -> str:
    out = []
    pad = " " * indent
    for index, qualifier in enumerate(qualifiers):
        if index > 0:
            out.append("\n")
        parts = expect(qualifier, 16, True).children()
        if len(parts) != 2:
            raise Undecodable("bad PolicyQualifierInfo")
        oid = read_oid(parts[0])
        if oid == CertificatePoliciesOID.CPS_QUALIFIER:
            uri = expect(parts[1], 22, False).content.split(b"\0", 1)[0]  # printed with %.*s
            out.append(f"{pad}CPS: {bytes_text(uri)}")
        elif oid == CertificatePoliciesOID.CPS_USER_NOTICE:
            out.append(f"{pad}User Notice:\n{_user_notice(parts[1], indent + 2)}")
        else:
            out.append(f"{pad}  Unknown Qualifier: {oid_name(oid)}")
    return "".join(out)


def _user_notice(notice: TLV, indent: int) -> str:
    pad = " " * indent
    ref: Optional[TLV] = None
    text: Optional[TLV] = None
    for part in expect(notice, 16, True).children():
        if part.is_(UNIVERSAL, 16) and ref is None and text is None:
            ref = part
        elif text is None:
            text = part
        else:
            raise Undecodable("bad UserNotice")
    out = []
    if ref is not None:
        fields = ref.children()
        if len(fields) != 2:
            raise Undecodable("bad NoticeReference")
        numbers = [i2s_integer(read_integer(n)) for n in expect(fields[1], 16, True).children()]
        out.append(f"{pad}Organization: {_display_text(fields[0])}\n")
        out.append(f"{pad}Number{'s' if len(numbers) > 1 else ''}: {', '.join(numbers)}")
        if text is not None:
            out.append("\n")
    if text is not None:
        out.append(f"{pad}Explicit Text: {_display_text(text)}")
    return "".join(out)


def _ext_ia5(data: bytes, indent: int) -> str:
    return " " * indent + bytes_text(no_nul(expect(parse_first(data), 22, False).content))


def _ext_nocheck(data: bytes, indent: int) -> str:
    if expect(parse_first(data), 5, False).content:
        raise Undecodable("bad NULL")
    return ""


def _ext_nonce(data: bytes, indent: int) -> str:
    # The nonce method reads the extnValue octets as they are (wrapped or not).
    return " " * indent + i2a_string(data)


def _ext_crl_id(data: bytes, indent: int) -> str:
    pad = " " * indent
    out = []
    for part in expect(parse_first(data), 16, True).children():
        if part.cls != CONTEXT or not part.cons:
            raise Undecodable("bad CrlID")
        inner = parse_first(part.content)
        if part.num == 0:
            out.append(f"{pad}crlUrl: {string_print(expect(inner, 22, False).content)}\n")
        elif part.num == 1:
            out.append(f"{pad}crlNum: {i2a_integer(read_integer(inner))}\n")
        elif part.num == 2:
            out.append(f"{pad}crlTime: {time_print(expect(inner, 24, False).content, True)}\n")
        else:
            raise Undecodable("bad CrlID")
    return "".join(out)


def _ext_generalized_time(data: bytes, indent: int) -> str:
    return " " * indent + time_print(expect(parse_first(data), 24, False).content, True)


def _ext_object(data: bytes, indent: int) -> str:
    return " " * indent + oid_name(read_oid(parse_first(data)))


def _ext_acceptable(data: bytes, indent: int) -> str:
    oids = [read_oid(item) for item in expect(parse_first(data), 16, True).children()]
    return _val_print([(None, oid_name(oid)[:79]) for oid in oids], indent, False)


def _ext_service_locator(data: bytes, indent: int) -> str:
    parts = expect(parse_first(data), 16, True).children()
    if not parts or len(parts) > 2:
        raise Undecodable("bad ServiceLocator")
    out = [f"{' ' * indent}Issuer: {name_oneline_flags(expect(parts[0], 16, True).raw)}"]
    if len(parts) == 2:
        for item in expect(parts[1], 16, True).children():
            fields = expect(item, 16, True).children()
            if len(fields) != 2:
                raise Undecodable("bad AccessDescription")
            out.append(f"\n{' ' * (2 * indent)}{oid_name(read_oid(fields[0]))} - {general_name_print(fields[1])}")
    return "".join(out)


_CRL_REASONS = {
    0: "Unspecified", 1: "Key Compromise", 2: "CA Compromise", 3: "Affiliation Changed", 4: "Superseded",
    5: "Cessation Of Operation", 6: "Certificate Hold", 8: "Remove From CRL", 9: "Privilege Withdrawn",
    10: "AA Compromise",
}  # fmt: skip


def _ext_crl_reason(data: bytes, indent: int) -> str:
    value = read_integer(parse_first(data), 10)
    return " " * indent + _CRL_REASONS.get(value, i2s_integer(value))


def _ext_integer(data: bytes, indent: int) -> str:
    return " " * indent + i2s_integer(read_integer(parse_first(data)))


def _ext_policy_constraints(data: bytes, indent: int) -> str:
    values: _Values = []
    for part in expect(parse_first(data), 16, True).children():
        if part.cls != CONTEXT or part.cons or part.num not in (0, 1):
            raise Undecodable("bad PolicyConstraints")
        label = "Require Explicit Policy" if part.num == 0 else "Inhibit Policy Mapping"
        values.append((label, i2s_integer(int_value(part.content))))
    return _val_print(values, indent, False)


def _ext_policy_mappings(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in expect(parse_first(data), 16, True).children():
        parts = expect(item, 16, True).children()
        if len(parts) != 2:
            raise Undecodable("bad PolicyMapping")
        values.append((oid_name(read_oid(parts[0]))[:79], oid_name(read_oid(parts[1]))[:79]))
    return _val_print(values, indent, False)


def _ext_name_constraints(data: bytes, indent: int) -> str:
    trees: Dict[int, List[str]] = {}
    for part in expect(parse_first(data), 16, True).children():
        if part.cls != CONTEXT or part.num not in (0, 1) or part.num in trees:
            raise Undecodable("bad NameConstraints")
        lines = []
        for subtree in part.children():
            fields = expect(subtree, 16, True).children()
            if not fields:
                raise Undecodable("bad GeneralSubtree")
            gn = fields[0]
            if gn.cls == CONTEXT and gn.num == 7 and not gn.cons:
                lines.append(" " * (indent + 2) + "IP:" + _nc_ip(gn.content))
            else:
                lines.append(" " * (indent + 2) + general_name_print(gn))
        trees[part.num] = lines
    out = []
    for number, label in ((0, "Permitted"), (1, "Excluded")):
        if trees.get(number):
            out.append(f"{' ' * indent}{label}:\n" + "\n".join(trees[number]))
    if 0 in trees and 1 in trees:
        # i2r_NAME_CONSTRAINTS: a newline between the two lists when both are present.
        return (
            (f"{' ' * indent}Permitted:\n" + "\n".join(trees[0]) if trees[0] else "")
            + "\n"
            + (f"{' ' * indent}Excluded:\n" + "\n".join(trees[1]) if trees[1] else "")
        )
    return "".join(out)


def _nc_ip(data: bytes) -> str:
    """print_nc_ipadd: address and mask."""
    if len(data) == 8:
        return ".".join(str(b) for b in data[:4]) + "/" + ".".join(str(b) for b in data[4:])
    if len(data) == 32:
        first = ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(0, 16, 2))
        second = ":".join(f"{data[i] << 8 | data[i + 1]:X}" for i in range(16, 32, 2))
        return f"{first}/{second}"
    return "IP Address:<invalid>"


def _ext_scts(data: bytes, indent: int) -> str:
    octets = expect(parse_first(data), 4, False).content
    if len(octets) < 2 or int.from_bytes(octets[:2], "big") != len(octets) - 2:
        raise Undecodable("bad SCT list")
    scts = []
    pos = 2
    while pos < len(octets):
        if pos + 2 > len(octets):
            raise Undecodable("bad SCT list")
        size = int.from_bytes(octets[pos : pos + 2], "big")
        pos += 2
        if size == 0 or pos + size > len(octets):
            raise Undecodable("bad SCT")
        scts.append(_sct_text(octets[pos : pos + size], indent))
        pos += size
    return "\n".join(scts)


def _hex_string(data: bytes, indent: int, width: int = 16) -> str:
    """BIO_hex_string: ``AB:CD:...`` with ``width`` octets per line, later lines indented."""
    if not data:
        return ""
    lines = [":".join(f"{b:02X}" for b in data[i : i + width]) for i in range(0, len(data), width)]
    return (":\n" + " " * indent).join(lines)


def _sct_time(milliseconds: int) -> str:
    """timestamp_print: the SCT's milliseconds since 1970 as a GeneralizedTime with a fraction."""
    try:
        moment = _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=milliseconds - milliseconds % 1000)
    except OverflowError:
        raise Undecodable("SCT timestamp out of range") from None
    text = moment.strftime("%Y%m%d%H%M%S") + f".{milliseconds % 1000:03d}Z"
    return time_print(text.encode("ascii"), True)


def _sct_text(sct: bytes, indent: int) -> str:
    pad = " " * (indent + 4)
    out = [f"{' ' * indent}Signed Certificate Timestamp:\n{pad}Version   : "]
    if sct[0] != 0:
        out.append(f"unknown\n{' ' * (indent + 16)}{_hex_string(sct, indent + 16)}")
        return "".join(out)
    if len(sct) < 43:
        raise Undecodable("short SCT")
    log_id = sct[1:33]
    timestamp = int.from_bytes(sct[33:41], "big")
    ext_len = int.from_bytes(sct[41:43], "big")
    pos = 43 + ext_len
    if pos + 4 > len(sct):
        raise Undecodable("short SCT")
    extensions = sct[43:pos]
    hash_alg, sig_alg = sct[pos], sct[pos + 1]
    sig_len = int.from_bytes(sct[pos + 2 : pos + 4], "big")
    signature = sct[pos + 4 :]
    if sig_len != len(signature) or sig_len == 0:
        raise Undecodable("bad SCT signature")
    out.append(f"v1 (0x0)\n{pad}Log ID    : {_hex_string(log_id, indent + 16)}")
    out.append(f"\n{pad}Timestamp : {_sct_time(timestamp)}")
    out.append(f"\n{pad}Extensions: {_hex_string(extensions, indent + 16) if extensions else 'none'}")
    if hash_alg == 4 and sig_alg == 3:
        algorithm = "ecdsa-with-SHA256"
    elif hash_alg == 4 and sig_alg == 1:
        algorithm = "sha256WithRSAEncryption"
    else:
        algorithm = f"{hash_alg:02X}{sig_alg:02X}"
    out.append(f"\n{pad}Signature : {algorithm}\n{pad}            {_hex_string(signature, indent + 16)}")
    return "".join(out)


def _ext_poison(data: bytes, indent: int) -> str:
    if expect(parse_first(data), 5, False).content:
        raise Undecodable("bad NULL")
    return " " * indent + "NULL"


def _ext_tls_feature(data: bytes, indent: int) -> str:
    values: _Values = []
    for item in expect(parse_first(data), 16, True).children():
        number = read_integer(item)
        values.append((None, {5: "status_request", 17: "status_request_v2"}.get(number, i2s_integer(number))))
    return _val_print(values, indent, False)


def _ext_key_usage_period(data: bytes, indent: int) -> str:
    times: Dict[int, str] = {}
    for part in expect(parse_first(data), 16, True).children():
        if part.cls != CONTEXT or part.cons or part.num not in (0, 1) or part.num in times:
            raise Undecodable("bad PrivateKeyUsagePeriod")
        times[part.num] = time_print(part.content, True)
    shown = []
    if 0 in times:
        shown.append(f"Not Before: {times[0]}")
    if 1 in times:
        shown.append(f"Not After: {times[1]}")
    return " " * indent + ", ".join(shown)


_EXTENSION_PRINTERS: Dict[str, Callable[[bytes, int], str]] = {
    ExtensionOID.SUBJECT_KEY_IDENTIFIER: _ext_octets_hex,
    ExtensionOID.KEY_USAGE: _bit_names(_KEY_USAGE),
    ExtensionOID.PRIVATE_KEY_USAGE_PERIOD: _ext_key_usage_period,
    ExtensionOID.SUBJECT_ALTERNATIVE_NAME: _ext_general_names,
    ExtensionOID.ISSUER_ALTERNATIVE_NAME: _ext_general_names,
    ExtensionOID.BASIC_CONSTRAINTS: _ext_basic_constraints,
    ExtensionOID.CRL_NUMBER: _ext_integer,
    CRLEntryExtensionOID.CRL_REASON: _ext_crl_reason,
    CRLEntryExtensionOID.HOLD_INSTRUCTION_CODE: _ext_object,
    CRLEntryExtensionOID.INVALIDITY_DATE: _ext_generalized_time,
    ExtensionOID.DELTA_CRL_INDICATOR: _ext_integer,
    CRLEntryExtensionOID.CERTIFICATE_ISSUER: _ext_general_names,
    ExtensionOID.NAME_CONSTRAINTS: _ext_name_constraints,
    ExtensionOID.CRL_DISTRIBUTION_POINTS: _ext_crl_dp,
    ExtensionOID.CERTIFICATE_POLICIES: _ext_policies,
    ExtensionOID.POLICY_MAPPINGS: _ext_policy_mappings,
    ExtensionOID.AUTHORITY_KEY_IDENTIFIER: _ext_akid,
    ExtensionOID.POLICY_CONSTRAINTS: _ext_policy_constraints,
    ExtensionOID.EXTENDED_KEY_USAGE: _ext_key_usage_oids,
    ExtensionOID.FRESHEST_CRL: _ext_crl_dp,
    ExtensionOID.INHIBIT_ANY_POLICY: _ext_integer,
    ExtensionOID.AUTHORITY_INFORMATION_ACCESS: _ext_info_access,
    ExtensionOID.SUBJECT_INFORMATION_ACCESS: _ext_info_access,
    ExtensionOID.TLS_FEATURE: _ext_tls_feature,
    OCSPExtensionOID.NONCE: _ext_nonce,
    OCSPExtensionOID.CRL_ID: _ext_crl_id,
    OCSPExtensionOID.ACCEPTABLE_RESPONSES: _ext_acceptable,
    OCSPExtensionOID.NO_CHECK: _ext_nocheck,
    OCSPExtensionOID.ARCHIVE_CUTOFF: _ext_generalized_time,
    OCSPExtensionOID.SERVICE_LOCATOR: _ext_service_locator,
    ExtensionOID.PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS: _ext_scts,
    ExtensionOID.PRECERT_POISON: _ext_poison,
    OCSPExtensionOID.SIGNED_CERTIFICATE_TIMESTAMPS: _ext_scts,  # RFC 6962 3.3, in OCSP
    ExtensionOID.NETSCAPE_CERT_TYPE: _bit_names(_NS_CERT_TYPE),
    ExtensionOID.NETSCAPE_BASE_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_REVOCATION_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_CA_REVOCATION_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_RENEWAL_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_CA_POLICY_URL: _ext_ia5,
    ExtensionOID.NETSCAPE_SSL_SERVER_NAME: _ext_ia5,
    ExtensionOID.NETSCAPE_COMMENT: _ext_ia5,
}


def extension_value_text(oid: str, raw_value: bytes, indent: int) -> str:
    """X509V3_EXT_print, and when it fails, OpenSSL's fallback: the raw octets as a string."""
    printer = _EXTENSION_PRINTERS.get(oid)
    if printer is not None:
        try:
            return printer(raw_value, indent)
        except (Undecodable, ValueError, IndexError, KeyError, OverflowError):
            pass
    return " " * indent + string_print(raw_value)


def extensions_text(title: Optional[str], extensions: Sequence[Tuple[str, bool, bytes]], indent: int) -> str:
    """X509V3_extensions_print: a title, then each extension's name, ``critical`` and value."""
    if not extensions:
        return ""
    out = []
    if title:
        out.append(f"{' ' * indent}{title}:\n")
        indent += 4
    for oid, critical, raw_value in extensions:
        out.append(f"{' ' * indent}{oid_name(oid)}: {'critical' if critical else ''}\n")
        out.append(extension_value_text(oid, raw_value, indent + 4))
        out.append("\n")
    return "".join(out)


def extension_list(tlv: Optional[TLV]) -> List[Tuple[str, bool, bytes]]:
    """(OID, critical, extnValue) of each Extension in an Extensions SEQUENCE."""
    if tlv is None:
        return []
    out = []
    for item in expect(tlv, 16, True).children():
        parts = item.children()
        critical = False
        if len(parts) == 3:
            critical = parts[1].content not in (b"", b"\x00")
        out.append((read_oid(parts[0]), critical, parts[-1].content))
    return out
