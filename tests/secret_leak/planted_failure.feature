Feature: A failure on a page that shows personal data
  The harness's own test of its failure reports: run only by tests/test_secrets.py, never by the suite.

  Scenario: an assertion fails on the completion page, which shows her name
    Given a resident with the "valid" My Number card
    When she registers as "外国人本人" with the e-mail address "leak@example.co.jp"
    Then the page is expected to say "この文言はどのページにもありません"
