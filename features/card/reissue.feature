@card
Feature: A new signature certificate after WZBAM255E
  A move revokes the signature certificate; the card check then ends in the bare WZBAM255E. The city office
  writes a new certificate onto the card, but the portal refuses it for about 24 hours (the setting
  cert_min_age_hours). The new certificate is dated at the moment of the visit in the story, not when the card was
  first issued.

  @usability
  Scenario Outline: The new certificate is refused for a day, then accepted
    Given a resident with the "sign-cert-revoked-after-move" My Number card
    And the portal is the "<generation>" generation
    When she runs the operation check
    Then the portal shows the message "cert_auth_failed"
    When 2 days pass
    And she has a new signature certificate issued at the city office
    And she runs the operation check
    Then the portal shows the message "cert_auth_failed"
    And the portal refused her certificate because it was "issued less than 24 hours ago"
    When 24 hours pass
    And she runs the operation check
    Then the operation check succeeds

    Examples:
      | generation |
      | ras        |
      | rasens     |
