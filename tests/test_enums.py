"""Enum numbers and names against RFC 6960 / RFC 5280 as OpenSSL prints them."""

from __future__ import annotations

import pytest

from ocspkit import CertStatus, ResponseStatus, RevocationReason

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
