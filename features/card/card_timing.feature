@card
Feature: A card that takes the time a real card takes
  At the default ATR (no TA1: 9,600 bit/s, 11 etu per byte, ISO/IEC 7816-3) a real card sends about 870 bytes a
  second, so reading a certificate takes over a second, and its RSA-2048 signature takes hundreds of ms
  (virtual_card/latency.py has the numbers and their sources). The harness runs the card instantly by default;
  these scenarios run it at realistic speed to show what a slow card breaks.

  @usability
  Scenario: The operation check passes with a card at real speed
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And her card answers at the speed of a real card
    When she runs the operation check
    Then the operation check succeeds
    And the time the card took counts as system response time

  Scenario: A portal that waits less than the card needs gives up on a good card
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And her card answers at the speed of a real card
    And the portal waits at most 1 second for the JPKI client
    When she runs the operation check
    Then the portal shows "利用者クライアントソフトから応答がありません。ICカードリーダライタとマイナンバーカードを確認して、再度お試しください。"

  Scenario: The card is pulled out while the page says it is reading
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And her card answers at the speed of a real card
    And she will pull the card out while it is computing the signature
    When she runs the operation check
    Then the JPKI client reports "EW104J1502"
