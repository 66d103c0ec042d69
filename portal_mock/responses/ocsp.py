"""The OCSP responder's route (RFC 6960, HTTP POST /ocsp/<kind>); the answer itself is models/ocsp.py."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, g, request

from ..models.ocsp import respond

CONTENT_TYPE = "application/ocsp-response"


def make_blueprint(portal) -> Blueprint:
    bp = Blueprint("ocsp", __name__)

    @bp.post("/ocsp/<kind>")
    def answer(kind: str):
        g.event_logged = True  # infrastructure, not a page a person sees
        trust = Path(portal.settings.trust_dir) if portal.settings.trust_dir else Path("/nonexistent")
        body = respond(trust, kind, request.get_data(cache=False)[:65536], portal.clock.now())
        return Response(body, content_type=CONTENT_TYPE)

    return bp
