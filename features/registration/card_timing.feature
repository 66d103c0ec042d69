@registration
Feature: Registering with a card as slow as a real one
  Registration reads the card twice through the extension. At realistic latency (docs/CARD.md: about 1.6 s for a
  certificate at the default ATR, hundreds of ms per signature) the reads take seconds, which the usability
  report counts as system response time (KLM R).

  @usability
  Scenario: A resident registers with a card at real speed
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And her card answers at the speed of a real card
    When she registers as "外国人本人" with the e-mail address "amira@example.co.jp"
    Then the registration is complete and shows her name
    And the time the card took counts as system response time
