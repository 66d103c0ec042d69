"""Rule-based verdicts on error messages: does a person learn what happened, what to do, and how to go on alone?

Why rules and not a model: the verdict must be deterministic so a changed message shows up as a regression or an
improvement in CI, and every verdict must be explainable (``reasons``). The rules follow GOV.UK's error-message
guidance and WCAG 2.2 3.3.1/3.3.3 (reference/harness-tools.md §4.4): say what went wrong and how to fix it, no bare
codes, no generic text, card errors name the physical action. Phrase lists cover Japanese (the portal and the JPKI
client speak Japanese) and English.

Grades:
  good  says what happened (specifically), what to do, and the way forward is self-service (online: re-enter,
        retry, a link, insert the card ...).
  fair  says what to do, but what happened is vague, or the only way forward is offline (city office, phone).
  poor  bare code, generic text, or nothing about what to do.
Example: ``WZBAM255E : マイナンバーカードの認証に失敗しました`` says what happened only vaguely and nothing about what
to do -> poor.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

GRADES = ("good", "fair", "poor")  # best first; compare.py relies on this order
SOURCES = ("portal", "client", "browser")

# Codes such as WZBAM255E, EW000J0200, EW104J1502: upper-case letters and digits, both present, 6-12 long.
CODE_RE = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z][A-Z0-9]{5,11}\b")
_CODE_LABEL_RE = re.compile(r"(エラーコード|エラー番号|error code|code)\s*[:：]?\s*", re.I)
_TECH_RE = re.compile(r"(エラー詳細\s*[:：]?\s*)?0x[0-9a-f]+|traceback|exception|stack trace|\bat [\w.$]+\(", re.I)
_URL_RE = re.compile(r"https?://\S+")
_SENTENCE_RE = re.compile(r"[。．.!?！？\n]+|\s*[:：]\s+")

# Whole sentences that say nothing (compared after normalising, lower case, without punctuation).
GENERIC_SENTENCES = frozenset(
    s.lower()
    for s in (
        "エラー", "エラーです", "エラーが発生しました", "システムエラー", "システムエラーが発生しました",
        "予期しないエラーが発生しました", "処理に失敗しました", "処理中にエラーが発生しました", "入力エラー",
        "入力内容に誤りがあります", "不正な入力です", "失敗しました", "アクセスできません",
        "error", "an error occurred", "an error has occurred", "something went wrong", "unexpected error",
        "invalid input", "invalid", "failed", "internal server error", "bad request", "forbidden", "not found",
        "service unavailable", "gateway timeout", "unknown error", "system error", "request failed",
    )
)
_HTTP_STATUS_RE = re.compile(r"^\d{3}(\s+[a-z ]+)?$")

# A specific cause: the person can tell *why* it failed.
CAUSE_PHRASES = (
    "有効期限", "期限切れ", "失効", "無効", "既に", "すでに", "使用されています", "登録されています", "接続されていません",
    "見つかりません", "読み取れません", "読み取ることができません", "挿入されていません", "セットされていません",
    "正しくありません", "誤っています", "間違っています", "一致しません", "ロック", "閉塞", "回数", "超えて", "超過",
    "未入力", "入力されていません", "必須", "全角", "半角", "桁", "文字以内", "文字以上", "形式", "対応していません",
    "サポートされていません", "時間外", "メンテナンス", "停止中", "発行から", "インストールされていません",
    "expired", "revoked", "already", "in use", "not connected", "could not be found", "cannot be found", "cannot read",
    "could not read", "not inserted", "incorrect", "wrong", "does not match", "locked", "blocked", "too many",
    "exceeded", "is required", "must be", "missing", "not supported", "maintenance", "too large", "full-width",
    "half-width", "characters", "format", "not installed", "no card", "no reader",
)
# An instruction: the message tells the person what to do.
TODO_PHRASES = (
    "してください", "して下さい", "ください", "下さい", "お試し", "ご確認", "確認して", "再度", "もう一度", "お問い合わせ",
    "お問合せ", "ご連絡", "ご利用ください", "お手続き", "please", "try again", "retry", "check ", "insert", "connect",
    "enter ", "make sure", "ensure", "contact", "call ", "visit", "go to", "use ", "renew", "reset", "select", "choose",
    "update", "install", "wait",
)
# Ways forward a person can take at the PC, now.
ONLINE_PHRASES = (
    "入力", "選択", "挿入", "差し込", "接続", "お試し", "再度", "もう一度", "再読み込", "確認", "設定", "インストール",
    "こちら", "リンク", "ボタン", "再設定", "パスワードを忘れ", "try again", "retry", "enter", "select", "choose",
    "insert", "connect", "check", "install", "reset", "link", "button", "click", "here", "reload",
)
# Ways forward that need a person to leave the PC: dead-end signals.
OFFLINE_PHRASES = (
    "市区町村", "市役所", "区役所", "役場", "窓口", "来庁", "電話", "地方出入国在留管理", "出入国在留管理局", "入管",
    "郵送", "city office", "ward office", "municipal", "counter", "in person", "phone", "call ", "by post",
    "immigration bureau", "regional bureau",
)
MAX_LENGTH = 400  # longer than this is hard to take in at once (GOV.UK: short, plain)


@dataclass(frozen=True)
class Verdict:
    """Why a message is good, fair or poor; JSON-able through ``as_dict``."""

    grade: str
    what_happened: str  # "yes" | "vague" | "no"
    what_to_do: bool
    self_service: bool
    offline_only: bool
    bare: bool
    score: float  # 0..3, for ranking the worst messages; the grade is decided by the rules above
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def normalise(text: str) -> str:
    """NFKC folds full-width ASCII (：, Ａ) so one rule matches both widths."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text or "")).strip()


