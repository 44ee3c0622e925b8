"""The object identifiers ocspkit uses, each named once, and the names OpenSSL prints for OIDs.

The OIDs are dotted strings (what asn1crypto's ``.dotted`` gives), grouped by what they identify,
as pyca/cryptography's ``x509/oid.py`` groups them: :class:`OCSPExtensionOID` and
:class:`OCSPResponseTypeOID` for RFC 6960, :class:`ExtensionOID` and :class:`CRLEntryExtensionOID`
for RFC 5280 and its neighbours, then algorithms, name attributes, key purposes and the rest.
Code that needs an OID names it from here rather than writing the digits again.

:func:`oid_name` and :func:`short_name` give the names OpenSSL prints for any OID (its object
table, kept in :mod:`ocspkit._oid_table`), with the deliberate corrections of
:data:`CORRECTED_NAMES`; the printers of :mod:`ocspkit.text` name objects through them.
"""

from __future__ import annotations

import functools
from typing import Dict, Tuple

from .errors import OCSPTypeError

__all__ = [
    "CORRECTED_NAMES",
    "SUPPORTED_HASHES",
    "AuthorityInformationAccessOID",
    "CRLEntryExtensionOID",
    "CertificatePoliciesOID",
    "EllipticCurveOID",
    "ExtendedKeyUsageOID",
    "ExtensionOID",
    "HashAlgorithmOID",
    "HoldInstructionOID",
    "MaskGenerationFunctionOID",
    "NameOID",
    "OCSPExtensionOID",
    "OCSPResponseTypeOID",
    "OtherNameFormOID",
    "PublicKeyAlgorithmOID",
    "SignatureAlgorithmOID",
    "oid_name",
    "short_name",
]


# --- PKIX access methods, OCSP (RFC 6960) ---------------------------------------------------------


class AuthorityInformationAccessOID:
    """Access methods of authorityInfoAccess (RFC 5280 4.2.2.1)."""

    #: id-ad-ocsp, also the arc of RFC 6960's id-pkix-ocsp OIDs (id-pkix-ocsp ::= { id-ad-ocsp }).
    OCSP = "1.3.6.1.5.5.7.48.1"
    CA_ISSUERS = "1.3.6.1.5.5.7.48.2"  # id-ad-caIssuers


class OCSPResponseTypeOID:
    """responseType OIDs (RFC 6960 4.2.1), also the values of AcceptableResponses (4.4.3)."""

    BASIC = "1.3.6.1.5.5.7.48.1.1"  # id-pkix-ocsp-basic


class OCSPExtensionOID:
    """OCSP extensions (RFC 6960 4.4), and the CT extension an OCSP response may carry."""

    NONCE = "1.3.6.1.5.5.7.48.1.2"  # id-pkix-ocsp-nonce
    CRL_ID = "1.3.6.1.5.5.7.48.1.3"  # id-pkix-ocsp-crl
    ACCEPTABLE_RESPONSES = "1.3.6.1.5.5.7.48.1.4"  # id-pkix-ocsp-response
    #: id-pkix-ocsp-nocheck: a certificate extension, on a delegated responder's certificate.
    NO_CHECK = "1.3.6.1.5.5.7.48.1.5"
    ARCHIVE_CUTOFF = "1.3.6.1.5.5.7.48.1.6"  # id-pkix-ocsp-archive-cutoff
    SERVICE_LOCATOR = "1.3.6.1.5.5.7.48.1.7"  # id-pkix-ocsp-service-locator
    PREFERRED_SIGNATURE_ALGORITHMS = "1.3.6.1.5.5.7.48.1.8"  # id-pkix-ocsp-pref-sig-algs
    EXTENDED_REVOKE = "1.3.6.1.5.5.7.48.1.9"  # id-pkix-ocsp-extended-revoke
    #: SignedCertificateTimestampList delivered in a SingleResponse (RFC 6962 3.3).
    SIGNED_CERTIFICATE_TIMESTAMPS = "1.3.6.1.4.1.11129.2.4.5"


# --- X.509 extensions (RFC 5280 and others) -------------------------------------------------------


