@registration
Feature: Registering as a user (利用者情報登録)
  Terms, user category, two card reads through the extension, user information, confirmation, a mail with the
  認証ID and a link, and a password.

  Scenario Outline: A resident with a valid My Number card registers and logs in
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    When she registers as "外国人本人" with the e-mail address "amira@example.co.jp"
    Then the registration is complete and shows her name
    And a mail with her 認証ID arrives at "amira@example.co.jp"
    When she opens the password link in the mail
    And she sets a valid password
    And she logs in with her card and her password
    Then she is logged in and sees the procedures menu

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: She opens the password link straight after registering, without checking her mail first
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "外国人本人" with the e-mail address "amira@example.co.jp"
    And she opens the password link in the mail
    And she sets a valid password
    And she logs in with her card and her password
    Then she is logged in and sees the procedures menu

  Scenario: The new generation's mail comes from the new sender with the agency's subject prefix
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "外国人本人" with the e-mail address "amira@example.co.jp"
    Then the mail to "amira@example.co.jp" comes from "info@rasens-immi.moj.go.jp" with a subject starting "【入管庁】"

  Scenario: A Japanese provider's address receives the mail
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "外国人本人" with the e-mail address "amira@yahoo.co.jp"
    Then a mail with her 認証ID arrives at "amira@yahoo.co.jp"

  Scenario Outline: A malformed residence card number gets the portal's message
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    When she registers as "外国人本人" with the residence card number "<number>"
    Then the portal refuses the residence card number
    And nothing is registered

    Examples:
      | generation | number         |
      | rasens     | ab12345678cd   |
      | rasens     | AB1234567CD    |
      | ras        | ＡＢ12345678ＣＤ |

  Scenario: A well-formed residence card number the agency's registry does not know is refused
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "外国人本人" with the residence card number "ZZ99999999ZZ"
    Then the portal says the agency has no record of the residence card number
    And nothing is registered

  Scenario Outline: The password rules are enforced
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered with the e-mail address "amira@example.co.jp"
    When she opens the password link in the mail
    And she tries a password that <flaw>
    Then the portal refuses the password

    Examples:
      | flaw                      |
      | is too short              |
      | has no symbol             |
      | contains her 認証ID       |
      | does not match its confirmation |

  Scenario: An expired password link
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered with the e-mail address "amira@example.co.jp"
    When 8 days pass
    And she opens the password link in the mail
    Then the portal says the link has expired

  Scenario: A used password link cannot be replayed
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she opens the password link in the mail
    Then the portal says the link has already been used

  @usability @known-defect
  Scenario: The old generation accepts certificates without proof that the card is present
    Given a resident with the "valid" My Number card
    And the portal is the "ras" generation
    When someone registers with copies of her certificates but without her card
    Then the registration is accepted

  Scenario: The new generation asks for proof that the card is present
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When someone registers with copies of her certificates but without her card
    Then the portal shows "WZBAM255E : マイナンバーカードの認証に失敗しました"
