"""OCSP requests and responses as text, in the layout ``openssl ocsp`` prints, and as JSON.

:func:`request_text` and :func:`response_text` print what ``openssl ocsp -reqin F -req_text``
and ``openssl ocsp -respin F -resp_text`` print (OpenSSL's OCSP_REQUEST_print and
OCSP_RESPONSE_print): the same labels, order, indentation and hex layout, line for line, so
that people's eyes and scripts keep working. Embedded certificates follow in the layout OpenSSL's
X509_print gives them there (``openssl x509 -text`` with the compatible name form), each followed
by its PEM block. :func:`certificate_text` prints one certificate that way, and
:func:`responder_error_text` is the ``Responder Error:`` line ``openssl ocsp`` prints before the
text of an unsuccessful response.

Both take a view or the message's DER / PEM bytes. From bytes they print what OpenSSL reads even
where ocspkit's loaders refuse it (an explicit version v2, an unknown critical extension, a
responseStatus or revocation reason RFC 6960 leaves undefined), and refuse with
:class:`~ocspkit.errors.ParseError` what OpenSSL refuses (including INTEGERs with a redundant
leading octet, which the loaders accept and record as a deviation).

Deliberate differences from OpenSSL 3.0 (see ``docs/text.md``), all in :data:`CORRECTED_NAMES`
and :func:`crl_reason_str`:

- id-pkix-ocsp 8 (1.3.6.1.5.5.7.48.1.8) is printed ``Preferred Signature Algorithms``
  (RFC 6960 4.4.7); OpenSSL's object table calls it ``Extended OCSP Status``.
- id-pkix-ocsp 9 (1.3.6.1.5.5.7.48.1.9) is printed ``Extended Revoke`` (RFC 6960 4.4.8);
  OpenSSL calls it ``valid``.
- Revocation reasons 9 and 10 are printed ``privilegeWithdrawn`` and ``aACompromise`` as
  OpenSSL 3.2 and later print them; OpenSSL 3.0 and 3.1 print ``(UNKNOWN)``.

:func:`to_json` gives every field of a message as plain JSON values (schema in ``docs/text.md``);
:func:`to_json_text` is its ``json.dumps``.

The modules, each one concept, in the order they build on each other: :mod:`~ocspkit.text.ber`
(the BER reader), :mod:`~ocspkit.text.values` and :mod:`~ocspkit.text.times` (OpenSSL's printers
of INTEGERs, strings and times), :mod:`~ocspkit.text.names` and
:mod:`~ocspkit.text.general_names`, :mod:`~ocspkit.text.extensions` (X.509v3 extension values),
:mod:`~ocspkit.text.signatures` and :mod:`~ocspkit.text.keys`, :mod:`~ocspkit.text.x509`
(certificates), :mod:`~ocspkit.text.trees` (fields of asn1crypto trees),
:mod:`~ocspkit.text.ocsp` (requests and responses) and :mod:`~ocspkit.text.json`. Object names
come from :mod:`ocspkit.oid`.

The text is a ``str``. OpenSSL writes a few strings byte for byte (URIs and DNS names in some
extensions); where such bytes are not ASCII they are decoded as UTF-8 with ``surrogateescape``,
so ``text.encode("utf-8", "surrogateescape")`` gives OpenSSL's bytes back.
"""

from __future__ import annotations

from ..enums import cert_status_str, crl_reason_str, response_status_str
from ..oid import CORRECTED_NAMES, oid_name
from .json import to_json, to_json_text
from .ocsp import request_text, responder_error_text, response_text
from .x509 import certificate_text

__all__ = [
    "CORRECTED_NAMES",
    "cert_status_str",
    "certificate_text",
    "crl_reason_str",
    "oid_name",
    "request_text",
    "responder_error_text",
    "response_status_str",
    "response_text",
    "to_json",
    "to_json_text",
]
