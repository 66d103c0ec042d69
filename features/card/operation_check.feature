@card
Feature: The card check (動作確認) before registering
  The portal's operation check reads the card through the JPKI client and verifies the certificates at the
  portal's clock. A failure is shown as the bare WZBAM255E, whatever its cause.

  Scenario Outline: A valid card passes the operation check
    Given a resident with the "<profile>" My Number card
    And the portal is the "<generation>" generation
    When she runs the operation check
    Then the operation check succeeds

    Examples:
      | profile        | generation |
      | valid          | ras        |
      | valid          | rasens     |
      | atr-old-contact | rasens    |
      | atr-new-contact | rasens    |
      | atr-contactless | rasens    |

  @usability @known-defect
  Scenario Outline: A signature certificate the portal cannot accept ends in WZBAM255E
    Given a resident with the "<profile>" My Number card
    And the portal is the "<generation>" generation
    When she runs the operation check
    Then the portal shows "WZBAM255E : マイナンバーカードの認証に失敗しました"
    And the message does not say what to do

    Examples:
      | profile                     | generation |
      | sign-cert-expired           | rasens     |
      | sign-cert-revoked-after-move | rasens    |
      | sign-cert-revoked-after-move | ras       |
      | certs-issued-under-24h      | rasens     |
      | card-expired-end-of-stay    | rasens     |

  Scenario: A holder under 15 has no signature certificate
    Given a resident with the "no-sign-cert-under-15" My Number card
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check fails because "there is no signature certificate"

  Scenario: A wrong user-authentication PIN costs one try and says how many are left
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she will type a wrong user-authentication PIN
    When she runs the operation check
    Then the JPKI client says the PIN is wrong with 2 tries left
    And her user-authentication PIN has 2 tries left

  # J-LIS (www2.jpki.go.jp/procedure/password.html, read 2026-11-27): the client converts lower case to upper
  # case for the signature password; the card itself still compares bytes.
  @usability
  Scenario: A signature password typed in lower case passes the operation check
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And she will type her signature password in lower case
    When she runs the operation check
    Then the operation check succeeds
    And her signature password has 5 tries left

  @usability @known-defect
  Scenario: A blocked PIN needs a visit to the city office
    Given a resident with the "auth-pin-blocked" My Number card
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the JPKI client says the PIN is blocked
    When she has the PIN reset at the city office
    And she runs the operation check
    Then the operation check succeeds

  Scenario: The last try of the signature password is not wasted by a correct entry
    Given a resident with the "sign-password-one-try-left" My Number card
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check succeeds
    And her signature password has 5 tries left

  Scenario: A wrong signature password on its last try blocks it
    Given a resident with the "sign-password-one-try-left" My Number card
    And the portal is the "rasens" generation
    And she will type a wrong signature password
    When she runs the operation check
    Then the JPKI client says the PIN is blocked
    And her signature password has 0 tries left

  Scenario: No card in the reader
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    But the card is not in the reader
    When she runs the operation check
    Then the JPKI client reports "EW000J0200"

  Scenario: No card reader at all
    Given a resident with the "valid" My Number card
    And her PC is "no-reader"
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the JPKI client reports "EW000J0200"

  Scenario: The card is pulled out in the middle of a signature
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And the card will be pulled out during the signature
    When she runs the operation check
    Then the JPKI client reports "EW104J1502"

  Scenario: A card that is not a My Number card
    Given a resident with the "not-a-my-number-card" My Number card
    And the portal is the "rasens" generation
    When she runs the operation check
    Then the operation check fails because "the card is not a My Number card"
