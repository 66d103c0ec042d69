@registration
Feature: Traps on the way through registration
  What a person meets between the top page and the registration mail when something is not as the happy path
  assumes: the terms refused, a mistyped or over-long address, a pause too long, the wrong user category, being
  abroad, a maintenance stop nobody announced. Each Then names one message of the portal by its key
  (portal_mock/messages.yaml) or one fact of its state.
  Sources (read 2026-11-27): maintenance without notice, https://www.moj.go.jp/isa/applications/online/online-riyoukiyaku.html
  §1; the overseas-IP block, https://www.moj.go.jp/isa/applications/guide/online-riyoumoushide.html 注3; 法定代理人
  are 親権者, 未成年後見人 and 成年後見人 (so also for an adult), relatives only for an applicant under 16 or one who
  cannot apply, https://www.moj.go.jp/isa/applications/online/online-QA.html Q1-1 and the agency page 10_00112. The
  session timeout (60 min) and the 60-character e-mail field are settings/guesses, unverified.

  Scenario Outline: Refusing the terms of use ends the registration
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    When she refuses the terms of use
    Then the portal shows the message "terms_required"

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: The confirmation of the e-mail address does not match
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers with the e-mail address "amira@example.co.jp" confirmed as "amira@example.com"
    Then the portal shows the message "email_mismatch"

  @usability
  Scenario: An e-mail address longer than the field is cut short without a word
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers with the e-mail address "nguyen.van.an.amira.familyaccount@mail.example-provider.co.jp" confirmed as "nguyen.van.an.amira.familyaccount@mail.example-provider.co.jp"
    Then her registration has the e-mail address "nguyen.van.an.amira.familyaccount@mail.example-provider.co.j"

  @usability
  Scenario Outline: A pause longer than the session lasts loses the registration in progress
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    When she registers as "外国人本人" as far as the user information
    And 61 minutes pass
    And she submits her user information with the e-mail address "amira@example.co.jp"
    Then the portal shows the message "session_timeout"

    Examples:
      | generation |
      | ras        |
      | rasens     |

  Scenario: A pause shorter than the session lasts keeps the registration in progress
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "外国人本人" as far as the user information
    And 59 minutes pass
    And she submits her user information with the e-mail address "amira@example.co.jp"
    Then she is asked to confirm her user information

  Scenario: A relative cannot register for an adult applicant
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "配偶者、子、父又は母等（法定代理人を除く）" for the applicant "student"
    Then the portal shows the message "relative_not_allowed"

  Scenario Outline: A legal representative registers under the category 法定代理人, for a child or an adult
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "法定代理人" for the applicant "<applicant>"
    Then her registration has the user category "legal_representative"

    Examples:
      | applicant      |
      | child-under-16 |
      | student        |

  Scenario Outline: The portal cannot be used from abroad
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And she is abroad
    When she opens the portal's top page
    Then the portal shows the message "overseas_access"

    Examples:
      | generation |
      | ras        |
      | rasens     |

  @usability
  Scenario: A maintenance stop without notice, then the portal again
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When the portal stops for maintenance without notice for 3 hours
    And she opens the portal's top page
    Then the portal shows the message "maintenance"
    When 3 hours pass
    And she opens the portal's top page
    Then she is on the portal's top page
