"""Nonces: make, copy, compare and require them (OpenSSL's ``crypto/ocsp/ocsp_ext.c``).

OpenSSL equivalents: OCSP_check_nonce (:func:`check_nonce`, :func:`compare_nonces`),
OCSP_copy_nonce (:func:`copy_nonce`), the random part of OCSP_request_add1_nonce
(:func:`make_nonce`). :func:`require_nonce` is what ``openssl ocsp`` does with the answer, and
:func:`nonce_length_ok` is the RFC 8954 2.1 length rule a responder applies.

How nonces are compared
-----------------------
OpenSSL's OCSP_check_nonce compares the two ``extnValue`` OCTET STRINGs byte for byte, so a
request that wraps its nonce in an OCTET STRING (RFC 6960 4.4.1 as clarified by RFC 8954) and a
response that echoes the bare nonce (as some responders do) differ for OpenSSL. ocspkit reads both
forms (:func:`ocspkit.extensions.read_nonce`) and calls them **equal when any reading of one side
equals any reading of the other**: the two extnValues are identical (OpenSSL's test), or the
unwrapped nonces are, or one side's whole extnValue is the other side's unwrapped nonce (one side
wrapped, the other raw). Every such response carries bytes that only a responder which saw the
request's random nonce could have signed, so the replay protection is the same. OpenSSL's own
answer is always reported next to ours (:attr:`NonceComparison.openssl_outcome`), and
``exact=True`` makes the check return it.
"""

from __future__ import annotations

import dataclasses
from typing import Optional, Tuple, Union

from ._writers import wrapped_nonce
from .enums import NonceCheck
from .errors import NonceMismatch, OCSPTypeError, OCSPValueError
from .extensions import NonceForm, read_nonce
from .request import OCSPRequest
from .response import BasicOCSPResponse, OCSPResponse

__all__ = [
    "RFC8954_MAX_NONCE_LENGTH",
    "RFC8954_MIN_NONCE_LENGTH",
    "NonceComparison",
    "check_nonce",
    "compare_nonces",
    "copy_nonce",
    "make_nonce",
    "nonce_length_ok",
    "require_nonce",
]

# RFC 8954 2.1: Nonce ::= OCTET STRING(SIZE(1..32)). RFC 9654 (which obsoletes RFC 8954) raises
# the maximum to 128 octets; responders that still follow RFC 8954 answer malformedRequest to
# anything longer than 32, so 32 is the bound every responder accepts.
RFC8954_MIN_NONCE_LENGTH = 1
RFC8954_MAX_NONCE_LENGTH = 32

RequestLike = Union[OCSPRequest, bytes, bytearray, None]
ResponseLike = Union[OCSPResponse, BasicOCSPResponse]


@dataclasses.dataclass(frozen=True)
class NonceComparison:
    """What :func:`compare_nonces` saw on each side, and the verdicts.

    ``outcome`` is ocspkit's answer (forms may differ, see the module docstring);
    ``openssl_outcome`` is what OpenSSL's OCSP_check_nonce answers for the same messages (a byte
    comparison of the extnValues). ``*_nonce`` are the nonces after unwrapping, ``*_form`` whether
    each came wrapped in an OCTET STRING or raw, ``*_value`` the extnValue contents as received;
    all are None on a side without a nonce.
    """

    outcome: NonceCheck
    openssl_outcome: NonceCheck
    request_nonce: Optional[bytes]
    response_nonce: Optional[bytes]
    request_form: Optional[NonceForm]
    response_form: Optional[NonceForm]
    request_value: Optional[bytes]
    response_value: Optional[bytes]

    @property
    def agrees_with_openssl(self) -> bool:
        """Whether ocspkit and OpenSSL give the same outcome (they differ only across forms)."""
        return self.outcome is self.openssl_outcome

    @property
    def ok(self) -> bool:
        """Whether the outcome lets a response through as OpenSSL's ``ocsp`` command does:
        EQUAL, BOTH_ABSENT or RESPONSE_ONLY (REQUEST_ONLY is only a warning there)."""
        return self.outcome in (NonceCheck.EQUAL, NonceCheck.BOTH_ABSENT, NonceCheck.RESPONSE_ONLY)


def _request_side(request: RequestLike) -> Tuple[Optional[bytes], Optional[bytes], Optional[NonceForm]]:
    """(extnValue, nonce, form) of the request side, or three Nones without a nonce."""
    if request is None:
        return None, None, None
    if isinstance(request, OCSPRequest):
        ext = request.extensions.get("nonce")  # the first one, as OCSP_REQUEST_get_ext_by_NID(-1)
        if ext is None:
            return None, None, None
        value = ext.raw_value
        nonce, form = read_nonce(value)
        return value, nonce, form
    if isinstance(request, (bytes, bytearray)):
        nonce = bytes(request)
        if not nonce:
            raise OCSPValueError("a nonce must not be empty (RFC 8954 2.1); pass None for no nonce")
        # The nonce as a client sent it: wrapped (RFC 6960 4.4.1, RFC 8954 2.1), as
        # RequestBuilder.with_nonce and OpenSSL's OCSP_request_add1_nonce write it.
        return wrapped_nonce(nonce), nonce, NonceForm.WRAPPED
    raise OCSPTypeError(
        f"request must be an OCSPRequest, the nonce bytes sent or None, got {type(request).__name__}"
    )


