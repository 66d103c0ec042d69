@preparation
Feature: Preparing with a card as slow as a real one
  A careful person checks her card before the portal: the JPKI client reads her own certificate (the J-LIS client's
  「自分の証明書をみる」, portal-journey.md §1 item 8). At the default ATR (no TA1: 9,600 bit/s, ISO/IEC 7816-3) a
  certificate takes about 1.6 s to read (docs/CARD.md, virtual_card/latency.py), which the usability report counts
  as system response time (KLM R).

  @usability
  Scenario: The checklist's self-test reads her certificate from a slow card
    Given a resident with the "valid" My Number card
    And her PC is "windows-chrome"
    And her card answers at the speed of a real card
    When she goes through the preparation checklist
    Then every checklist item is met:
      | item                              |
      | My Number card                    |
      | signature certificate             |
      | user-authentication certificate   |
    And the time the card took counts as system response time
