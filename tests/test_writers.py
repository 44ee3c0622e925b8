"""ocspkit._writers, the DER writers, against asn1crypto's encoder."""

from __future__ import annotations

from asn1crypto import core

from ocspkit._writers import length_der, oid_der


def test_length_der_is_the_length_asn1crypto_writes() -> None:
    for size in [0, 1, 127, 128, 255, 256, 65535, 65536, 70000]:
        header = core.OctetString(b"a" * size).dump()[: -size or None]
        assert b"\x04" + length_der(size) == header, size


def test_oid_der_is_the_oid_asn1crypto_writes() -> None:
    for dotted in ["2.5.29.23", "1.2.840.10040.2.2", "1.3.6.1.5.5.7.48.1.1", "2.999.1"]:
        assert oid_der(dotted) == core.ObjectIdentifier(dotted).dump()
