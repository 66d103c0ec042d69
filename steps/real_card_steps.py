"""The opt-in preflight on a person's own card (realcard.doctor through fixtures.opt_in's guarded client)."""

from pytest_bdd import given, then, when


@given("the person's own card is in their reader")
def own_card_in_reader(real_card_client):
    """Opens the guarded read-only client the When step reads through: skipped unless the run opted in to a real
    card; several readers and no --reader stop the run (fixtures/opt_in.py)."""


@when("the preflight check reads it without spending a PIN try", target_fixture="findings")
def preflight(real_card_doctor):
    return real_card_doctor


@then("the preflight check finds nothing that blocks the portal")
def nothing_blocking(findings):
    blocking = [f"{f.code}: {f.en} — {f.advice_en}" for f in findings if f.blocking]
    assert not blocking, "\n".join(blocking)
