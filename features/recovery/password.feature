@recovery
Feature: Recovering access: expired and forgotten passwords
  The password lasts one year; reminder mails come 30 and 7 days before it expires. A reset needs the 認証ID
  and the e-mail address.

  Scenario: Reminders come before the password expires, and login fails after it
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When 336 days pass
    Then a mail "パスワード有効期限" arrives at "amira@example.co.jp"
    When 30 days pass
    Then 2 mails about the password's expiry have arrived at "amira@example.co.jp"
    When she logs in with her card and her password
    Then the portal says the password has expired

  Scenario Outline: A forgotten or expired password is reset with the 認証ID and the e-mail address
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And she has registered and set her password
    When she asks for a password reset with her 認証ID and e-mail address
    Then a mail "パスワード再設定" arrives at "amira@example.co.jp"
    When she opens the password link in the mail
    And she sets a new valid password
    And she logs in with her card and her password
    Then she is logged in and sees the procedures menu

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: A reset with an e-mail address that does not match is refused without saying which part is wrong
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she asks for a password reset with her 認証ID and the e-mail address "someone@example.co.jp"
    Then no mail arrives at "someone@example.co.jp" within 1 day
