"""A burst of new people does not wait on Slack's users.info, nor hammer it when it says stop."""

import asyncio

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bots.output.i18n import Locality
from bots.slack_app.locales import ASKING_MAX, Locales


class _Slack:
    """users.info that answers after `delay` seconds, or says 429 with Retry-After."""

    def __init__(self, delay: float = 0.0, limited: bool = False):
        self.delay, self.limited, self.asked = delay, limited, []

    async def users_info(self, user: str, include_locale: bool):
        self.asked.append(user)
        await asyncio.sleep(self.delay)
        if self.limited:
            response = AsyncSlackResponse(client=None, http_verb="POST", api_url="users.info",
                                          req_args={}, data={"ok": False, "error": "ratelimited"},
                                          headers={"Retry-After": "30"}, status_code=429)
            raise SlackApiError("ratelimited", response)
        return {"user": {"locale": "es-ES", "tz": "Europe/Madrid"}}


async def test_a_slow_answer_is_not_waited_for_and_serves_the_next_command():
    locales, slack = Locales(), _Slack(delay=0.2)

    first = await locales.within(slack, "T1", "U1", 0.05)
    await asyncio.sleep(0.3)
    second = await locales.within(slack, "T1", "U1", 0.05)

    assert first == Locality()
    assert second == Locality("es-ES", "Europe/Madrid")
    assert slack.asked == ["U1"]


async def test_look_ups_in_flight_are_bounded():
    locales, slack = Locales(), _Slack(delay=0.2)

    await asyncio.gather(*(locales.within(slack, "T1", f"U{n}", 0.01)
                           for n in range(ASKING_MAX + 50)))
    await asyncio.sleep(0.3)  # the look-ups under way finish

    assert len(slack.asked) == ASKING_MAX


async def test_after_slack_says_slow_down_nobody_is_looked_up_for_a_while():
    locales, slack = Locales(), _Slack(limited=True)

    await locales.within(slack, "T1", "U1", 1.0)
    await locales.within(slack, "T1", "U2", 1.0)

    assert slack.asked == ["U1"]
