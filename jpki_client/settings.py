"""Every fact about the real JPKI client that the harness has to *choose*, in one place.

Why one module: the reference material confirms only some of what the real 利用者クライアントソフト and its
browser extension show to a person.  Everything else is a documented guess; keeping the guesses here, each with
its status, lets a reviewer see at a glance which texts are real and lets a later finding change one line.

Status values in ``MESSAGES``:

* ``confirmed``  – code and wording quoted by a source in ``/work/shared/reference`` (portal-journey.md §3).
* ``partial``    – the code is confirmed, the exact wording is reconstructed around the quoted fragment.
* ``unverified`` – not seen in any source: a harness code (prefix ``JPKI_``, never a real ``EW…`` code) and
  a plausible wording.  Do not quote these as the real client's texts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MessageSpec:
    """One error the client can report: its code, both languages, and how sure we are of them."""

    code: str
    ja: str
    en: str
    status: str  # confirmed | partial | unverified
    source: str


MESSAGES: dict[str, MessageSpec] = {
    spec.code: spec
    for spec in (
        MessageSpec(
            "EW000J0200",
            "利用者クライアントソフトエラー ICカードリーダライタまたはカードが見つかりません。"
            "カードリーダライタの接続とカードの置き方を確認してください。",
            "JPKI client software error: no IC card reader or card was found. "
            "Check that the reader is connected and the card is placed on it.",
            "partial",
            "portal-journey.md §3 (tokyo-geek: 「利用者クライアントソフトエラー … エラーコード：EW000J0200」); "
            "the sentence after the heading is reconstructed",
        ),
        MessageSpec(
            "EW104J1502",
            "カードとの通信中にエラーが発生しました。",
            "An error occurred while communicating with the card.",
            "confirmed",
            "portal-journey.md §3 (tokyo-geek, spouse-visa.jp)",
        ),
        MessageSpec(
            "JPKI_PIN_INCORRECT",
            "暗証番号が正しくありません。あと{tries_left}回間違えるとロックされます。",
            "The PIN is incorrect. {tries_left} more wrong attempt(s) will lock it.",
            "unverified",
            "card behaviour from jpki-card.md §7; wording is a guess",
        ),
        MessageSpec(
            "JPKI_PIN_BLOCKED",
            "暗証番号がロックされています。お住まいの市区町村窓口で初期化の手続きをしてください。",
            "The PIN is locked. Have it reset at your city office.",
            "unverified",
            "lock/reset facts from jpki-card.md §7 and portal-journey.md §3; wording is a guess",
        ),
        MessageSpec(
            "JPKI_PIN_FORMAT",
            "暗証番号の入力内容に誤りがあります。",
            "The PIN cannot be sent to the card (empty, too long or not ASCII).",
            "unverified",
            "harness guard: a VERIFY with no data would be a counter query, not a check",
        ),
        MessageSpec(
            "JPKI_CLIENT_NOT_RUNNING",
            "利用者クライアントソフト（ブラウザ版）を起動できません。"
            "利用者クライアントソフト Edge/Chrome 版がインストールされているか確認してください。",
            "The JPKI client (browser version) cannot be started. "
            "Check that the Edge/Chrome browser version of the JPKI client software is installed.",
            "unverified",
            "first-hand-journey.md (Ver 3.4 standalone installed, browser version needed); wording is a guess",
        ),
        MessageSpec(
            "JPKI_HOST_EXITED",
            "利用者クライアントソフト（ブラウザ版）が応答の途中で終了しました。もう一度お試しください。",
            "The JPKI client (browser version) ended in the middle of an answer. Please try again.",
            "unverified",
            "ours: the test extension's answer when its native host dies mid-request (jpki_client/extension); "
            "what the real extension shows is not public",
        ),
        MessageSpec(
            "JPKI_CARD_STATUS",
            "カードの読み取りに失敗しました。（状態語 {sw}）",
            "The card refused the command (status word {sw}).",
            "unverified",
            "harness code for a status word the client does not expect",
        ),
        MessageSpec(
            "JPKI_NOT_JPKI_CARD",
            "公的個人認証サービスの電子証明書が格納されたカードではありません。",
            "This card holds no JPKI application (not a My Number card).",
            "unverified",
            "SELECT of the JPKI AID answered 6A82 (jpki-card.md §5.1); wording is a guess",
        ),
        MessageSpec(
            "JPKI_CERT_ABSENT",
            "このカードには{certificate}が格納されていません。",
            "This card holds no {certificate_en}.",
            "unverified",
            "EF 0008 availability byte 00 (jpki-card.md §4); wording is a guess",
        ),
        MessageSpec(
            "JPKI_READ_ONLY",
            "読み取り専用モードのため、暗証番号を使う操作は行いません。",
            "Read-only mode: no operation that uses a PIN is sent to the card.",
            "unverified",
            "harness guard (issue 7), not a real client message",
        ),
        MessageSpec(
            "JPKI_SEVERAL_READERS",
            "複数のICカードリーダライタが接続されています。使用するリーダを指定してください：{readers}",
            "Several card readers are connected; name the one to use: {readers}",
            "unverified",
            "harness guard: never guess which reader holds the person's card",
        ),
    )
}

#: Names of the certificates as the JPKI client and the portal call them.
CERTIFICATE_NAMES_JA = {
    "auth": "利用者証明用電子証明書",
    "sign": "署名用電子証明書",
    "auth_ca": "利用者証明用CA証明書",
    "sign_ca": "署名用CA証明書",
}
CERTIFICATE_NAMES_EN = {
    "auth": "user-authentication certificate",
    "sign": "digital-signature certificate",
    "auth_ca": "user-authentication CA certificate",
    "sign_ca": "digital-signature CA certificate",
}

#: The client converts lower case typed into the signature password to upper case before it reaches the card
#: (the card itself compares bytes).  Source: J-LIS, 「パスワードについて」,
#: https://www2.jpki.go.jp/procedure/password.html (read 2026-11-27): 「小文字で入力された場合は、大文字に変換されます
#: （※署名用パスワードのみ）」.  Status: confirmed.  A what-if run turns it off with
#: ``JpkiClient(..., upper_case_sign_password=False)`` to see what a client without the conversion would cost.
UPPER_CASE_SIGN_PASSWORD = True

#: Value of ``#jpki-extension-is-installed``.  The real extension's version is not in any source (unverified).
EXTENSION_VERSION = "1.0.0"

#: Whether the client asks for the 4-digit PIN in ``mode: auth`` when the page sent no challenge.  The JPKI
#: Modified write-up (anchors.md §2.1) says login took the auth certificate *and* the PIN, so: yes (a guess about
#: the mechanism: the PIN is verified but nothing is signed).
ASK_AUTH_PIN_WITHOUT_CHALLENGE = True


def message(code: str, lang: str = "ja", **fields: object) -> str:
    """The text for ``code`` in ``lang`` (``ja`` or ``en``) with ``fields`` filled in; unknown codes pass through."""
    spec = MESSAGES.get(code)
    if spec is None:
        return code
    text = spec.ja if lang == "ja" else spec.en
    try:
        return text.format(**fields)
    except (KeyError, IndexError):
        return text