def _response_side(response: ResponseLike) -> Tuple[Optional[bytes], Optional[bytes], Optional[NonceForm]]:
    """(extnValue, nonce, form) of the response side, or three Nones without a nonce."""
    if isinstance(response, OCSPResponse):
        basic = response.basic  # UnsuccessfulResponse for an error response: no nonce to check
    elif isinstance(response, BasicOCSPResponse):
        basic = response
    else:
        raise OCSPTypeError(
            f"response must be an OCSPResponse or BasicOCSPResponse, got {type(response).__name__}"
        )
    # responseExtensions only, as OpenSSL (OCSP_BASICRESP_get_ext_by_NID): a nonce among the
    # singleExtensions is not the response nonce (RFC 6960 4.4.1).
    ext = basic.extensions.get("nonce")
    if ext is None:
        return None, None, None
    value = ext.raw_value
    nonce, form = read_nonce(value)
    return value, nonce, form


def compare_nonces(request: RequestLike, response: ResponseLike) -> NonceComparison:
    """Compare the request's nonce with the response's and say which forms were seen.

    ``request`` is a parsed :class:`~ocspkit.request.OCSPRequest`, the nonce bytes a client sent
    (taken as sent wrapped, the RFC 6960 4.4.1 form) or None for no nonce; ``response`` an
    :class:`~ocspkit.response.OCSPResponse` (an unsuccessful one raises
    :class:`~ocspkit.errors.UnsuccessfulResponse`) or :class:`~ocspkit.response.BasicOCSPResponse`.
    Both sides use their first nonce extension, as OpenSSL does.
    """
    q_value, q_nonce, q_form = _request_side(request)
    r_value, r_nonce, r_form = _response_side(response)
    if q_value is None or r_value is None or q_nonce is None or r_nonce is None:
        if q_value is None and r_value is None:
            outcome = NonceCheck.BOTH_ABSENT
        elif r_value is None:
            outcome = NonceCheck.REQUEST_ONLY
        else:
            outcome = NonceCheck.RESPONSE_ONLY
        return NonceComparison(outcome, outcome, q_nonce, r_nonce, q_form, r_form, q_value, r_value)
    # OpenSSL (OCSP_check_nonce): ASN1_OCTET_STRING_cmp of the two extnValues.
    openssl = NonceCheck.EQUAL if q_value == r_value else NonceCheck.MISMATCH
    # ocspkit: any reading of one side equals any reading of the other (module docstring).
    same = bool({q_value, q_nonce} & {r_value, r_nonce})
    outcome = NonceCheck.EQUAL if same else NonceCheck.MISMATCH
    return NonceComparison(outcome, openssl, q_nonce, r_nonce, q_form, r_form, q_value, r_value)


def check_nonce(request: RequestLike, response: ResponseLike, *, exact: bool = False) -> NonceCheck:
    """OCSP_check_nonce: EQUAL (1), BOTH_ABSENT (2), RESPONSE_ONLY (3), REQUEST_ONLY (-1) or
    MISMATCH (0), with OpenSSL's numbers (:class:`ocspkit.enums.NonceCheck`).

    By default a wrapped nonce and a raw one with the same bytes are EQUAL (OpenSSL says
    MISMATCH); ``exact=True`` gives OpenSSL's byte-for-byte answer. See :func:`compare_nonces`
    for the arguments and for which forms were seen.
    """
    comparison = compare_nonces(request, response)
    return comparison.openssl_outcome if exact else comparison.outcome


def _describe(nonce: Optional[bytes], form: Optional[NonceForm]) -> str:
    """Hex (shortened past 40 octets), length and form of a nonce that is present."""
    value = nonce or b""
    shown = value.hex().upper()
    if len(shown) > 80:
        shown = shown[:76] + "..."
    return f"{shown} ({len(value)} octets, {form.value if form else 'unknown'} form)"


