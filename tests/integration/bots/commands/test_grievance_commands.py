"""/grievance, /liaison and the points commands through the dispatcher, as chat adapters call them."""

import pytest

from bots.commands.forms import form_invocation, forms
from bots.commands.registry import registry
from bots.commands.replies import FormRequest
from campaigns.core.privacy import Person
from tests.support import renderer

LEAD = Person("slack", "T0ACME", "U0LEAD01")
LIAISON = Person("slack", "T0ACME", "U0LIAIS1")
AUTHOR = Person("slack", "T0ACME", "U0CAROL42")


@pytest.fixture
def slack(app):
    dispatcher = app.dispatcher("slack")
    dispatcher.run(LEAD, "/campaign create ethics --headcount 40")
    dispatcher.run(LEAD, f"/campaign liaison add ethics <@{LIAISON.user}>")
    dispatcher.run(AUTHOR, "/campaign join ethics")
    return dispatcher


def said(outcome) -> str:
    slack = renderer("slack")
    return "\n".join(slack.render(reply.template, **reply.data) for reply in outcome)


def test_a_grievance_without_fields_opens_the_form_and_the_submitted_form_files_it(slack):
    asked = slack.run(AUTHOR, "/grievance ethics", forms=True)
    assert asked == FormRequest("grievance", campaign="ethics")
    form = forms()["grievance"]
    submitted = form_invocation(registry(), form, {"text": "No rest between shifts.", "tag": "vent"},
                                {"name": "ethics"})
    out = said(slack.invoke(AUTHOR, submitted, forms=True))
    assert "Your grievance is in the queue of `ethics`, tagged vent" in out
    assert "No rest between shifts." in said(slack.run(LIAISON, "/liaison queue ethics --vent"))


def test_typed_without_text_the_grievance_says_how_to_write_it(slack):
    out = said(slack.run(AUTHOR, "/grievance ethics --solve"))
    assert "The grievance text is missing" in out and '--text "…"' in out


def test_text_that_could_ping_a_channel_reaches_liaisons_escaped(slack):
    slack.run(AUTHOR, '/grievance ethics --text "<!channel> see <http://x|this>" --vent '
                      "--send-anyway")
    out = said(slack.run(LIAISON, "/liaison show 1"))
    assert "&lt;!channel&gt; see &lt;http://x|this&gt;" in out
    assert "<!channel>" not in out


@pytest.mark.parametrize("words", [
    "grievance", "grievance status", "grievance reply", "grievance reveal", "liaison",
    "liaison queue", "liaison show", "liaison claim", "liaison reply", "liaison decline",
    "liaison close", "liaison point", "liaison merge", "liaison block", "liaison unblock",
    "campaign points", "campaign support",
])
def test_every_grievance_and_liaison_command_has_help(slack, words):
    out = said(slack.run(AUTHOR, f"/{words} help"))
    assert len(out) > 60 and "help/" not in out


def test_a_queue_number_must_be_a_number(slack):
    out = said(slack.run(LIAISON, "/liaison close first"))
    assert "The item `first` is not something Concerted can use" in out
