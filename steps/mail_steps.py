"""Mail, the bureau and outages: the parts of the journey that happen outside the page."""

from pytest_bdd import parsers, then, when

from fixtures.screenplay import Applicant


@then(parsers.parse('a mail with her 認証ID arrives at "{email}"'))
def mail_with_auth_id(applicant: Applicant, email):
    applicant.should_receive_the_auth_id_mail(email)


@then(parsers.parse('a mail "{subject}" arrives at "{email}"'))
def mail_arrives(applicant: Applicant, subject, email):
    applicant.should_receive_mail(email, subject)


@then(parsers.parse('no mail arrives at "{email}" within {count:d} {unit}'))
def no_mail_within(applicant: Applicant, email, count, unit):
    applicant.waits(count, unit.rstrip("s"))
    applicant.should_have_no_mail(email)


@then(parsers.parse('no mail has arrived at "{email}"'))
def no_mail_yet(applicant: Applicant, email):
    applicant.should_have_no_mail(email)


@then(parsers.parse('{count:d} mails about the password\'s expiry have arrived at "{email}"'))
def expiry_mails(applicant: Applicant, count, email):
    applicant.should_have_mails(email, "パスワード有効期限", count)


@then(parsers.parse('the mail to "{email}" comes from "{sender}" with a subject starting "{prefix}"'))
def mail_from(applicant: Applicant, email, sender, prefix):
    applicant.should_receive_mail_from(email, sender, prefix)


@when(parsers.parse('she calls the regional immigration bureau to change her e-mail address to "{email}"'))
def calls_bureau(applicant: Applicant, email):
    applicant.calls_the_bureau_to_change_the_email(email)


@when(parsers.parse("the agency's sites become unreachable for {days:d} days"))
def outage(applicant: Applicant, days):
    applicant.finds_the_agency_sites_down_for(days)
