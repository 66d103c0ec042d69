"""KLM's R (issue 11): real elapsed system time from a card at realistic latency goes into klm_seconds; with the
default latency `off` nothing is recorded and the numbers stay those of the baseline."""

from usability.recorder import ScenarioRecorder


def _recorder() -> ScenarioRecorder:
    r = ScenarioRecorder("features/x.py::test_x", "x", "card", "card")
    r.action("click", "動作確認を開始する")
    return r


def test_system_response_adds_r_to_klm():
    plain, timed = _recorder(), _recorder()
    timed.system_response(1.25, "card")
    timed.system_response(0.5, "card")
    a, b = plain.finish("passed")["totals"], timed.finish("passed")["totals"]
    assert b["system_response_seconds"] == 1.75 and a["system_response_seconds"] == 0
    assert b["klm_seconds"] == round(a["klm_seconds"] + 1.75, 2)


def test_a_response_after_the_scenario_ended_is_ignored():
    r = _recorder()
    r.finish("passed")
    r.system_response(1.0, "card")  # e.g. the card finishing during teardown
    assert r.system_responses == 0


def test_response_times_are_milliseconds_so_no_digit_run_looks_like_a_pin():
    r = _recorder()
    r.system_response(0.0311234800001665, "card")
    assert r.finish("passed")["system_responses"] == [{"seconds": 0.031, "what": "card"}]
