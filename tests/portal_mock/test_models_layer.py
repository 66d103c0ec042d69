"""The portal's models know nothing of HTTP (moto's split, issue 15): importing every module of portal_mock.models
loads neither Flask nor werkzeug. Checked in a fresh interpreter, because this test process has Flask loaded."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import portal_mock.models

WEB = ("flask", "werkzeug", "jinja2")


def test_the_models_import_no_web_framework():
    modules = sorted(f"portal_mock.models.{m.name}" for m in pkgutil.iter_modules(portal_mock.models.__path__))
    assert "portal_mock.models.portal" in modules and "portal_mock.models.registration" in modules
    code = (f"import importlib, sys\nfor m in {modules!r}: importlib.import_module(m)\n"
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({WEB!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", f"portal_mock.models loads the web layer: {out.strip()}"
