@registration @usability @known-defect
Feature: The first-hand story: a Gmail address, a mail that never comes, and the bureau
  The agency blocks overseas IP addresses, so free-mail that routes abroad may never receive its mail. Nothing
  on the page says so; a second registration is refused; only a phone call to the bureau helps, and then the
  agency's sites were unreachable for five days.

  Scenario: A Gmail address never gets the registration mail
    Given a resident with the "valid" My Number card
    And the portal is the "ras" generation
    When she registers as "外国人本人" with the e-mail address "amira@gmail.com"
    Then the registration is complete and shows her name
    But no mail arrives at "amira@gmail.com" within 2 days

  Scenario: The whole story, from Gmail to a working login five days later
    Given a resident with the "valid" My Number card
    And the portal is the "ras" generation
    When she registers as "外国人本人" with the e-mail address "amira@gmail.com"
    And 1 day passes
    Then no mail has arrived at "amira@gmail.com"
    When she registers again with the e-mail address "amira@yahoo.co.jp"
    Then the portal says her residence card number is already in use
    And there is no self-service way to change the e-mail address
    When she calls the regional immigration bureau to change her e-mail address to "amira@yahoo.co.jp"
    And the agency's sites become unreachable for 5 days
    And 2 hours pass
    Then a mail "メールアドレス変更完了" arrives at "amira@yahoo.co.jp"
    And a mail "パスワード再設定" arrives at "amira@yahoo.co.jp"
    When she opens the password link in the mail
    Then the browser cannot reach the site
    When 5 days pass
    And she opens the password link in the mail
    And she sets a valid password
    And she logs in with her card and her password
    Then she is logged in and sees the procedures menu
