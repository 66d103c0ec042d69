"""Mail, the bureau and outages: the parts of the journey that happen outside the page."""

from pytest_bdd import parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.mail import MailsAbout, NoMailAt, TheAuthIdMail, TheMail, TheMailFrom
from screenplay.tasks.outside_the_page import CallTheBureauToChangeTheEmail, TheAgencySitesGoDown, Wait


@then(parsers.parse('a mail with her 認証ID arrives at "{email}"'))
def mail_with_auth_id(applicant: Actor, email):
    applicant.should_see(TheAuthIdMail(email))


@then(parsers.parse('a mail "{subject}" arrives at "{email}"'))
def mail_arrives(applicant: Actor, subject, email):
    applicant.should_see(TheMail(email, subject))


@then(parsers.parse('no mail arrives at "{email}" within {count:d} {unit}'))
def no_mail_within(applicant: Actor, email, count, unit):
    applicant.attempts_to(Wait(count, unit.rstrip("s"))).should_see(NoMailAt(email))


@then(parsers.parse('no mail has arrived at "{email}"'))
def no_mail_yet(applicant: Actor, email):
    applicant.should_see(NoMailAt(email))


@then(parsers.parse('{count:d} mails about the password\'s expiry have arrived at "{email}"'))
def expiry_mails(applicant: Actor, count, email):
    applicant.should_see(MailsAbout(email, "パスワード有効期限", count))


@then(parsers.parse('the mail to "{email}" comes from "{sender}" with a subject starting "{prefix}"'))
def mail_from(applicant: Actor, email, sender, prefix):
    applicant.should_see(TheMailFrom(email, sender, prefix))


@when(parsers.parse('she calls the regional immigration bureau to change her e-mail address to "{email}"'))
def calls_bureau(applicant: Actor, email):
    applicant.attempts_to(CallTheBureauToChangeTheEmail(email))


@when(parsers.parse("the agency's sites become unreachable for {days:d} days"))
def outage(applicant: Actor, days):
    applicant.attempts_to(TheAgencySitesGoDown(days))
