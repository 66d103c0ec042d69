"""A person's own card, safely: the guards between any client and the reader, PIN consent, and the doctor.

``guards`` (APDU allowlist, PIN consent, reader selection, the read-only report) and ``doctor`` (``ras-e2e doctor``,
the preflight in plain Japanese and English). No pytest here: the pytest side is ``fixtures/opt_in.py``.
"""
