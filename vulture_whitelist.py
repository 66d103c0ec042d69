"""Names vulture cannot see being used, read by `vulture` (settings in pyproject.toml, run by `make lint`/`make test`).

Part 1 lists only names something calls or reads by name — a framework, a YAML loader that rejects unknown fields,
or `Portal.setting("<name>")`: a name belongs here when deleting it would change what that reader does, not because
it might be handy one day. Each line says who reads it. pytest hooks, fixtures, pytest-bdd steps and Flask
routes are ignored by pattern in pyproject.toml ([tool.vulture]) and need no line here.

There is no Part 2 any more: the to-do list of dead symbols it held was worked off (issue 15 item 6) — each was
deleted, or moved here with the reader that uses it by name. `make static` now fails on any new dead symbol; fix it
by deleting the symbol, not by adding a line, unless something really reads it by name (then say who).
"""

# ruff: noqa: B018, F821  (vulture's whitelist format: bare attribute expressions on a placeholder)

# -- Part 1: called or read by name ------------------------------------------------------------------------------------
# http.server.BaseHTTPRequestHandler dispatches on do_<METHOD> and calls log_message/log_request.
_.do_GET
_.do_HEAD
_.do_PUT
_.do_DELETE
_.log_message
_.log_request
_.close_connection  # read by BaseHTTPRequestHandler.handle after each request
# socketserver.ThreadingMixIn reads daemon_threads.
_.daemon_threads
# html.parser.HTMLParser calls its handle_* methods.
_.handle_starttag
_.handle_endtag
_.handle_data
# aiosmtpd calls a handler's handle_DATA.
_.handle_DATA
# sqlite3.Connection reads row_factory; requests.Session reads max_redirects.
_.row_factory
_.max_redirects
# pytest passes hook arguments by name: a hook implementation must spell the parameters it takes.
_.step_func
_.step_func_args
_.exitstatus
# YAML loaders that reject unknown fields: every committed file carries these, so deleting the field breaks loading.
_.arch  # jpki_client/environments.py FIELDS: environments/*.yaml describe the machine (arch, browser_version)
_.browser_version
_.name_kana  # virtual_card/profiles.py Holder: cards/*.yaml (docs/CONTRACTS.md "Profile YAML sections")
_.nationality  # virtual_card/profiles.py Person: cards/*.yaml, same loader
_.tools  # live/recording.py Provenance: asdict writes it to provenance.yaml, Provenance.read passes it to cls(**data)
# portal_mock/settings.py PortalSettings, the runtime-adjustable RUNTIME_FIELDS: read only as Portal.setting("<name>")
# (portal_mock/models/portal.py: a PUT /__admin/settings override, else getattr(self.settings, name)), so that a
# scenario's or --portal-setting's override wins. Vulture sees a string, not an attribute read. Readers:
_.cert_min_age_hours  # models/portal.py (the Verifier's minimum certificate age)
_.session_timeout_minutes  # models/sessions.py
_.link_ttl_hours  # models/password.py
_.password_valid_days  # models/bureau.py, login.py, portal.py, registration.py
_.bureau_change_delay_seconds  # models/bureau.py
_.bureau_mail_delay_seconds  # models/bureau.py
_.permanent_residence_online  # models/login.py
_.bureau_auth_id_delay_seconds  # models/bureau.py
_.overseas_access_blocked  # app.py (the abroad check)
_.smartphone_supported  # app.py (the smartphone check)
_.accept_unknown_residents  # models/registration.py
_.extension_timeout_seconds  # responses/common.py (the page's wait for the extension)
