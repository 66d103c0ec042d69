@preparation
Feature: The PC's own traps: the installer, the phone as a reader
  The JPKI client needs administrator rights to install; an Android phone can stand in for the card reader of a
  PC (not for the PC itself).

  @usability
  Scenario: The JPKI client's installer refused without administrator rights leaves the page without a client
    Given a resident with the "valid" My Number card
    And her PC is "windows-no-admin"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the JPKI client reports "JPKI_CLIENT_NOT_RUNNING"

  Scenario: An Android phone as the card reader of a PC
    Given a resident with the "valid" My Number card
    And her PC is "windows-android-reader"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check succeeds