def require_nonce(
    request: RequestLike,
    response: ResponseLike,
    *,
    strict: bool = False,
    allow_missing: bool = False,
    exact: bool = False,
) -> None:
    """Raise :class:`~ocspkit.errors.NonceMismatch` unless the response's nonce is acceptable.

    Refused: MISMATCH always; REQUEST_ONLY unless ``allow_missing`` (RFC 5019 4: a client talking
    to a lightweight, pre-producing responder SHOULD NOT reject a response for the missing nonce
    alone and falls back on time; ``openssl ocsp`` only warns); RESPONSE_ONLY when ``strict``
    (RFC 5019 4 has such clients ignore the nonce, hence off by default). BOTH_ABSENT passes.
    ``exact`` compares as OpenSSL does (see :func:`check_nonce`). The exception carries
    ``.outcome`` and ``.comparison``.
    """
    comparison = compare_nonces(request, response)
    outcome = comparison.openssl_outcome if exact else comparison.outcome
    message: Optional[str] = None
    if outcome is NonceCheck.MISMATCH:
        # RFC 6960 4.4.1 / RFC 8954 2.1: the nonce binds the response to this request.
        message = (
            f"the response nonce {_describe(comparison.response_nonce, comparison.response_form)} "
            f"differs from the request nonce {_describe(comparison.request_nonce, comparison.request_form)}"
        )
        if comparison.outcome is NonceCheck.EQUAL:
            message += " (same nonce in another form; the comparison was exact, as OpenSSL's)"
    elif outcome is NonceCheck.REQUEST_ONLY and not allow_missing:
        message = (
            f"the request carried a nonce ({_describe(comparison.request_nonce, comparison.request_form)}) "
            "but the response has none (pass allow_missing=True to fall back on time, RFC 5019 4)"
        )
    elif outcome is NonceCheck.RESPONSE_ONLY and strict:
        message = (
            f"the response carries a nonce ({_describe(comparison.response_nonce, comparison.response_form)}) "
            "but the request had none"
        )
    if message is not None:
        error = NonceMismatch(message)
        error.outcome = outcome
        error.comparison = comparison
        raise error


def copy_nonce(request: OCSPRequest) -> Optional[bytes]:
    """OCSP_copy_nonce: the request's nonce extnValue exactly as received, or None.

    OpenSSL copies the request's nonce extension into the response unchanged, so the response
    echoes the nonce in whatever form the client used and OpenSSL's byte comparison succeeds.
    Put the value in a response as the extnValue, not through ``with_nonce`` (which wraps its
    argument)::

        value = copy_nonce(request)
        if value is not None:
            builder = builder.with_extension(OID.NONCE, value, replace=True)
    """
    if not isinstance(request, OCSPRequest):
        raise OCSPTypeError(f"request must be an OCSPRequest, got {type(request).__name__}")
    ext = request.extensions.get("nonce")
    return None if ext is None else ext.raw_value


def make_nonce(length: int = RFC8954_MAX_NONCE_LENGTH) -> bytes:
    """``length`` cryptographically strong random octets for a request nonce.

    The default, 32, is what RFC 8954 2.1 has clients use ("MUST use a length of 32 octets"), and
    1..32 is the range it allows. ``RequestBuilder.with_nonce(n)`` accepts up to 128 octets
    (RFC 9654) for interoperability, but responders following RFC 8954 reject more than 32 with
    malformedRequest, so this function does not make them.
    """
    from .crypto import random_bytes  # lazily: loading and printing do not load the signature seam

    if not isinstance(length, int) or isinstance(length, bool):
        raise OCSPTypeError(f"length must be an int, got {type(length).__name__}")
    # RFC 8954 2.1: the nonce is 1 to 32 octets long.
    if not RFC8954_MIN_NONCE_LENGTH <= length <= RFC8954_MAX_NONCE_LENGTH:
        raise OCSPValueError(f"nonce length must be 1..32 octets (RFC 8954 2.1), got {length}")
    return random_bytes(length)


def nonce_length_ok(
    nonce: Union[bytes, bytearray],
    *,
    minimum: int = RFC8954_MIN_NONCE_LENGTH,
    maximum: int = RFC8954_MAX_NONCE_LENGTH,
) -> bool:
    """Whether a request's nonce (unwrapped) has a length a responder accepts.

    RFC 8954 2.1: a responder MUST answer malformedRequest to a nonce of 0 octets or of more
    than 32; it MUST accept 16 and more, and MAY ignore nonces shorter than 16 (``minimum=16``).
    A responder following RFC 9654 passes ``maximum=128``.
    """
    if not isinstance(nonce, (bytes, bytearray)):
        raise OCSPTypeError(f"nonce must be bytes, got {type(nonce).__name__}")
    for name, bound in (("minimum", minimum), ("maximum", maximum)):
        if not isinstance(bound, int) or isinstance(bound, bool):
            raise OCSPTypeError(f"{name} must be an int, got {type(bound).__name__}")
    if minimum < 0 or maximum < minimum:
        raise OCSPValueError(f"need 0 <= minimum <= maximum, got {minimum} and {maximum}")
    return minimum <= len(nonce) <= maximum
