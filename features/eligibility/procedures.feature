@eligibility
Feature: Who can apply for what online
  The procedures offered follow the agency's table 「利用者ごとの申請可能な手続」 (moj.go.jp/isa/content/001369137.pdf):
  a person (外国人本人) may file all seven; a permanent resident's status is not among those that may apply online
  (001351658.pdf) and 永住許可 is not offered online (Q&A Q1-5). Those who are not mid- to long-term residents —
  外交, 公用, 短期滞在, 特定活動（出国準備期間）, a period of stay of 3 months or less — and those under 15 cannot
  use the system (onlineshinsei.html 注4; 001351658.pdf). Relatives apply only for applicants under 16.
  Every fact here has its entry in portal_mock/facts.yaml.

  Scenario Outline: A person with a period of stay is offered every procedure of the agency's table
    Given a resident with the "<profile>" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then the procedures offered are 在留資格認定証明書交付申請, 在留資格変更許可申請, 在留期間更新許可申請, 在留資格取得許可申請, 就労資格証明書交付申請, 資格外活動許可申請（2〜4と同時に申請する場合に限る）, 再入国許可申請（2〜4と同時に申請する場合に限る）
    And the procedures not offered include "永住許可申請"

    Examples:
      | profile  |
      | student  |
      | engineer |

  @usability @known-defect
  Scenario: A permanent resident can do nothing online
    Given a resident with the "permanent-resident" My Number card
    And the portal is the "rasens" generation
    And she has registered and set her password
    When she logs in with her card and her password
    Then no procedure is offered
    And the procedures not offered include "永住許可申請"

  Scenario Outline: Those who are not mid- to long-term residents cannot register
    Given a resident with the "valid" My Number card
    And the portal is the "<generation>" generation
    And her status of residence is "<status>"
    When she starts the registration as "外国人本人"
    Then the portal says the status "<status>" cannot use the system
    And nothing is registered

    Examples:
      | generation | status                 |
      | rasens     | 特定活動（出国準備期間） |
      | rasens     | 短期滞在                |
      | ras        | 公用                    |

  Scenario: A person granted a period of stay of 3 months cannot register
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And the period of stay she was granted is 3 months
    When she starts the registration as "外国人本人"
    Then the portal says a period of stay of 3 months cannot use the system
    And nothing is registered

  Scenario: A person granted a period of stay of 4 months can register
    Given a resident with the "valid" My Number card
    And the portal is the "rasens" generation
    And the period of stay she was granted is 4 months
    When she starts the registration as "外国人本人"
    Then the registration is accepted

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
