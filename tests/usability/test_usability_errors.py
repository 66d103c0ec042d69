"""Error-message verdicts (usability/rubric.md): bare codes are poor, a message with cause + action + a way forward
is good, a cause without a next step (or a next step without a cause) is fair."""

import pytest

from usability.errors import extract_code, judge


@pytest.mark.parametrize(
    "text, grade, happened, todo, self_service, bare",
    [
        ("EW000J0200", "poor", "no", False, False, True),
        ("エラーが発生しました", "poor", "no", False, False, True),
        ("Internal Server Error", "poor", "no", False, False, True),
        ("404 Not Found", "poor", "no", False, False, True),
        ("WZBAM255E : マイナンバーカードの認証に失敗しました", "poor", "vague", False, False, False),
        ("カードとの通信中にエラーが発生しました。 エラーコード：EW104J1502 エラー詳細：0x00000006",
         "poor", "vague", False, False, False),
        ("この在留カード番号は既に使用されています", "fair", "yes", False, False, False),  # rubric: cause, no next step
        ("エラーが発生しました。もう一度お試しください", "fair", "no", True, True, False),  # rubric: instruction, no cause
        ("署名用電子証明書が失効しています。お住まいの市区町村の窓口で再発行してください。",
         "fair", "yes", True, False, False),
        ("メールアドレスが入力されていません。メールアドレスを入力してください。", "good", "yes", True, True, False),
        ("The card could not be read because no card is inserted. Insert your My Number card into the reader "
         "and select Try again.", "good", "yes", True, True, False),
    ],
)
def test_verdicts(text, grade, happened, todo, self_service, bare):
    v = judge(text)
    assert (v.grade, v.what_happened, v.what_to_do, v.self_service, v.bare) == (
        grade, happened, todo, self_service, bare), v.reasons


def test_a_link_offered_with_the_message_makes_it_self_service():
    text = "パスワードの有効期限が切れています。パスワードを再設定してください。"
    assert judge(text, links=["https://example.invalid/reset"]).grade == "good"
    assert judge("Your password has expired. Please reset it at https://example.invalid/reset").grade == "good"


def test_offline_only_way_forward_is_flagged():
    v = judge("署名用電子証明書が失効しています。市区町村の窓口で再発行してください。")
    assert v.offline_only and not v.self_service
    assert any("offline" in r for r in v.reasons)


def test_reasons_explain_a_poor_verdict():
    v = judge("WZBAM255E : マイナンバーカードの認証に失敗しました")
    assert "does not say what to do" in v.reasons


def test_extract_code():
    assert extract_code("WZBAM255E : マイナンバーカードの認証に失敗しました") == "WZBAM255E"
    assert extract_code("エラーコード：EW104J1502") == "EW104J1502"
    assert extract_code("ログインしてください") is None
