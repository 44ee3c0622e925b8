"""``python -m ocspkit``: the ocspkit command line (see :mod:`ocspkit.cli`)."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
