"""KLM arithmetic: each action kind costs exactly its documented operators."""

import pytest

from usability.klm import OPERATORS, KlmModel, seconds_of

K, P, H, M, B = (OPERATORS[o] for o in "KPHMB")


def test_operator_values_are_the_published_ones():
    assert (K, P, H, M, B) == (0.2, 1.1, 0.4, 1.35, 0.1)


def test_click_from_the_mouse_is_m_p_bb():
    cost = KlmModel().cost("click")
    assert cost.operators == "MPBB"
    assert cost.seconds == pytest.approx(M + P + 2 * B)  # 2.65 s


def test_fill_types_n_keys_and_leaves_the_hand_on_the_keyboard():
    model = KlmModel()
    fill = model.cost("fill", 12)
    assert fill.operators == "MPBBH" + "K" * 12
    assert fill.seconds == pytest.approx(M + P + 2 * B + H + 12 * K)  # 5.45 s
    # the next click has to bring the hand back to the mouse
    click = model.cost("click")
    assert click.operators == "MHPBB"
    assert click.seconds == pytest.approx(M + H + P + 2 * B)


def test_pin_dialog_is_digits_plus_enter():
    model = KlmModel()
    pin = model.cost("pin", 4)
    assert pin.operators == "MH" + "K" * 5  # hand to keyboard, 4 digits, Enter
    assert pin.seconds == pytest.approx(M + H + 5 * K)
    assert model.cost("pin", 6).seconds == pytest.approx(M + 7 * K)  # hand already there


def test_select_is_two_points_and_two_clicks():
    assert KlmModel().cost("select").seconds == pytest.approx(M + 2 * (P + 2 * B))


def test_unknown_kind_and_negative_keystrokes_are_refused():
    with pytest.raises(ValueError, match="unknown action kind 'tap'"):
        KlmModel().cost("tap")
    with pytest.raises(ValueError):
        KlmModel().cost("fill", -1)
    with pytest.raises(ValueError, match="unknown KLM operator"):
        seconds_of("MPX")
