"""The HTTP layer (moto's responses): thin Flask blueprints that parse a request, call the model
(portal_mock.models) and render. One module per flow; each generation's portal is one blueprint named after the
generation (``ras`` under /WC01/WCAAS010, ``rasens`` under /rasens-u), so endpoints read ``rasens.info`` etc."""

from __future__ import annotations

from flask import Blueprint

from ..models.urls import PREFIX
from . import check, mypage, password, registration, top

FLOWS = (top, check, registration, password, mypage)


def make_blueprint(gen: str) -> Blueprint:
    """The portal of one generation: every flow's routes under its prefix."""
    bp = Blueprint(gen, __name__, url_prefix=PREFIX[gen])
    for flow in FLOWS:
        flow.register(bp, gen)
    return bp
