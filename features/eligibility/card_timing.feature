@eligibility
Feature: Eligibility with a card as slow as a real one
  The portal reads both certificates before it asks for the residence card number, and only that number tells it
  the status of residence (portal_mock/facts.yaml). A person whose status cannot use the system (onlineshinsei.html
  注4) waits for two card reads — seconds at realistic latency (docs/CARD.md) — before she is told so.

  @usability
  Scenario: A short-term visitor is refused only after her slow card has been read
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And her status of residence is "短期滞在"
    And her card answers at the speed of a real card
    When she starts the registration as "外国人本人"
    Then the portal says the status "短期滞在" cannot use the system
    And nothing is registered
    And the time the card took counts as system response time
