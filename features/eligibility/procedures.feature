@eligibility
Feature: Who can apply for what online
  The procedures offered depend on the user category and the status of residence. A permanent resident gets
  almost nothing; relatives apply only for applicants under 16; applicants under 15 cannot register themselves.

  Scenario Outline: The procedures menu depends on the status of residence
    Given a resident with the "<profile>" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then the procedures offered are <offered>
    And the procedures not offered include "<not offered>"

    Examples:
      | profile            | offered                                   | not offered   |
      | student            | 在留期間更新許可申請, 在留資格変更許可申請 | 永住許可申請  |
      | engineer           | 在留期間更新許可申請, 在留資格変更許可申請 | 永住許可申請  |

  @usability @known-defect
  Scenario: A permanent resident can do almost nothing online
    Given a resident with the "permanent-resident" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then the procedures not offered include "永住許可申請"
    And the procedures not offered include "在留期間更新許可申請"

  Scenario: A parent registers as a relative to apply for a child under 16
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    When she registers as "配偶者、子、父又は母等（法定代理人を除く）" for the child "child-under-16" with the e-mail address "amira@example.co.jp"
    Then the registration is complete and shows her name

  Scenario: An applicant under 15 cannot register as 外国人本人
    Given a resident with the "no-sign-cert-under-15" My Number card
    And the portal is the "rasens" generation
    When she starts the registration as "外国人本人"
    Then the portal says she cannot register herself