class ExtensionOID:
    """Certificate and CRL extensions (RFC 5280 4.2 and 5.2, and the others OpenSSL prints)."""

    SUBJECT_KEY_IDENTIFIER = "2.5.29.14"
    KEY_USAGE = "2.5.29.15"
    PRIVATE_KEY_USAGE_PERIOD = "2.5.29.16"
    SUBJECT_ALTERNATIVE_NAME = "2.5.29.17"
    ISSUER_ALTERNATIVE_NAME = "2.5.29.18"
    BASIC_CONSTRAINTS = "2.5.29.19"
    CRL_NUMBER = "2.5.29.20"
    DELTA_CRL_INDICATOR = "2.5.29.27"
    NAME_CONSTRAINTS = "2.5.29.30"
    CRL_DISTRIBUTION_POINTS = "2.5.29.31"
    CERTIFICATE_POLICIES = "2.5.29.32"
    POLICY_MAPPINGS = "2.5.29.33"
    AUTHORITY_KEY_IDENTIFIER = "2.5.29.35"
    POLICY_CONSTRAINTS = "2.5.29.36"
    EXTENDED_KEY_USAGE = "2.5.29.37"
    FRESHEST_CRL = "2.5.29.46"
    INHIBIT_ANY_POLICY = "2.5.29.54"
    AUTHORITY_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.1"
    IP_ADDRESS_BLOCKS = "1.3.6.1.5.5.7.1.7"  # sbgp-ipAddrBlock (RFC 3779)
    AUTONOMOUS_SYSTEM_IDS = "1.3.6.1.5.5.7.1.8"  # sbgp-autonomousSysNum (RFC 3779)
    SUBJECT_INFORMATION_ACCESS = "1.3.6.1.5.5.7.1.11"
    PROXY_CERT_INFO = "1.3.6.1.5.5.7.1.14"  # RFC 3820
    TLS_FEATURE = "1.3.6.1.5.5.7.1.24"  # RFC 7633
    PRECERT_SIGNED_CERTIFICATE_TIMESTAMPS = "1.3.6.1.4.1.11129.2.4.2"  # RFC 6962 3.3
    PRECERT_POISON = "1.3.6.1.4.1.11129.2.4.3"  # RFC 6962 3.1
    NETSCAPE_CERT_TYPE = "2.16.840.1.113730.1.1"
    NETSCAPE_BASE_URL = "2.16.840.1.113730.1.2"
    NETSCAPE_REVOCATION_URL = "2.16.840.1.113730.1.3"
    NETSCAPE_CA_REVOCATION_URL = "2.16.840.1.113730.1.4"
    NETSCAPE_RENEWAL_URL = "2.16.840.1.113730.1.7"
    NETSCAPE_CA_POLICY_URL = "2.16.840.1.113730.1.8"
    NETSCAPE_SSL_SERVER_NAME = "2.16.840.1.113730.1.12"
    NETSCAPE_COMMENT = "2.16.840.1.113730.1.13"


class CRLEntryExtensionOID:
    """CRL entry extensions (RFC 5280 5.3), which OCSP uses as singleExtensions."""

    CRL_REASON = "2.5.29.21"  # id-ce-cRLReasons
    HOLD_INSTRUCTION_CODE = "2.5.29.23"  # id-ce-holdInstructionCode (RFC 5280 5.3.2, historic)
    INVALIDITY_DATE = "2.5.29.24"  # id-ce-invalidityDate
    CERTIFICATE_ISSUER = "2.5.29.29"  # id-ce-certificateIssuer


class HoldInstructionOID:
    """The values of holdInstructionCode (RFC 5280 5.3.2)."""

    NONE = "1.2.840.10040.2.1"  # id-holdinstruction-none
    CALL_ISSUER = "1.2.840.10040.2.2"  # id-holdinstruction-callissuer
    REJECT = "1.2.840.10040.2.3"  # id-holdinstruction-reject


class CertificatePoliciesOID:
    """Policy qualifier types of certificatePolicies (RFC 5280 4.2.1.4)."""

    CPS_QUALIFIER = "1.3.6.1.5.5.7.2.1"  # id-qt-cps
    CPS_USER_NOTICE = "1.3.6.1.5.5.7.2.2"  # id-qt-unotice


class ExtendedKeyUsageOID:
    """Key purposes of extKeyUsage (RFC 5280 4.2.1.12)."""

    OCSP_SIGNING = "1.3.6.1.5.5.7.3.9"  # id-kp-OCSPSigning (RFC 6960 4.2.2.2)


