@preparation
Feature: The agency publishes the way in on its Japanese and its English page
  People are told to read the agency's page in English (the agency's pages have an English view, ?hl=en). The
  entry to the system must be there too, and lead to the same portal.

  Scenario Outline: The entry on the agency's page leads to the portal
    Given a resident with the "valid" My Number card
    When she opens the agency's online procedures page in <language>
    And she follows the link "<link>"
    Then she is on the portal's top page

    Examples:
      | language | link                                                       |
      | Japanese | 在留申請オンラインシステムのご利用はこちらから。            |
      | English  | Click here to use the Online Residence Application System. |
