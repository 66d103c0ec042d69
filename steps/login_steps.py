"""Login with the card and the password, the menu, logout, password expiry and reset."""

from pytest_bdd import parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.page import ThePage, ThePortalMessage, TheProcedureNotOffered, TheProceduresOffered
from screenplay.tasks.login import AskForAPasswordReset, ChangeTheEmail, ForgetTheAuthId, LogIn, LogOut
from screenplay.tasks.outside_the_page import FileTheAuthIdInquiry


@when("she logs in with her card and her password")
def logs_in(applicant: Actor):
    applicant.attempts_to(LogIn())


@when("she logs in with her card and a wrong password")
def logs_in_wrong_password(applicant: Actor):
    applicant.attempts_to(LogIn(wrong_password=True))


@when("she tries to log in with her card")
def tries_to_log_in(applicant: Actor):
    applicant.attempts_to(LogIn(expecting_a_card_failure=True))


@then("she is logged in and sees the procedures menu")
def sees_menu(applicant: Actor):
    applicant.should_see(ThePage("menu"))


@then("the portal refuses the password at login")
def refuses_login_password(applicant: Actor):
    applicant.should_see(ThePortalMessage("password_wrong"))


@then("the portal says the password has expired")
def password_expired(applicant: Actor):
    applicant.should_see(ThePortalMessage("password_expired"))


@when("she logs out")
def logs_out(applicant: Actor):
    applicant.attempts_to(LogOut())


@when("she asks for a password reset with her 認証ID and e-mail address")
def asks_reset(applicant: Actor):
    applicant.attempts_to(AskForAPasswordReset())


@when(parsers.parse('she asks for a password reset with her 認証ID and the e-mail address "{email}"'))
def asks_reset_other_email(applicant: Actor, email):
    applicant.attempts_to(AskForAPasswordReset(email=email))


@then(parsers.parse("the procedures offered are {procedures}"))
def procedures_offered(applicant: Actor, procedures):
    applicant.should_see(TheProceduresOffered(tuple(p.strip() for p in procedures.split(","))))


@then("no procedure is offered")
def no_procedure(applicant: Actor):
    applicant.should_see(TheProceduresOffered(()))


@then(parsers.parse('the procedures not offered include "{procedure}"'))
def procedures_not_offered(applicant: Actor, procedure):
    applicant.should_see(TheProcedureNotOffered(procedure))


@when(parsers.parse('she changes her e-mail address to "{email}" on the 利用者情報 screen'))
def changes_email(applicant: Actor, email):
    applicant.attempts_to(ChangeTheEmail(email))


@when("she has forgotten her 認証ID")
def forgets_auth_id(applicant: Actor):
    applicant.attempts_to(ForgetTheAuthId())


@when("she asks for a password reset without her 認証ID")
def asks_reset_without_id(applicant: Actor):
    applicant.attempts_to(AskForAPasswordReset(auth_id=""))


@when("she asks the regional immigration bureau for her 認証ID with the form 別記第15号様式")
def files_auth_id_inquiry(applicant: Actor):
    applicant.attempts_to(FileTheAuthIdInquiry())
