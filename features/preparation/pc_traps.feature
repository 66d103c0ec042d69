@preparation
Feature: The PC's own traps: the installer, the phone as a reader
  The JPKI client needs administrator rights to install; an Android phone can stand in for the card reader of a
  PC (not for the PC itself). An extension whose native host (the client) is not installed answers nothing, so the
  page blames the extension, which is there.

  @usability
  Scenario: The JPKI client's installer refused without administrator rights: the page says the extension is missing
    Given a resident with the "valid" My Number card
    And her PC is "windows-no-admin"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the portal shows the message "extension_missing"

  Scenario: An Android phone as the card reader of a PC
    Given a resident with the "valid" My Number card
    And her PC is "windows-android-reader"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check succeeds
