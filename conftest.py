"""Root conftest: registers the harness's pytest plugins (fixtures/ is the only place that wires parts)."""

pytest_plugins = ["fixtures.options", "fixtures.pcsc"]
