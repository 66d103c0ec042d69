@preparation
Feature: Preparing the PC and the card before the portal
  An individual user needs a My Number card with both certificates, a residence card, a PC (not a smartphone),
  a card reader, the JPKI client software's browser version and its extension. The first-hand account shows
  each of these can go wrong before the portal is even reached.

  Scenario: The published checklist is met by a prepared resident
    Given a resident with the "valid" My Number card
    And her PC is "windows-chrome"
    When she goes through the preparation checklist
    Then every checklist item is met:
      | item                              |
      | My Number card                    |
      | signature certificate             |
      | user-authentication certificate   |
      | residence card                    |
      | a PC, not a smartphone            |
      | card reader                       |
      | JPKI client (browser version)     |
      | browser extension                 |

  @usability
  Scenario Outline: The PC decides whether the portal can reach the card
    Given a resident with the "valid" My Number card
    And her PC is "<pc>"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check <outcome>

    Examples: PCs that work
      | pc             | outcome  |
      | windows-chrome | succeeds |
      | windows-edge   | succeeds |

  @usability @known-defect
  Scenario Outline: A PC that is not set up the way the portal needs
    Given a resident with the "valid" My Number card
    And her PC is "<pc>"
    And the portal is the "<generation>" generation
    When she runs the operation check
    Then the operation check fails because "<reason>"

    Examples:
      | pc                        | generation | reason                    |
      | windows-standalone-client | ras        | the page cannot reach the card |
      | windows-no-extension      | ras        | the extension is missing  |
      | windows-no-extension      | rasens     | the extension is missing  |
      | macos-chrome              | ras        | the PC is not supported   |

  @usability
  Scenario: A smartphone cannot use the portal
    Given a resident with the "valid" My Number card
    And her PC is "android-smartphone"
    When she opens the portal's top page
    Then the portal says the device is not supported

  @usability @known-defect
  Scenario: The entry to the system is a button near the end of the agency's page
    Given a resident with the "valid" My Number card
    When she opens the agency's online procedures page
    Then the entry button "在留申請オンラインシステムのご利用はこちらから。" is in the last part of the page
    When she follows the entry button
    Then she is on the portal's top page
