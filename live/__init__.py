"""Read-only, gentle checks of the live portal's public pages, their recordings and the drift report.

Nothing here knows pytest. The pieces:

* :mod:`.settings`  — `LiveSettings`: rate, request cap, service hours, User-Agent, submission permission.
* :mod:`.gentle`    — `GentleSession` (a `requests.Session` that waits for its token bucket, counts every request
  against the cap, names the harness in its User-Agent and refuses any non-GET before it is sent).
* :mod:`.sites`     — where the public pages live (live hosts, or one base URL for a staging portal/simulation).
* :mod:`.pages`     — what a page says: element names, texts, links (stdlib HTML parser).
* :mod:`.checks`    — the read-only checks (agency page and its entry button, links, JPKI download page,
  top pages and their element names, availability).
* :mod:`.scrub`     — scrubbing of cookies, tokens and personal data from cassettes and HAR files.
* :mod:`.recording` — vcrpy cassettes, Playwright HAR files and their provenance sidecars.
* :mod:`.browser`   — the same checks in Chromium (record a HAR, or replay one with ``route_from_har``).
* :mod:`.drift`     — drift report: a recording against the simulation (HTML + Markdown).
* :mod:`.record`    — ``python -m live.record --from-simulation`` (and, opt-in, ``--live``).

The committed recordings live in this package, ``live/recordings/`` (``recording.RECORDINGS_DIR``).
"""
