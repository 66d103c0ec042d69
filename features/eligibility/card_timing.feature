@eligibility
Feature: Eligibility with a card as slow as a real one
  Registration reads both certificates (R4, R5) before it asks for the residence card number (R6), and only that
  number tells the portal the status of residence (portal-journey.md §2.1). A person whose status cannot use the
  system (onlineshinsei.html 注4, portal_mock/facts.yaml) waits for two card reads — seconds at realistic latency
  (docs/CARD.md) — before she is told so.

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
