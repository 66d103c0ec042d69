"""Root conftest: registers the harness's pytest plugins (fixtures/ is the only place that wires parts)
and the step libraries (steps/), so every feature file sees every step."""

from pathlib import Path

pytest_plugins = [
    "fixtures.options",
    "fixtures.pcsc",
    "fixtures.browser",
    "fixtures.bdd",
    "fixtures.services",
    "fixtures.reporting",
    "fixtures.world_fixture",
    "fixtures.workers",
    "steps.common_steps",
    "steps.preparation_steps",
    "steps.card_steps",
    "steps.registration_steps",
    "steps.login_steps",
    "steps.mail_steps",
    "steps.real_card_steps",
    "steps.extension_steps",
]
if (Path(__file__).parent / "fixtures" / "opt_in.py").exists():
    pytest_plugins.append("fixtures.opt_in")
