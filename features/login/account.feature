@login
Feature: The account after registration: the 利用者情報 screen, a forgotten 認証ID, the card at the city office
  After login a person changes her e-mail address herself on the 利用者情報 screen (agency page 利用者情報の修正・
  変更等). A forgotten 認証ID takes a form to the regional bureau. The card's own life — a new period of stay, the
  last day of the old one — decides whether she can log in and file at all.
  Sources (read 2026-11-27): the 利用者情報 screen and the 認証ID form 別記第15号様式,
  https://www.moj.go.jp/isa/applications/online/online-riyousyajyouhouhenkou.html; no filing on the last day,
  onlineshinsei.html (portal-journey.md); the extension revoking the certificates, city.unzen.nagasaki.jp/kiji0035600
  and go-journey.net/?p=915236050 (leads in public-facts.md, not re-read: unverified). What the screens say is the
  simulation's guess (messages.yaml).

  Scenario Outline: After login she changes her e-mail address herself
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And she has registered and set her password
    When she logs in with her card and her password
    And she changes her e-mail address to "amira@yahoo.co.jp" on the 利用者情報 screen
    Then her registration has the e-mail address "amira@yahoo.co.jp"
    And a mail "メールアドレス変更完了" arrives at "amira@yahoo.co.jp"

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: The password reset needs the 認証ID
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she has forgotten her 認証ID
    And she asks for a password reset without her 認証ID
    Then the portal shows the message "required" about "認証ID"

  @usability
  Scenario: A forgotten 認証ID comes back by mail after a form at the regional bureau
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she has forgotten her 認証ID
    And she asks the regional immigration bureau for her 認証ID with the form 別記第15号様式
    And 2 days pass
    Then a mail "認証IDのお知らせ" arrives at "amira@example.co.jp"
    When she asks for a password reset with her 認証ID and e-mail address
    Then a mail "パスワード再設定" arrives at "amira@example.co.jp"

  Scenario Outline: No online filing on the last day of the period of stay
    Given a resident with the "stay-ends-tomorrow" My Number card
    And the portal is the "<generation>" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then the procedures offered are 在留資格認定証明書交付申請, 在留資格変更許可申請, 在留期間更新許可申請, 在留資格取得許可申請, 就労資格証明書交付申請, 資格外活動許可申請（2〜4と同時に申請する場合に限る）, 再入国許可申請（2〜4と同時に申請する場合に限る）
    When she logs out
    And 1 day passes
    And she logs in with her card and her password
    Then the portal shows the message "last_day"

    Examples:
      | generation |
      | ras        |
      | rasens     |

  @usability
  Scenario Outline: Extending the card's validity at the city office revokes its certificates, and login fails
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And she has registered and set her password
    When she has her card's validity extended at the city office
    And she tries to log in with her card
    Then the portal shows the message "cert_auth_failed"
    And the portal refused her certificate because it was "revoked (OCSP, reason unspecified)"

    Examples:
      | generation |
      | ras        |
      | rasens     |
