@login
Feature: Logging in with the card and the password
  Individuals log in with the user-authentication certificate and its 4-digit PIN, then the portal password.
  The card must be readable at that moment.

  Scenario Outline: A registered resident logs in and out
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then she is logged in and sees the procedures menu
    When she logs out
    Then she is on the portal's top page

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: A wrong password is refused
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she logs in with her card and a wrong password
    Then the portal refuses the password at login

  Scenario: A wrong PIN at login
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    And she will type a wrong user-authentication PIN
    When she tries to log in with her card
    Then the JPKI client says the PIN is wrong with 2 tries left

  Scenario: The card is not readable at login
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    But the card is not in the reader
    When she tries to log in with her card
    Then the JPKI client reports "EW000J0200"

  Scenario: A revoked signature certificate does not stop login
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she moves house and her signature certificate is revoked
    And she logs in with her card and her password
    Then she is logged in and sees the procedures menu

  @usability @known-defect
  Scenario: A renewed card can neither log in nor register again
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When her card is renewed as "renewed-card"
    And she tries to log in with her card
    Then the portal does not recognise her new card
    When she registers again with the e-mail address "amira@example.co.jp"
    Then the portal says she is already registered
