"""TrackedPage: a thin Playwright wrapper that records user actions, page views and broken links.

Why a wrapper: the metrics must come from what the harness really does, without steps writing them by hand. The
page-object layer calls ``TrackedPage.click/fill/select/...`` instead of the raw page; page loads, HTTP errors and
failed requests are picked up from Playwright's events. Values typed are passed to Playwright and never to the
recorder: only their length is counted.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from . import a11y as _a11y
from .errors import extract_code

# Where error messages usually live: GOV.UK-style components, ARIA alerts, and common class names.
DEFAULT_ERROR_SELECTORS = (
    "[role=alert]",
    ".error-message",
    ".error",
    ".errorMessage",
    ".govuk-error-message",
    ".govuk-error-summary",
)
# net::ERR_ABORTED is the browser cancelling a request because the page navigated on; not a broken link.
_IGNORED_FAILURES = ("net::ERR_ABORTED",)


class TrackedPage:
    """Wraps a sync Playwright ``Page``; ``.page`` stays available for assertions and reads."""

    def __init__(self, page, recorder, auto_a11y: bool = False, track_network: bool = True) -> None:
        self.page = page
        self.recorder = recorder
        self.auto_a11y = auto_a11y
        self._scanned_paths: set[str] = set()
        self._suppress_load = False
        page.on("load", self._on_load)
        if track_network:
            page.on("response", self._on_response)
            page.on("requestfailed", self._on_failed)

    def _locator(self, target):
        return self.page.locator(target) if isinstance(target, str) else target

    @staticmethod
    def _describe(target, label: str | None) -> str:
        return label or (target if isinstance(target, str) else str(target))

    # -- actions ------------------------------------------------------------------------------------------------
    def goto(self, url: str, **kwargs):
        """Typing an address is not counted as a journey action (people arrive by link or bookmark); the page
        view is recorded by the load event."""
        response = self.page.goto(url, **kwargs)
        self._after()
        return response

    def click(self, target, label: str | None = None, **kwargs) -> None:
        self.recorder.action("click", self._describe(target, label))
        self._locator(target).click(**kwargs)
        self._after()

    def check(self, target, label: str | None = None, **kwargs) -> None:
        self.recorder.action("check", self._describe(target, label))
        self._locator(target).check(**kwargs)
        self._after()

    def fill(self, target, value: str, label: str | None = None, **kwargs) -> None:
        self.recorder.action("fill", self._describe(target, label), keystrokes=len(value))
        self._locator(target).fill(value, **kwargs)
        self._after()

    def select(self, target, value, label: str | None = None, **kwargs) -> None:
        self.recorder.action("select", self._describe(target, label))
        self._locator(target).select_option(value, **kwargs)
        self._after()

    def press(self, target, key: str, label: str | None = None, **kwargs) -> None:
        self.recorder.action("press", self._describe(target, label) + f" [{key}]")
        self._locator(target).press(key, **kwargs)
        self._after()

    def set_content(self, html: str, url_label: str = "about:blank", title: str | None = None) -> None:
        """For tests: a page built in place is recorded under ``url_label`` (its load event would say about:blank)."""
        self._suppress_load = True
        try:
            self.page.set_content(html)
        finally:
            self._suppress_load = False
        self.recorder.page_view(url_label, title if title is not None else self.page.title())
        self._after(url_label)

    def settle(self) -> None:
        """One round trip to the browser so pending page-load events (titles) are in before ``finish``."""
        try:
            self.page.evaluate("0")
        except Exception:
            pass

    # -- observations -------------------------------------------------------------------------------------------
    def detect_errors(self, selectors=DEFAULT_ERROR_SELECTORS, source: str = "portal") -> list[dict]:
        """Record every visible error message on the page (text, code, links offered inside it)."""
        found = []
        for sel in selectors:
            for el in self.page.locator(sel).all():
                if not el.is_visible():
                    continue
                text = el.inner_text().strip()
                if not text:
                    continue
                links = [h for h in el.locator("a").evaluate_all("els => els.map(a => a.href || a.textContent)")]
                entry = self.recorder.error(extract_code(text), text, self.page.url, source, links=links)
                if entry:
                    found.append(entry)
        return found

    def scan_a11y(self) -> list[dict]:
        """Run axe on the current page state and record its violations."""
        violations = _a11y.scan(self.page)
        self.recorder.a11y(self.page.url, violations)
        self._scanned_paths.add(urlsplit(self.page.url).path)
        return violations

    # -- events -------------------------------------------------------------------------------------------------
    def _after(self, url: str | None = None) -> None:
        if not self.auto_a11y or self.recorder.finished:
            return
        path = url or urlsplit(self.page.url).path
        if path not in self._scanned_paths:
            self.scan_a11y()
            self._scanned_paths.add(path)

    def _on_load(self, page) -> None:
        """Record the view at once (no round trip to the browser, so it cannot race with the scenario's end),
        then ask for the title."""
        if self.recorder.finished or self._suppress_load:
            return
        index = self.recorder.page_view(page.url, "")
        try:
            self.recorder.page_title(index, page.title())
        except Exception:  # the page navigated on or closed; the view is counted, the title stays empty
            pass

    def _on_response(self, response) -> None:
        """Documents are counted as links followed; any resource answering >= 400 counts as broken."""
        if self.recorder.finished:
            return
        if response.status >= 400 or response.request.resource_type == "document":
            self.recorder.link(response.url, response.status)

    def _on_failed(self, request) -> None:
        failure = request.failure or ""
        if any(f in failure for f in _IGNORED_FAILURES) or self.recorder.finished:
            return
        self.recorder.link(request.url, None, failure)
