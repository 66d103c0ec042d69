"""Rule-based verdicts on error messages: does a person learn what happened, what to do, and how to go on alone?

Why rules and not a model: the verdict must be deterministic so a changed message shows up as a regression or an
improvement in CI, and every verdict must be explainable (``rule`` names the rule that decided the grade,
``reasons`` the findings). The rules implement the written rubric `usability/rubric.md` (after GOV.UK's error
message guidance): three questions, then a grade.

  Q1 what happened:  yes (specific: the thing and what is wrong with it) | vague (the thing only, or jargon) | no
  Q2 what to do:     explicit instruction | implied (a specific message stating the rule the input broke) | none
  Q3 go on alone:    now (at the PC) | not now (office, counter, phone, post, waiting)

  good  Q1 yes, Q2 explicit or implied, Q3 now.
  fair  not good, but Q1 yes or Q2 explicit.
  poor  neither: bare code, generic text, jargon, or a vague cause without an instruction.

How far these rules agree with messages graded by hand is measured by
`tests/usability/test_usability_grader_agreement.py` (labels in `usability/labels/errors.yaml`).
Phrase lists cover Japanese (the portal and the JPKI client speak Japanese) and English.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field

GRADES = ("good", "fair", "poor")  # best first; compare.py relies on this order
SOURCES = ("portal", "client", "browser")

# Codes such as WZBAM255E, EW000J0200, EW104J1502: upper-case letters and digits, both present, 6-12 long.
CODE_RE = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z][A-Z0-9]{5,11}\b")
_BROWSER_CODE_RE = re.compile(r"\b(?:net::)?ERR_[A-Z_]+\b")  # Chromium's error codes
_CODE_LABEL_RE = re.compile(r"(エラーコード|エラー番号|error code|code)\s*[:：]?\s*", re.I)
_TECH_RE = re.compile(r"(エラー詳細\s*[:：]?\s*)?0x[0-9a-f]+|traceback|exception|stack trace|\bat [\w.$]+\(", re.I)
_URL_RE = re.compile(r"https?://\S+")
_SENTENCE_RE = re.compile(r"[。．.!?！？\n]+|\s*[:：]\s+|:$")

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
        "unspecified error", "form post error", "details", "reload",
        # GOV.UK "Be specific": instructions that fit any field say nothing
        "answer the question", "select an option", "fill in the field", "this field is required",
    )
)
_HTTP_STATUS_RE = re.compile(r"^\d{3}(\s+[a-z ]+)?$")
_TITLE_ONLY_RE = re.compile(r"^\S+エラー$")  # a heading such as 利用者クライアントソフトエラー

# Q1: a specific cause, the thing and what is wrong with it.
CAUSE_PHRASES = (
    "有効期限", "期限切れ", "失効", "無効", "既に", "すでに", "使用されています", "ていません", "ありません",
    "見つかりません", "読み取れません", "できません", "できない", "一致しません", "ロック", "閉塞", "回数", "超えて",
    "超過", "未入力", "必須", "全角", "半角", "桁", "文字以内", "文字以上", "形式", "対象外", "未満", "限り",
    "時間外", "メンテナンス", "停止中", "発行から", "タイムアウト", "キャンセル", "複数の",
    "expired", "revoked", "already", "in use", "not connected", "could not be found", "cannot be found", "cannot read",
    "could not read", "not inserted", "incorrect", "wrong", "does not match", "locked", "blocked", "too many",
    "exceeded", "is required", "must be", "must have", "must include", "missing", "not supported", "maintenance",
    "too large", "full-width", "half-width", "characters", "format", "not installed", "no card", "no reader",
    "or less", "or more", "holds no", "several", "timed out",
)
# Q1 jargon: a cause only a technician understands counts as vague.
JARGON_PHRASES = ("不正な画面遷移", "状態語", "refused to connect", "status word", "sw=")
# Q2: an instruction.
TODO_PHRASES = (
    "してください", "して下さい", "ください", "下さい", "お試し", "ご確認", "確認して", "再度", "もう一度", "お問い合わせ",
    "お問合せ", "ご連絡", "お手続き", "please", "try again", "try:", "retry", "check", "insert", "connect",
    "enter ", "make sure", "ensure", "contact", "call ", "visit", "go to", "use ", "renew", "reset", "select ",
    "choose", "update", "install", "wait", "have it ", "reload", "start again",
)
# An instruction that names the field and the action also says what happened (the field is empty or wrong).
_FIELD_INSTRUCTION_RE = re.compile(r"(を入力して|を選択して|で入力して|以内で入力|^enter |^select (?!an option))")
# Q2 implied: a specific sentence that states a rule the person's input broke, about one of these inputs.
RULE_PHRASES = ("できません", "できない", "一致しません", "正しくありません", "誤っています", "入力されていません", "未入力",
                "must ", "or less", "or more", "incorrect", "does not match", "not entered")
INPUT_NOUNS = ("パスワード", "認証id", "メールアドレス", "在留カード番号", "暗証番号", "入力", "同意", "確認用",
               "password", "pin", "email", "name", "date", "address", "number")
_PERSON_RULE = ("の方は", "の方が")  # a rule about who the person is implies no fix she can type
# Q3: ways forward that need the person to leave the PC, or to wait.
OFFLINE_PHRASES = (
    "市区町村", "市役所", "区役所", "役場", "窓口", "来庁", "電話", "地方出入国在留管理", "出入国在留管理局", "入管",
    "郵送", "city office", "ward office", "municipal", "counter", "in person", "phone", "call ", "by post",
    "immigration bureau", "regional bureau",
)
WAIT_PHRASES = ("時間をおいて", "しばらく", "後ほど", "later", "wait")
MAX_LENGTH = 400  # longer than this is hard to take in at once (GOV.UK: short, plain)


@dataclass(frozen=True)
class Verdict:
    """Why a message is good, fair or poor; JSON-able through ``as_dict``."""

    grade: str
    what_happened: str  # "yes" | "vague" | "no"
    what_to_do: bool  # an explicit instruction, or a fix the message plainly implies
    self_service: bool
    offline_only: bool
    bare: bool
    score: float  # 0..3, for ranking the worst messages; the grade is decided by the rules above
    reasons: list[str] = field(default_factory=list)
    rule: str = ""  # the rubric rule that decided the grade

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
    text = _BROWSER_CODE_RE.sub(" ", CODE_RE.sub(" ", text))
    text = _CODE_LABEL_RE.sub(" ", text)
    return text, technical


def _sentences(text: str) -> list[str]:
    """Sentences and lines (the newlines of a browser's error page count), stripped of list punctuation."""
    parts = re.split(r"\n+", unicodedata.normalize("NFKC", text or ""))
    out = []
    for part in parts:
        out += [s.strip(" 、,;:-・") for s in _SENTENCE_RE.split(re.sub(r"[ \t]+", " ", part))]
    return [s for s in out if s]


def _meaningful(sentences: list[str]) -> list[str]:
    return [s for s in sentences if s.lower() not in GENERIC_SENTENCES and not _HTTP_STATUS_RE.match(s.lower())
            and not _TITLE_ONLY_RE.match(s)]


def _what_happened(meaningful: list[str]) -> str:
    """Q1: 'yes' when a sentence names a cause without jargon, or is an instruction naming the field."""
    for s in meaningful:
        if _has(s, JARGON_PHRASES):
            continue
        if _has(s, CAUSE_PHRASES) or _FIELD_INSTRUCTION_RE.search(s.lower()):
            return "yes"
    return "vague" if any(not _has(s, TODO_PHRASES) for s in meaningful) else "no"


def _implied_fix(meaningful: list[str]) -> bool:
    """Q2 implied: the message states the rule her input broke (so the fix is its plain opposite)."""
    return any(_has(s, RULE_PHRASES) and _has(s, INPUT_NOUNS) and not _has(s, _PERSON_RULE) for s in meaningful)


def _questions(full: str, body: str, links) -> tuple[str, str, bool, bool, list[str]]:
    """Q1, Q2 ('explicit' | 'implied' | 'none'), Q3 as (now, offline), and the reasons."""
    meaningful = _meaningful(_sentences(body))
    reasons: list[str] = []
    happened = _what_happened(meaningful)
    todo = [s for s in meaningful if _has(s, TODO_PHRASES)]
    if todo:
        how = "explicit"
    elif happened == "yes" and _implied_fix(meaningful):
        how = "implied"
        reasons.append("the fix is implied: the message states the rule the input broke")
    else:
        how = "none"
        reasons.append("does not say what to do")
    if happened != "yes":
        reasons.append("says what happened only vaguely (no cause, or only jargon)" if happened == "vague"
                       else "does not say what happened")
    has_link = bool(links) or bool(_URL_RE.search(full))
    later = [s for s in todo if _has(s, OFFLINE_PHRASES) or _has(s, WAIT_PHRASES)]
    offline = bool(todo) and len(later) == len(todo) and not has_link
    now = has_link or how == "implied" or (how == "explicit" and not offline)
    if offline:
        reasons.append("the only way forward is offline or later (office, counter, phone, post, waiting)")
    return happened, how, now, offline, reasons


def judge(text: str, code: str | None = None, links: tuple[str, ...] | list[str] = ()) -> Verdict:
    """Grade one message as a person meets it. ``links``: hrefs or labels offered with the message on the page."""
    full = normalise(text)
    body, technical = _strip_codes(text or "", code)
    if not _meaningful(_sentences(body)):
        reasons = ["bare code or generic text only" if normalise(body) or code or extract_code(full) else "empty message"]
        return Verdict("poor", "no", False, False, False, True, 0.0, reasons, "poor: bare code or generic text")
    happened, how, now, offline, reasons = _questions(full, body, links)
    if technical:
        reasons.insert(0, "technical detail (hex codes or a stack trace) shown to the person")
    if len(full) > MAX_LENGTH:
        reasons.append(f"longer than {MAX_LENGTH} characters")
    if happened == "yes" and how != "none" and now:
        grade, rule = "good", "good: cause, what to do, and she can go on now"
    elif happened == "yes":
        grade, rule = "fair", ("fair: cause, but the way forward is offline or later" if how != "none"
                               else "fair: cause, but nothing about what to do")
    elif how == "explicit":
        grade, rule = "fair", "fair: an instruction without a clear cause"
    else:
        grade, rule = "poor", "poor: a vague cause and no instruction"
    score = {"yes": 1.0, "vague": 0.5, "no": 0.0}[happened] + (how != "none") + now
    score -= 0.5 * (len(full) > MAX_LENGTH) + 0.25 * technical
    return Verdict(grade, happened, how != "none", now, offline, False, max(score, 0.0), reasons, rule)


def grade_rank(grade: str) -> int:
    """0 for good, 2 for poor: larger is worse."""
    return GRADES.index(grade)
