"""The agency's information page (entry button near its end) and an unrelated site on the same server."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request

from ..models.urls import AGENCY_ENTRY, AGENCY_PAGE, PREFIX

bp = Blueprint("agency", __name__)


@bp.get("/")
def root():
    return render_template("index.html", title="ras-e2e portal simulation", prefix=PREFIX)


@bp.get(AGENCY_PAGE)
def onlineshinsei():
    """The agency's page, in Japanese or (``?hl=en``, the agency's English view: portal-journey.md §2.6, [O]) in
    English. Both publish the entry to the portal; a person told "use the English page" must find it there too."""
    gen = current_app.extensions["portal"].active_generation()
    if request.args.get("hl") == "en":
        return render_template("agency_en.html", title="Online Residence Application Procedures",
                               entry=PREFIX[gen] + "/", gen=None)
    return render_template("agency.html", title="在留申請のオンライン手続", entry=PREFIX[gen] + "/", gen=None)


@bp.get(AGENCY_ENTRY)
def entry():
    gen = current_app.extensions["portal"].active_generation()
    return redirect(PREFIX[gen] + "/", code=302)


@bp.get("/elsewhere/")
def elsewhere():
    return render_template("elsewhere.html", title="Example unrelated site")
