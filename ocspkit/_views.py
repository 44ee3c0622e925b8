"""What the read-only views share: the asn1crypto tree of a view, parsed from its bytes on first use.

The views (:mod:`ocspkit.request`, :mod:`ocspkit.response`) keep the bytes as received and the
decoded fields; the asn1crypto tree is made only when someone asks for it. This module imports
nothing of ocspkit, so any view module can use it (it sits in the layer of
:mod:`ocspkit._readers` and :mod:`ocspkit._writers`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["TreeView", "tree_of"]


class TreeView:
    """Mixin for the read-only views: ``asn1`` is parsed from the bytes on first use.

    Subclasses have ``_der`` (bytes as received) and ``_asn1`` slots and a ``_SPEC`` class.
    """

    __slots__ = ()
    _SPEC: Any = None
    _der: bytes
    _asn1: Any

    @property
    def asn1(self) -> Any:
        """The asn1crypto tree of this structure, parsed from the bytes as received."""
        if self._asn1 is None:
            self._asn1 = self._SPEC.load(self._der)
        return self._asn1

    def dump(self) -> bytes:
        """The DER of this structure, exactly as received."""
        return self._der


def tree_of(value: Any, spec: Any) -> Any:
    """``value`` as an asn1crypto value: parsed with ``spec`` when it is still DER bytes."""
    return spec.load(value) if isinstance(value, bytes) else value
