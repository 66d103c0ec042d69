"""The portal's behaviour in plain Python (moto's models): the registration, login, password and check flows, the
store, sessions, mail texts, URL prefixes and the simulated clock. Nothing here imports Flask or werkzeug
(tests/portal_mock/test_models_layer.py checks it): the HTTP layer is ``portal_mock.responses``, thin blueprints that
parse a request, call a model and render. ``Portal`` (models/portal.py) is the one object the responses talk to."""
