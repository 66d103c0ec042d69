@preparation @real-card
Feature: A person checks their own card before using the real portal
  Opt-in twice: it runs only with `--card=pcsc` and `--i-accept-card-risk` (see README). It reads the card without
  spending a PIN try and writes nothing; the findings are attached to the report in Japanese and English.

  Scenario: The card in the person's own reader is ready for the portal
    Given the person's own card is in their reader
    When the preflight check reads it without spending a PIN try
    Then the preflight check finds nothing that blocks the portal
