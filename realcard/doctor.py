"""``ras-e2e doctor``: the preflight a person runs before the real portal (issue 7).

It checks, without spending a PIN try: the reader, the card, the JPKI application, the token type (a My Number
card, not the old 住基カード), both certificates, their validity and days left, the card's expiry bound, the tries
left on both PINs; with ``--allow-pin`` (asked at a prompt) also the signature certificate's own dates. On Windows
and macOS it looks where the JPKI client (browser version) and the Edge/Chrome extension install. Each finding is
in plain Japanese and English with what to do. Exit status: 0 ready, 1 a blocking finding, 3 reader ambiguity
or no reader, 2 usage.

Where it looks (documented guesses marked [U]):

* macOS (Homebrew cask ``jpki`` uninstall list): ``/Applications/Utilities/JPKI.localized``, ``/usr/local/lib/JPKI``,
  native-messaging host ``/Library/Google/Chrome/NativeMessagingHosts/jp.go.jpki.json`` (portal-journey.md §1
  item 7); extension ``ddhaancdmkmeigppopkakhpbboccibla`` under
  ``~/Library/Application Support/Google/Chrome/*/Extensions/`` and ``…/Microsoft Edge/*/Extensions/``.
* Windows [U]: ``%ProgramFiles%\\JPKI``, ``%ProgramFiles(x86)%\\JPKI``; the same extension id under
  ``%LOCALAPPDATA%\\Google\\Chrome\\User Data\\*\\Extensions\\`` and ``…\\Microsoft\\Edge\\User Data\\*\\Extensions\\``.
* Linux: there is no official JPKI client; the doctor says it cannot check.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

EXTENSION_ID = "ddhaancdmkmeigppopkakhpbboccibla"
NEW_CERT_HOURS = 24  # [O] Settsu city: a new certificate cannot be used for about 24 hours
RECENT_DAYS = 30
EXPIRY_WARN_DAYS = 90

BLOCKING, WARNING, INFO, OK = "blocking", "warning", "info", "ok"


@dataclass
class Finding:
    code: str
    severity: str  # blocking | warning | info | ok
    ja: str
    en: str
    advice_ja: str = ""
    advice_en: str = ""
    data: dict = field(default_factory=dict)

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCKING

    def to_dict(self) -> dict:
        return asdict(self)

    def render(self) -> str:
        mark = {BLOCKING: "✗", WARNING: "!", INFO: "i", OK: "✓"}[self.severity]
        lines = [f"[{mark}] {self.code} ({self.severity})", f"    {self.ja}", f"    {self.en}"]
        if self.advice_ja or self.advice_en:
            lines += [f"    → {self.advice_ja}", f"    → {self.advice_en}"]
        return "\n".join(lines)


def _f(code, severity, ja, en, advice_ja="", advice_en="", **data) -> Finding:
    return Finding(code, severity, ja, en, advice_ja, advice_en, data)


CITY_RENEW = ("お住まいの市区町村の窓口で電子証明書の更新（再発行）を受けてください。",
              "Have the certificate renewed (re-issued) at your city office.")
CITY_PIN_RESET = ("お住まいの市区町村の窓口で暗証番号の初期化（再設定）を受けてください。本人確認書類とカードが必要です。",
                  "Have the PIN reset at your city office (bring the card and ID).")


def _days(delta: dt.timedelta) -> int:
    return int(delta.total_seconds() // 86400)


def run_checks(client, now: dt.datetime | None = None, pin_session=None) -> list[Finding]:
    """Doctor findings for the card behind ``client`` (a ``JpkiClient``, read-only is enough). With
    ``pin_session`` (a ``RealCardSession``) the signature certificate is read too (one VERIFY, guarded)."""
    now = now or dt.datetime.now(dt.UTC)
    now = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    report, failure = _read_report(client)
    if failure is not None:
        return [failure]
    out = [_f("READER", OK, f"リーダ: {report.reader}", f"Reader: {report.reader}", atr=report.atr)]
    if not report.jpki_ap:
        return out + [_f("NOT_JPKI", BLOCKING,
                         "このカードには公的個人認証（JPKI）の機能がありません。マイナンバーカードではない可能性があります。",
                         "This card has no JPKI application; it may not be a My Number card.",
                         "マイナンバーカード（通知カードではなくICカード）をリーダに置いてください。",
                         "Put your My Number card (the IC card, not the paper notice) on the reader.")]
    out.append(_token_finding(report))
    auth, sign = report.certs.get("auth"), report.certs.get("sign")
    out += _absent_cert_findings(auth, sign)
    if auth and auth.present and auth.not_after:
        out += _validity_findings("auth", "利用者証明用電子証明書", "user-authentication certificate",
                                  auth.not_before, auth.not_after, now)
    if sign and sign.present:
        out += _sign_cert_findings(pin_session, now)
    out += _pin_findings(report.tries)
    if report.card_expiry_bound:
        out.append(_card_expiry_finding(report.card_expiry_bound))
    return out


def _read_report(client):
    """The read-only report, or the one blocking finding that says why the card could not be read."""
    from jpki_client.errors import JpkiClientError, JpkiNoCardError
    from realcard.guards import read_only_report

    try:
        return read_only_report(client), None
    except JpkiNoCardError:
        return None, _f("NO_CARD", BLOCKING, "カードが読み取れません（リーダにカードがないか、接触が不十分です）。",
                        "No card could be read (no card in the reader, or poor contact).",
                        "カードをリーダに正しく置き直し、リーダを接続し直してください（エラーEW000J0200に相当）。",
                        "Place the card on the reader again and reconnect the reader (like error EW000J0200).")
    except JpkiClientError as exc:
        return None, _f("CARD_ERROR", BLOCKING, f"カードとの通信でエラーが発生しました（{exc.code}）。",
                        f"Communication with the card failed ({exc.code}).",
                        "カードとリーダの接続を確認し、もう一度実行してください。",
                        "Check the card and reader, then run again.")


def _token_finding(report) -> Finding:
    """A My Number card, the old 住基カード (blocking), or a token the doctor does not know."""
    if report.token_kind == "juki_card":
        return _f("JUKI_CARD", BLOCKING, "これは旧住民基本台帳カード（住基カード）です。このシステムでは使えません。",
                  "This is an old Basic Resident Registration card (住基カード); the portal does not accept it.",
                  "市区町村の窓口でマイナンバーカードの交付を申請してください。",
                  "Apply for a My Number card at your city office.", label=report.token_label)
    if report.token_kind not in ("my_number_card", None):
        return _f("TOKEN_OTHER", WARNING, f"カードの種類を確認できませんでした（{report.token_label}）。",
                  f"Unrecognised token type ({report.token_label}).",
                  "パソコンとICカードリーダでマイナンバーカードを使ってください（スマートフォン用証明書はこの確認の対象外です）。",
                  "Use the My Number card itself with a PC reader.", label=report.token_label)
    return _f("TOKEN", OK, "マイナンバーカードです。", "This is a My Number card.", label=report.token_label)


def _absent_cert_findings(auth, sign) -> list[Finding]:
    out = []
    if not auth or not auth.present:
        out.append(_f("AUTH_CERT_ABSENT", BLOCKING, "利用者証明用電子証明書が搭載されていません。ログインできません。",
                      "No user-authentication certificate on the card: you cannot log in.",
                      "市区町村の窓口で利用者証明用電子証明書の発行を受けてください。",
                      "Have a user-authentication certificate issued at your city office."))
    if not sign or not sign.present:
        out.append(_f("SIGN_CERT_ABSENT", BLOCKING,
                      "署名用電子証明書が搭載されていません（15歳未満の方には発行されません）。利用者登録に必要です。",
                      "No signature certificate on the card (not issued under 15). Registration needs it.",
                      "15歳以上の方は市区町村の窓口で発行を受けてください。15歳未満の方は法定代理人または親族が自分のカードで利用者登録します。",
                      "If you are 15 or over, have it issued at your city office; for a child under 15 a legal "
                      "representative or relative registers with their own card."))
    return out


def _sign_cert_findings(pin_session, now: dt.datetime) -> list[Finding]:
    """The signature certificate's dates need its password: read them only in a PIN session (guarded); say
    either way that the card cannot show a revocation."""
    from jpki_client.errors import JpkiClientError
    from jpki_client.pin import PinEntryCancelled
    from realcard.guards import RealCardGuardError, cert_info

    out = []
    if pin_session is None:
        out.append(_f("SIGN_CERT_UNCHECKED", INFO,
                      "署名用電子証明書の有効期限は、パスワードなしでは確認できません（--allow-pin で確認できます）。",
                      "The signature certificate's dates need the password to read (run with --allow-pin).", "", ""))
    else:
        try:
            info = cert_info("sign", pin_session.read_sign_certificate())
            out += _validity_findings("sign", "署名用電子証明書", "signature certificate",
                                      info.not_before, info.not_after, now)
        except (RealCardGuardError, JpkiClientError, PinEntryCancelled) as exc:
            out.append(_f("SIGN_CERT_NOT_READ", WARNING, "署名用電子証明書は読み取りませんでした。",
                          f"The signature certificate was not read: {type(exc).__name__}: {exc}",
                          "パスワードに自信がない場合は市区町村の窓口で確認してください。",
                          "If unsure of the password, check it at your city office.", reason=type(exc).__name__))
    out.append(_f("SIGN_CERT_REVOCATION", INFO,
                  "署名用電子証明書は、引っ越しや氏名の変更で自動的に失効します。カードからは失効を確認できません。",
                  "The signature certificate is revoked automatically when you move or change your name; "
                  "the card cannot show this.",
                  "発行後に住所や氏名が変わった場合は、市区町村の窓口で署名用電子証明書を再発行し、約24時間待ってください。",
                  "If your address or name changed since issuance, have it re-issued at the city office and "
                  "wait about 24 hours."))
    return out


#: kind, name (ja, en), tries a fresh card has
PIN_KINDS = (("auth", "利用者証明用の暗証番号（数字4桁）", "user-authentication PIN (4 digits)", 3),
             ("sign", "署名用パスワード（英大文字と数字6〜16桁）", "signature password (6-16)", 5))


def _pin_findings(tries_by_kind: dict) -> list[Finding]:
    out = []
    for kind, ja, en, maximum in PIN_KINDS:
        tries = tries_by_kind.get(kind)
        if tries is not None:
            out.append(_pin_finding(kind, ja, en, maximum, tries))
    return out


def _pin_finding(kind: str, ja: str, en: str, maximum: int, tries: int) -> Finding:
    if tries == 0:
        return _f(f"{kind.upper()}_PIN_BLOCKED", BLOCKING, f"{ja}はロックされています。",
                  f"The {en} is locked.", *CITY_PIN_RESET, tries_left=0)
    if tries == 1:
        return _f(f"{kind.upper()}_PIN_LAST_TRY", WARNING, f"{ja}の残り回数は1回です。次に間違えるとロックされます。",
                  f"The {en} has 1 try left; one more mistake locks it.",
                  "確実に覚えていない場合は入力せず、市区町村の窓口で初期化を受けてください。"
                  + ("署名用パスワードは英大文字です。" if kind == "sign" else ""),
                  "If you are not sure, do not try: have it reset at your city office."
                  + (" The signature password uses CAPITAL letters." if kind == "sign" else ""), tries_left=1)
    if tries < maximum:
        return _f(f"{kind.upper()}_PIN_TRIES", WARNING, f"{ja}の残り回数は{tries}回です（最大{maximum}回）。",
                  f"The {en} has {tries} of {maximum} tries left.",
                  "正しく入力すると回数は元に戻ります。", "A correct entry restores the count.", tries_left=tries)
    return _f(f"{kind.upper()}_PIN_OK", OK, f"{ja}の残り回数: {tries}回", f"{en}: {tries} tries left",
              tries_left=tries)


def _card_expiry_finding(bound: dt.datetime) -> Finding:
    return _f("CARD_EXPIRY", INFO,
              f"カードの有効期限は {bound.date()} 以降です（在留外国人のカードは在留期限までです）。",
              f"The card is valid at least until {bound.date()} (for foreign residents "
              "the card ends at the end of the period of stay).",
              "在留期間を更新したら、市区町村の窓口でカードの有効期間の変更手続をしてください。",
              "After renewing your period of stay, have the card's validity extended at the city office.",
              bound=bound.date().isoformat())


def _validity_findings(kind, ja, en, not_before, not_after, now) -> list[Finding]:
    out = []
    days_left = _days(not_after - now)
    hours_old = (now - not_before).total_seconds() / 3600 if not_before else None
    data = {"not_before": not_before.isoformat() if not_before else None, "not_after": not_after.isoformat(),
            "days_left": days_left}
    if not_after <= now:
        out.append(_f(f"{kind.upper()}_CERT_EXPIRED", BLOCKING, f"{ja}の有効期限が切れています（{not_after.date()}）。",
                      f"The {en} expired on {not_after.date()}.",
                      CITY_RENEW[0] + "在留期限でカードが失効した場合は、在留期間の更新後にカードの手続をしてください。",
                      CITY_RENEW[1] + " If the card ended with your period of stay, renew the card after renewing "
                      "your status.", **data))
        return out
    if hours_old is not None and hours_old < NEW_CERT_HOURS:
        out.append(_f(f"{kind.upper()}_CERT_TOO_NEW", BLOCKING,
                      f"{ja}は発行から{hours_old:.0f}時間しか経っていません。発行後約24時間は使えないことがあります。",
                      f"The {en} was issued {hours_old:.0f} hours ago; new certificates may not work for about 24 hours.",
                      "発行から24時間以上待ってから利用してください。", "Wait 24 hours after issuance, then try again.",
                      hours_old=round(hours_old, 1), **data))
    elif hours_old is not None and hours_old < RECENT_DAYS * 24:
        out.append(_f(f"{kind.upper()}_CERT_RECENT", WARNING,
                      f"{ja}は最近（{hours_old / 24:.0f}日前）発行されました。",
                      f"The {en} was issued recently ({hours_old / 24:.0f} days ago).",
                      "カードや証明書を新しくした場合、以前の利用者登録ではログインできないことがあります。出入国在留管理庁に再度の利用申出について確認してください。",
                      "If the card or certificate replaced an earlier one, your existing registration may no longer "
                      "log in; ask the immigration bureau about registering again.", **data))
    if days_left < EXPIRY_WARN_DAYS:
        out.append(_f(f"{kind.upper()}_CERT_EXPIRING", WARNING, f"{ja}の有効期限まであと{days_left}日です。",
                      f"The {en} expires in {days_left} days.", *CITY_RENEW, **data))
    else:
        out.append(_f(f"{kind.upper()}_CERT_VALID", OK, f"{ja}: 有効（残り{days_left}日）",
                      f"{en}: valid, {days_left} days left", **data))
    return out


def environment_checks(system: str | None = None, home: Path | None = None, env: dict | None = None) -> list[Finding]:
    """Where the JPKI client (browser version) and the extension install (see the module doc)."""
    system = system or platform.system()
    home = home or Path.home()
    env = env if env is not None else os.environ
    if system == "Darwin":
        client = [Path("/Applications/Utilities/JPKI.localized"), Path("/usr/local/lib/JPKI")]
        host = [Path("/Library/Google/Chrome/NativeMessagingHosts/jp.go.jpki.json")]
        profiles = [home / "Library/Application Support/Google/Chrome", home / "Library/Application Support/Microsoft Edge"]
    elif system == "Windows":
        client = [Path(env.get("ProgramFiles", r"C:\Program Files")) / "JPKI",
                  Path(env.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "JPKI"]
        host = []
        local = Path(env.get("LOCALAPPDATA", str(home / "AppData/Local")))
        profiles = [local / "Google/Chrome/User Data", local / "Microsoft/Edge/User Data"]
    else:
        return [_f("ENV_UNCHECKED", INFO,
                   f"{system} では利用者クライアントソフトと拡張機能の有無を確認できません（公式ソフトは Windows と macOS 用です）。",
                   f"Cannot check the JPKI client and extension on {system} (the official software is for Windows "
                   "and macOS).",
                   "ポータルは Windows の Edge または Chrome で利用してください。",
                   "Use the portal from Windows with Edge or Chrome.", system=system)]
    out = []
    found = [str(p) for p in client + host if p.exists()]
    out.append(_f("JPKI_CLIENT", OK, "利用者クライアントソフトが見つかりました。", "JPKI client software found.", paths=found)
               if found else
               _f("JPKI_CLIENT_MISSING", BLOCKING, "利用者クライアントソフト（ブラウザ版）が見つかりません。",
                  "The JPKI client software (browser version) was not found.",
                  "公的個人認証サービスのポータルサイトから「ブラウザ版」の利用者クライアントソフトをダウンロードしてインストールしてください。",
                  "Download and install the browser version of the JPKI client from the JPKI portal (jpki.go.jp).",
                  looked=[str(p) for p in client + host]))
    ext = [str(d) for base in profiles if base.is_dir() for d in base.glob(f"*/Extensions/{EXTENSION_ID}")]
    out.append(_f("EXTENSION", OK, "拡張機能「利用者クライアントソフト Edge/Chrome」が見つかりました。",
                  "The Edge/Chrome extension of the JPKI client was found.", paths=ext) if ext else
               _f("EXTENSION_MISSING", BLOCKING, "拡張機能「利用者クライアントソフト Edge/Chrome」が見つかりません。",
                  "The JPKI client's Edge/Chrome extension was not found.",
                  "Chrome ウェブストアで拡張機能を追加してください（インストーラは追加を案内しません）。",
                  "Add the extension from the Chrome Web Store (the installer does not add it).",
                  extension_id=EXTENSION_ID))
    return out


def mail_advice() -> Finding:
    return _f("MAIL", INFO, "通知メールは海外のサーバを経由するフリーメールでは届かないことがあります。",
              "Notices may not reach free-mail services routed through servers abroad.",
              "国内の事業者のメールアドレス（プロバイダや携帯会社など）を使い、ras-immi.moj.go.jp / rasens-immi.moj.go.jp からの受信を許可してください。",
              "Use a Japanese provider's mail address and allow mail from ras-immi.moj.go.jp / rasens-immi.moj.go.jp.")


def attach_to_allure(findings: list[Finding], name: str = "doctor") -> None:
    """Attach the findings (JSON and text) to the current Allure test, when allure is in use."""
    try:
        import allure
    except ImportError:
        return
    try:
        allure.attach(json.dumps([f.to_dict() for f in findings], ensure_ascii=False, indent=1),
                      name=f"{name}.json", attachment_type=allure.attachment_type.JSON)
        allure.attach("\n".join(f.render() for f in findings), name=f"{name}.txt",
                      attachment_type=allure.attachment_type.TEXT)
    except Exception:  # no active test: nothing to attach to
        pass


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ras-e2e doctor", description="Preflight check of reader, card and PC.")
    ap.add_argument("--reader", help="reader name or a unique part of it (needed when several are connected)")
    ap.add_argument("--json", action="store_true", help="print the findings as JSON")
    ap.add_argument("--allow-pin", action="store_true",
                    help="also read the signature certificate (asks the signature password at a prompt)")
    ap.add_argument("--test-card", action="store_true",
                    help="a declared test card: the password may come from RAS_E2E_TEST_PIN_SIGN")
    ap.add_argument("--no-environment", action="store_true", help="skip the client/extension install check")
    return ap


def _reader_selection_finding(exc) -> Finding:
    listing = "; ".join(repr(r) for r in exc.readers) or "なし / none"
    return _f("READER_SELECTION", BLOCKING, f"使うICカードリーダを決められません。リーダ: {listing}",
              f"{str(exc).splitlines()[0]} Readers: {listing}",
              "--reader でリーダの名前を指定してください。リーダが無い場合は接続してください。",
              "Name the reader with --reader (or connect one).", readers=exc.readers)


def _check_card(reader: str, allow_pin: bool, test_card: bool) -> list[Finding]:
    """The card findings through the guarded transport; the card is left as it was found (not verified)."""
    from jpki_client.client import JpkiClient
    from jpki_client.transport import PcscTransport
    from realcard.guards import GuardedPinProvider, GuardedTransport, PinConsent, RealCardSession

    consent = PinConsent(allow_pin=allow_pin, test_card=test_card)
    transport = GuardedTransport(PcscTransport(reader), consent)
    client = JpkiClient(transport, allow_pin=False)
    session = None
    if allow_pin:
        session = RealCardSession(JpkiClient(transport, allow_pin=True), GuardedPinProvider(consent))
    try:
        return run_checks(client, dt.datetime.now(dt.UTC), pin_session=session)
    finally:
        # The PIN session's client re-selects the AP (clears the verified password); the transport then resets
        # a card it verified. Both, so neither alone decides whether the card is left verified.
        for opened in ([session.client] if session else []) + [client]:
            with contextlib.suppress(Exception):  # closing a card that is gone: nothing left to clear
                opened.close()
        with contextlib.suppress(Exception):  # the reader may be gone too
            transport.disconnect()


def _print(findings: list[Finding], code: int, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"exit_code": code, "findings": [f.to_dict() for f in findings]}, ensure_ascii=False,
                         indent=1, default=str))
        return
    for f in findings:
        print(f.render())
    print()
    print("判定: " + ("利用前に対処が必要です。" if code else "問題は見つかりませんでした。")
          + " / Verdict: " + ("action needed before using the portal." if code else "no blocking problem found."))


def main(argv: list[str] | None = None) -> int:
    from realcard.guards import ReaderSelectionError, list_readers, select_reader

    args = _parser().parse_args(argv)
    findings: list[Finding] = []
    code = 0
    try:
        reader = select_reader(list_readers(), args.reader)
    except ReaderSelectionError as exc:
        findings.append(_reader_selection_finding(exc))
        code = 3
    else:
        findings += _check_card(reader, args.allow_pin, args.test_card)
    if not args.no_environment:
        findings += environment_checks()
    findings.append(mail_advice())
    if code == 0 and any(f.blocking for f in findings):
        code = 1
    _print(findings, code, args.json)
    return code


if __name__ == "__main__":
    sys.exit(main())