def extract_code(text: str) -> str | None:
    """The first error code in the text, e.g. 'WZBAM255E' from 'WZBAM255E : ...'."""
    m = CODE_RE.search(normalise(text))
    return m.group(0) if m else None


def _has(text: str, phrases: tuple[str, ...]) -> bool:
    low = text.lower()
    return any(p in low for p in phrases)


def _strip_codes(text: str, code: str | None) -> tuple[str, bool]:
    technical = bool(_TECH_RE.search(text))
    text = _TECH_RE.sub(" ", text)
    if code:
        text = text.replace(normalise(code), " ")
    text = CODE_RE.sub(" ", text)
    text = _CODE_LABEL_RE.sub(" ", text)
    return text, technical


def judge(text: str, code: str | None = None, links: tuple[str, ...] | list[str] = ()) -> Verdict:
    """Grade one message as a person meets it. ``links``: hrefs or labels offered with the message on the page."""
    full = normalise(text)
    reasons: list[str] = []
    body, technical = _strip_codes(full, code)
    sentences = [s.strip(" 、,;:-・") for s in _SENTENCE_RE.split(body)]
    sentences = [s for s in sentences if s]
    meaningful = [s for s in sentences if s.lower() not in GENERIC_SENTENCES and not _HTTP_STATUS_RE.match(s.lower())]
    if technical:
        reasons.append("technical detail (hex codes or a stack trace) shown to the person")
    if not meaningful:
        reasons.append("bare code or generic text only" if sentences or code or extract_code(full) else "empty message")
        return Verdict("poor", "no", False, False, False, True, 0.0, reasons)

    todo = [s for s in meaningful if _has(s, TODO_PHRASES)]
    descriptive = [s for s in meaningful if s not in todo]
    if any(_has(s, CAUSE_PHRASES) for s in meaningful):
        happened = "yes"
    elif descriptive:
        happened = "vague"
        reasons.append("says what happened only vaguely (no cause)")
    else:
        happened = "no"
        reasons.append("does not say what happened")
    what_to_do = bool(todo)
    if not what_to_do:
        reasons.append("does not say what to do")
    has_link = bool(links) or bool(_URL_RE.search(full))
    online = has_link or any(_has(s, ONLINE_PHRASES) for s in todo)
    offline = _has(body, OFFLINE_PHRASES)
    self_service = what_to_do and online or has_link
    offline_only = offline and not self_service
    if offline_only:
        reasons.append("the only way forward is offline (office, counter, phone or post)")
    elif not self_service:
        reasons.append("offers no self-service way forward")
    if len(full) > MAX_LENGTH:
        reasons.append(f"longer than {MAX_LENGTH} characters")

    score = {"yes": 1.0, "vague": 0.5, "no": 0.0}[happened] + what_to_do + self_service
    score -= 0.5 * (len(full) > MAX_LENGTH) + 0.25 * technical
    if happened == "no" or not what_to_do:
        grade = "poor"
    elif happened == "yes" and self_service:
        grade = "good"
    else:
        grade = "fair"
    return Verdict(grade, happened, what_to_do, self_service, offline_only, False, max(score, 0.0), reasons)


def grade_rank(grade: str) -> int:
    """0 for good, 2 for poor: larger is worse."""
    return GRADES.index(grade)
