"""Login with the card and the password, the menu, logout, password expiry and reset."""

from pytest_bdd import parsers, then, when

from fixtures.screenplay import Applicant


@when("she logs in with her card and her password")
def logs_in(applicant: Applicant):
    applicant.logs_in()


@when("she logs in with her card and a wrong password")
def logs_in_wrong_password(applicant: Applicant):
    applicant.logs_in(wrong_password=True)


@when("she tries to log in with her card")
def tries_to_log_in(applicant: Applicant):
    applicant.logs_in(expect_card_failure=True)


@then("she is logged in and sees the procedures menu")
def sees_menu(applicant: Applicant):
    applicant.should_see_the_procedures_menu()


@then("the portal refuses the password at login")
def refuses_login_password(applicant: Applicant):
    applicant.should_see_login_password_refused()


@then("the portal says the password has expired")
def password_expired(applicant: Applicant):
    applicant.should_be_told_the_password_expired()


@when("she logs out")
def logs_out(applicant: Applicant):
    applicant.logs_out()


@when("she asks for a password reset with her 認証ID and e-mail address")
def asks_reset(applicant: Applicant):
    applicant.asks_for_a_password_reset()


@when(parsers.parse('she asks for a password reset with her 認証ID and the e-mail address "{email}"'))
def asks_reset_other_email(applicant: Applicant, email):
    applicant.asks_for_a_password_reset(email=email)


@then(parsers.parse("the procedures offered are {procedures}"))
def procedures_offered(applicant: Applicant, procedures):
    applicant.should_be_offered([p.strip() for p in procedures.split(",")])


@then("no procedure is offered")
def no_procedure(applicant: Applicant):
    applicant.should_be_offered([])


@then(parsers.parse('the procedures not offered include "{procedure}"'))
def procedures_not_offered(applicant: Applicant, procedure):
    applicant.should_not_be_offered(procedure)


@when(parsers.parse('she changes her e-mail address to "{email}" on the 利用者情報 screen'))
def changes_email(applicant: Applicant, email):
    applicant.changes_her_email(email)


@when("she has forgotten her 認証ID")
def forgets_auth_id(applicant: Applicant):
    applicant.forgets_her_auth_id()


@when("she asks for a password reset without her 認証ID")
def asks_reset_without_id(applicant: Applicant):
    applicant.asks_for_a_password_reset(auth_id="")


@when("she asks the regional immigration bureau for her 認証ID with the form 別記第15号様式")
def files_auth_id_inquiry(applicant: Applicant):
    applicant.files_the_auth_id_inquiry()
