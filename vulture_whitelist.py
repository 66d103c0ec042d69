"""Names vulture cannot see being used, read by `vulture` (settings in pyproject.toml, run by `make lint`/`make test`).

Part 1 lists only names a framework calls or reads by name: a name belongs here when deleting it would change what
the framework does, not because it might be handy one day. pytest hooks, fixtures, pytest-bdd steps and Flask
routes are ignored by pattern in pyproject.toml ([tool.vulture]) and need no line here.

Part 2 is a to-do list, not a whitelist: symbols nothing uses, in rooms other helpers of issue 15 were moving while
this file was written. Each owner deletes theirs (or uses them); the lead deletes the line when it goes. It must end
up empty: vulture then reports any new dead symbol.
"""

# ruff: noqa: B018, F821  (vulture's whitelist format: bare attribute expressions on a placeholder)

# -- Part 1: called or read by a framework ---------------------------------------------------------------------------
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

# -- Part 2: dead, to delete in their owners' rooms (the lead empties this part) ------------------------------------
# fixtures/ (pcsc plugin): property nothing reads.
_.started_by_us
# jpki_client/
_.arch  # environments.py Environment field nothing reads
_.browser_version  # environments.py Environment field nothing reads
# portal_mock/
_.FAULT_KINDS  # backend.py
_.nationality  # rules.py (and virtual_card/profiles.py): a field nothing reads
_.cert_min_age_hours  # settings.py: PortalSettings fields nothing reads (facts recorded but not simulated?)
_.session_timeout_minutes
_.link_ttl_hours
_.password_valid_days
_.bureau_change_delay_seconds
_.bureau_mail_delay_seconds
_.permanent_residence_online
_.bureau_auth_id_delay_seconds
_.overseas_access_blocked
_.smartphone_supported
_.accept_unknown_residents
_.extension_timeout_seconds
# ras_e2e/ (command line; realcard/ and live/ after the split)
_.JUNIT  # e2e.py
_.har_texts  # live/browser.py
_.tools  # live/recording.py RecordingMeta field nothing reads
_.scrub_har_file  # live/recording.py
_.scrub_headers  # live/scrub.py
_.rebased  # live/sites.py
_.subject_has_name  # realcard.py
_.readable_without_pin  # realcard.py
_.hours_since_issue  # realcard.py
# steps/: a step's fixture argument used only for its side effect (use @pytest.mark.usefixtures or drop it).
_.own_card  # steps/real_card_steps.py
# virtual_card/
_.name_kana  # profiles.py CardProfile field nothing reads
# tests/ owned by other helpers: fixture arguments used only for their side effect (@pytest.mark.usefixtures).
_.ocsp_server  # tests/portal_mock/test_portal_verifier.py
