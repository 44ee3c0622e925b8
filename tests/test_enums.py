"""Enum numbers and names against RFC 6960 / RFC 5280 as OpenSSL prints them."""

from __future__ import annotations

import enum
import importlib
import pkgutil
from typing import Dict, List, Type

import pytest

import ocspkit
from ocspkit import CertStatus, ResponseStatus, RevocationReason, VerifyFlags

# OpenSSL's OCSP_crl_reason_str table (crypto/ocsp/ocsp_prn.c), the RFC 5280 5.3.1 identifiers.
OPENSSL_REASONS = {
    0: "unspecified", 1: "keyCompromise", 2: "cACompromise", 3: "affiliationChanged",
    4: "superseded", 5: "cessationOfOperation", 6: "certificateHold", 8: "removeFromCRL",
    9: "privilegeWithdrawn", 10: "aACompromise",
}


@pytest.mark.parametrize("number", sorted(OPENSSL_REASONS))
def test_reason_names(number: int) -> None:
    assert RevocationReason(number).asn1_name == OPENSSL_REASONS[number]


def test_numbers() -> None:
    assert [int(s) for s in ResponseStatus] == [0, 1, 2, 3, 5, 6]
    assert [s.asn1_name for s in ResponseStatus] == [
        "successful", "malformedRequest", "internalError", "tryLater", "sigRequired", "unauthorized"]
    assert [int(s) for s in CertStatus] == [0, 1, 2]
    with pytest.raises(ValueError):
        RevocationReason(7)  # RFC 5280: value 7 is not used


def _public_enums() -> List[Type[enum.Enum]]:
    """Every Enum class a public ocspkit module exports (through ``__all__``)."""
    found: Dict[str, Type[enum.Enum]] = {}
    for info in pkgutil.walk_packages(ocspkit.__path__, "ocspkit."):
        if info.name.rsplit(".", 1)[-1].startswith("_") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if isinstance(value, type) and issubclass(value, enum.Enum):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[key] for key in sorted(found)]


PUBLIC_ENUMS = _public_enums()


def test_the_public_enums_are_found() -> None:
    names = {e.__name__ for e in PUBLIC_ENUMS}
    assert {"ResponseStatus", "CertStatus", "RevocationReason", "NonceCheck", "ResponderIDType", "VerifyFlags",
            "Authorization", "Severity", "NonceForm"} <= names


@pytest.mark.parametrize("cls", PUBLIC_ENUMS, ids=[e.__name__ for e in PUBLIC_ENUMS])
def test_str_of_every_public_enum_is_its_name(cls: Type[enum.Enum]) -> None:
    """str() and format() give the member's name on every Python (3.11 made str() of an IntEnum
    its number); repr() stays Enum's, with the class and the value."""
    for member in cls:
        assert str(member) == member.name
        assert f"{member}" == member.name
        assert "%s" % member == member.name  # noqa: UP031 - the %-operator takes its own path
        assert repr(member).startswith(f"<{cls.__name__}.{member.name}: ")
        assert repr(member.value) in repr(member)


def test_numeric_formats_still_give_the_number(capsys: pytest.CaptureFixture[str]) -> None:
    status, reason = CertStatus.REVOKED, RevocationReason.KEY_COMPROMISE
    print(status, reason)
    assert capsys.readouterr().out == "REVOKED KEY_COMPROMISE\n"
    assert f"{reason:d} {reason:#x} {reason:>3d}" == "1 0x1   1"
    assert f"{status:>10}|" == "   REVOKED|"
    assert int(status) == 1 and status == 1  # still IntEnums
    combined = VerifyFlags.NOCHAIN | VerifyFlags.NOINTERN
    assert set(str(combined).split("|")) == {"NOCHAIN", "NOINTERN"}
    assert f"{combined:#x}" == "0xa"
