"""How the simulated stack is put together, once, for the pytest plugins (``fixtures/``) and ``ras-e2e walk``.

Both need the same reference times, the portal with its SMTP server trusting the test PKI, a card in a reader,
Chromium as the run needs it and, for the real extension, a browser with the native host registered. Before this
room each put them together on its own, and the two drifted. No pytest here (``fixtures/`` holds the plugins).
"""
