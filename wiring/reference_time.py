"""The portal's clock at the start of a scenario or a walk: one instant per generation.

The old generation ran 2019-2025, the new one from 2026-01-05 (``portal_mock.settings.RASENS_START``). Cards are
issued, certificates are valid and the portal's trust is exported at these instants, so the scenarios and
``ras-e2e walk`` must agree on them: this is the one definition.
"""

from __future__ import annotations

import datetime as dt

from ras_common.jst import JST

REFERENCE_TIME = {
    "ras": dt.datetime(2025, 10, 1, 10, 0, tzinfo=JST),
    "rasens": dt.datetime(2026, 2, 2, 10, 0, tzinfo=JST),
}
DEFAULT_GENERATION = "rasens"
