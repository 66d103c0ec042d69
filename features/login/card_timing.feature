@login
Feature: Logging in with a card as slow as a real one
  Login reads the user-authentication certificate and signs the portal's challenge; at realistic latency that is
  the time a person waits with the card on the reader (docs/CARD.md).

  @usability
  Scenario: A registered resident logs in with a card at real speed
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    And her card answers at the speed of a real card
    When she logs in with her card and her password
    Then she is logged in and sees the procedures menu
    And the time the card took counts as system response time
