@card @extension
Feature: The card through the browser extension and the JPKI client's native host
  On a real PC the page talks to the extension 利用者クライアントソフト Edge/Chrome, the extension to the JPKI client
  through Chrome native messaging, the client to the card. These scenarios run that mechanism for real: the test
  extension loaded in Chromium, the JPKI client started by Chromium as its native host, the card behind pcscd. What
  the PC has installed is the PC profile; what the host does wrong is the scenario's.

  Scenario Outline: The operation check through the extension
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    When she runs the operation check
    Then the operation check succeeds
    And the JPKI client answered from its own process

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario Outline: Registering and logging in through the extension
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

  @usability @known-defect
  Scenario: Without the extension the page finds nothing to talk to
    Given a resident with the "valid" My Number card
    And her PC is "windows-no-extension"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the portal says the extension is missing

  @usability
  Scenario: An extension whose native host is not registered looks to the page like no extension
    Given a resident with the "valid" My Number card
    And her PC is "windows-host-not-registered"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the portal says the extension is missing

  @usability @known-defect
  Scenario: The standalone client Ver 3.4 answers the extension but cannot serve the browser
    Given a resident with the "valid" My Number card
    And her PC is "windows-standalone-client"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the JPKI client reports "JPKI_CLIENT_NOT_RUNNING"

  Scenario: The JPKI client dies in the middle of the signature
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And the JPKI client will exit in the middle of the signature
    When she runs the operation check
    Then the JPKI client reports "JPKI_HOST_EXITED"

  Scenario: A JPKI client slower than the page's patience
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And the JPKI client will answer only after the page has stopped waiting
    When she runs the operation check
    Then the portal says the JPKI client did not answer