class OtherNameFormOID:
    """type-ids of the otherName forms of GeneralName that OpenSSL prints by name."""

    XMPP_ADDR = "1.3.6.1.5.5.7.8.5"  # id-on-xmppAddr (RFC 6120)
    SRV_NAME = "1.3.6.1.5.5.7.8.7"  # id-on-dnsSRV (RFC 4985)
    NAI_REALM = "1.3.6.1.5.5.7.8.8"  # id-on-NAIRealm (RFC 7585)
    SMTP_UTF8_MAILBOX = "1.3.6.1.5.5.7.8.9"  # id-on-SmtpUTF8Mailbox (RFC 8398)
    MS_UPN = "1.3.6.1.4.1.311.20.2.3"  # Microsoft User Principal Name


class NameOID:
    """Attribute types of distinguished names (X.520, RFC 4519, PKCS #9)."""

    COMMON_NAME = "2.5.4.3"
    SURNAME = "2.5.4.4"
    SERIAL_NUMBER = "2.5.4.5"
    COUNTRY_NAME = "2.5.4.6"
    LOCALITY_NAME = "2.5.4.7"
    STATE_OR_PROVINCE_NAME = "2.5.4.8"
    STREET_ADDRESS = "2.5.4.9"
    ORGANIZATION_NAME = "2.5.4.10"
    ORGANIZATIONAL_UNIT_NAME = "2.5.4.11"
    TITLE = "2.5.4.12"
    BUSINESS_CATEGORY = "2.5.4.15"
    POSTAL_CODE = "2.5.4.17"
    GIVEN_NAME = "2.5.4.42"
    INITIALS = "2.5.4.43"
    GENERATION_QUALIFIER = "2.5.4.44"
    DN_QUALIFIER = "2.5.4.46"
    PSEUDONYM = "2.5.4.65"
    ORGANIZATION_IDENTIFIER = "2.5.4.97"
    USER_ID = "0.9.2342.19200300.100.1.1"
    DOMAIN_COMPONENT = "0.9.2342.19200300.100.1.25"
    EMAIL_ADDRESS = "1.2.840.113549.1.9.1"


# --- algorithms --------------------------------------------------------------------------------


class HashAlgorithmOID:
    """Digest algorithms (RFC 3279, RFC 5754, NIST's CSOR)."""

    SHA1 = "1.3.14.3.2.26"
    SHA224 = "2.16.840.1.101.3.4.2.4"
    SHA256 = "2.16.840.1.101.3.4.2.1"
    SHA384 = "2.16.840.1.101.3.4.2.2"
    SHA512 = "2.16.840.1.101.3.4.2.3"
    SHA512_224 = "2.16.840.1.101.3.4.2.5"
    SHA512_256 = "2.16.840.1.101.3.4.2.6"


#: The hashes ocspkit computes, by the name asn1crypto, hashlib and ``openssl ocsp -sha256`` use,
#: with their OIDs: a CertID's (RFC 6960 4.1.1 allows any hash; these are the ones OpenSSL offers)
#: and a signature's.
SUPPORTED_HASHES: Dict[str, str] = {
    "sha1": HashAlgorithmOID.SHA1,
    "sha224": HashAlgorithmOID.SHA224,
    "sha256": HashAlgorithmOID.SHA256,
    "sha384": HashAlgorithmOID.SHA384,
    "sha512": HashAlgorithmOID.SHA512,
}


class MaskGenerationFunctionOID:
    """Mask generation functions of RSASSA-PSS (RFC 8017 B.2)."""

    MGF1 = "1.2.840.113549.1.1.8"


class SignatureAlgorithmOID:
    """Signature algorithms that the printers treat apart (RSASSA-PSS parameters, DSA's r and s)."""

    RSASSA_PSS = "1.2.840.113549.1.1.10"  # RFC 4055, also a public key algorithm
    DSA_WITH_SHA1 = "1.2.840.10040.4.3"
    DSA_WITH_SHA = "1.3.14.3.2.13"  # OIW dsaWithSHA (OpenSSL's DSA-SHA)
    DSA_WITH_SHA1_OIW = "1.3.14.3.2.27"  # OIW dsaWithSHA1 (OpenSSL's DSA-SHA1-old)
    DSA_WITH_SHA224 = "2.16.840.1.101.3.4.3.1"
    DSA_WITH_SHA256 = "2.16.840.1.101.3.4.3.2"
    DSA_WITH_SHA384 = "2.16.840.1.101.3.4.3.3"
    DSA_WITH_SHA512 = "2.16.840.1.101.3.4.3.4"
    DSA_WITH_SHA3_224 = "2.16.840.1.101.3.4.3.5"
    DSA_WITH_SHA3_256 = "2.16.840.1.101.3.4.3.6"
    DSA_WITH_SHA3_384 = "2.16.840.1.101.3.4.3.7"
    DSA_WITH_SHA3_512 = "2.16.840.1.101.3.4.3.8"


