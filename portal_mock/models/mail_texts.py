"""The texts of the portal's mails (registration, e-mail changed, 認証ID notice, password reset, expiry
reminder); the subjects are in messages.yaml. Links point at the portal of the generation the mail is sent in."""

from __future__ import annotations

from datetime import datetime, timedelta

from ras_common.jst import JST

from .clock import parse_time


def mail_body(kind: str, gen: str, reg: dict, base: str, token: str | None, at: datetime, days: int | None,
              ttl_hours: float, valid_days: int) -> str:
    system = "在留申請オンラインシステム"
    name = reg["name"]
    expires = (at + timedelta(hours=ttl_hours)).astimezone(JST).strftime("%Y年%m月%d日 %H時%M分")
    footer = (
        "\n※本メールは送信専用のアドレスから送信しています。返信いただいてもお答えできません。\n"
        "※このメールに心当たりのない方は、本メールを破棄してください。\n"
        f"\n出入国在留管理庁 {system}\n"
    )
    if kind == "registered":
        link = f"{base}/password?token={token}"
        return (
            f"{name} 様\n\n{system}への利用者情報の登録を受け付けました。\n"
            f"あなたの認証IDは次のとおりです。ログインの際に必要となりますので、大切に保管してください。\n\n"
            f"認証ID：{reg['auth_id']}\n\n"
            f"次のURLにアクセスし、パスワードを設定してください。\n{link}\n"
            f"URLの有効期限：{expires}\n\n"
            f"(English) Your user registration was accepted. Your authentication ID is {reg['auth_id']}.\n"
            f"Set your password at the following URL:\n{link}&lang=en\n" + footer
        )
    if kind == "email_changed":
        return (f"{name} 様\n\n{system}に登録されているメールアドレスの変更が完了しました。\n"
                f"認証ID：{reg['auth_id']}\n\n(English) Your e-mail address has been changed.\n" + footer)
    if kind == "auth_id_notice":
        return (f"{name} 様\n\n{system}の認証IDの確認の申出について、次のとおりお知らせします。\n"
                f"認証ID：{reg['auth_id']}\n\n(English) Your authentication ID is {reg['auth_id']}.\n" + footer)
    if kind == "password_reset":
        link = f"{base}/password?token={token}"
        return (
            f"{name} 様\n\nパスワード再設定について\n次のURLにアクセスし、パスワードを再設定してください。\n{link}\n"
            f"URLの有効期限：{expires}\n認証ID：{reg['auth_id']}\n\n"
            f"(English) About resetting your password: open the following URL to set a new password.\n"
            f"{link}&lang=en\n" + footer
        )
    if kind == "password_expiry":
        exp = (parse_time(reg["password_set_at"]) + timedelta(days=valid_days)).astimezone(JST)
        return (
            f"{name} 様\n\n{system}のパスワードの有効期限まで、あと{days}日です。\n"
            f"有効期限：{exp.strftime('%Y年%m月%d日')}\n"
            "ログイン後、利用者情報の変更からパスワードを変更してください。有効期限が過ぎた場合は、"
            "ログイン画面の「パスワードを忘れた場合」から再設定してください。\n" + footer
        )
    raise ValueError(kind)
