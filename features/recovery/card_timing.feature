@recovery
Feature: Recovering access with a card as slow as a real one
  Login reads the card first and asks for the password after it (portal-journey.md §2.2), so a person whose
  password has expired waits for her card — the certificate read and the signature, seconds at realistic latency
  (docs/CARD.md) — before the portal tells her she must reset it.

  @usability
  Scenario: An expired password is found out only after a slow card has been read
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    And her card answers at the speed of a real card
    When 366 days pass
    And she logs in with her card and her password
    Then the portal says the password has expired
    And the time the card took counts as system response time