class PublicKeyAlgorithmOID:
    """Algorithms of subjectPublicKeyInfo (RFC 3279, RFC 4055, RFC 5480, RFC 8410)."""

    RSA_ENCRYPTION = "1.2.840.113549.1.1.1"
    RSASSA_PSS = SignatureAlgorithmOID.RSASSA_PSS
    DSA = "1.2.840.10040.4.1"
    EC_PUBLIC_KEY = "1.2.840.10045.2.1"
    ED25519 = "1.3.101.112"
    ED448 = "1.3.101.113"


class EllipticCurveOID:
    """Named curves (RFC 5480 2.1.1.1, SEC 2, RFC 5639)."""

    SECP192R1 = "1.2.840.10045.3.1.1"
    SECP224R1 = "1.3.132.0.33"
    SECP256R1 = "1.2.840.10045.3.1.7"
    SECP384R1 = "1.3.132.0.34"
    SECP521R1 = "1.3.132.0.35"
    SECP256K1 = "1.3.132.0.10"
    BRAINPOOLP192R1 = "1.3.36.3.3.2.8.1.1.3"
    BRAINPOOLP224R1 = "1.3.36.3.3.2.8.1.1.5"
    BRAINPOOLP256R1 = "1.3.36.3.3.2.8.1.1.7"
    BRAINPOOLP320R1 = "1.3.36.3.3.2.8.1.1.9"
    BRAINPOOLP384R1 = "1.3.36.3.3.2.8.1.1.11"
    BRAINPOOLP512R1 = "1.3.36.3.3.2.8.1.1.13"


# --- the names OpenSSL prints ------------------------------------------------------------------

#: OIDs whose name ocspkit prints differently from OpenSSL 3.0, on purpose:
#: ``{dotted OID: (ocspkit's name, OpenSSL 3.0's name)}``.
CORRECTED_NAMES: Dict[str, Tuple[str, str]] = {
    # RFC 6960 4.4.7: id-pkix-ocsp-pref-sig-algs. OpenSSL's table has "Extended OCSP Status".
    OCSPExtensionOID.PREFERRED_SIGNATURE_ALGORITHMS: ("Preferred Signature Algorithms", "Extended OCSP Status"),
    # RFC 6960 4.4.8: id-pkix-ocsp-extended-revoke. OpenSSL's table has "valid".
    OCSPExtensionOID.EXTENDED_REVOKE: ("Extended Revoke", "valid"),
}


@functools.cache
def _names() -> Tuple[Dict[str, str], Dict[str, str]]:
    """OpenSSL's short and long names by dotted OID, read from the table on first use."""
    # Imported here, not at the top: ocspkit.asn1 imports this module, and only printing names
    # objects, so commands that do not print never load the table.
    from ._oid_table import OPENSSL_OBJECTS

    short: Dict[str, str] = {}
    long: Dict[str, str] = {}
    for line in OPENSSL_OBJECTS.strip().splitlines():
        oid, _, names = line.partition(" ")
        short_, bar, long_ = names.partition("|")
        if not bar:
            long_ = short_
        short[oid] = short_ or long_
        long[oid] = long_ or short_
    for oid, (name, _) in CORRECTED_NAMES.items():
        long[oid] = name
    return short, long


def oid_name(oid: str) -> str:
    """The name OpenSSL prints for a dotted OID (i2a_ASN1_OBJECT: the long name, else the short
    name, else the OID itself), with the corrections of :data:`CORRECTED_NAMES`."""
    if not isinstance(oid, str):
        raise OCSPTypeError(f"oid must be a dotted str, got {type(oid).__name__}")
    return _names()[1].get(oid, oid)


def short_name(oid: str) -> str:
    """OBJ_nid2sn: OpenSSL's short name for a dotted OID, or the OID itself when it has none."""
    return _names()[0].get(oid, oid)
