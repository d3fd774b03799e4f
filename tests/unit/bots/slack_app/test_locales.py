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


class _Directory(_Slack):
    """users.list over `people` (id → locale), `page` at a time, refusing the first `refusals`
    pages with 429, or failing outright; users.info as above."""

    def __init__(self, people: dict[str, str], page: int = 2, refusals: int = 0,
                 broken: bool = False):
        super().__init__()
        self.people, self.page, self.refusals, self.broken = list(people.items()), page, refusals, broken
        self.pages, self.slept = [], []

    async def auth_test(self):
        return {"team_id": "T1"}

    async def users_list(self, limit: int, include_locale: bool, cursor: str | None):
        if self.broken:
            raise OSError("no network")
        if self.refusals:
            self.refusals -= 1
            response = AsyncSlackResponse(client=None, http_verb="GET", api_url="users.list",
                                          req_args={}, data={"ok": False, "error": "ratelimited"},
                                          headers={"Retry-After": "0.01"}, status_code=429)
            raise SlackApiError("ratelimited", response)
        assert include_locale
        start = int(cursor or 0)
        self.pages.append(start)
        chunk = self.people[start:start + self.page]
        more = start + self.page < len(self.people)
        return {"members": [{"id": user, "locale": locale, "tz": "Europe/Madrid"}
                            for user, locale in chunk],
                "response_metadata": {"next_cursor": str(start + self.page) if more else ""}}


async def test_a_person_in_the_workspace_listing_is_answered_in_their_language_unasked():
    locales, slack = Locales(), _Directory({"U1": "es-ES", "U2": "de-DE", "U3": "pt-BR"})

    assert await locales.list_workspace(slack) == 3
    found = [await locales.within(slack, "T1", user, 0.5) for user in ("U1", "U2", "U3")]

    assert found == [Locality("es-ES", "Europe/Madrid"), Locality("de-DE", "Europe/Madrid"),
                     Locality("pt-BR", "Europe/Madrid")]
    assert locales.cached("T1", "U3") == Locality("pt-BR", "Europe/Madrid")
    assert slack.asked == [], "nobody was looked up with users.info"
    assert slack.pages == [0, 2], "both pages were read, following next_cursor"


async def test_someone_the_listing_missed_is_still_looked_up_alone():
    locales, slack = Locales(), _Directory({"U1": "es-ES"})
    await locales.list_workspace(slack)

    found = await locales.within(slack, "T1", "U9", 0.5)
    other_team = await locales.within(slack, "T2", "U1", 0.5)

    assert found == other_team == Locality("es-ES", "Europe/Madrid")
    assert slack.asked == ["U9", "U1"]


async def test_a_listing_slack_slows_down_waits_and_goes_on():
    locales, slack = Locales(), _Directory({"U1": "de-DE", "U2": "es-ES", "U3": "es-ES"},
                                           refusals=2)

    assert await locales.list_workspace(slack) == 3
    assert await locales.within(slack, "T1", "U3", 0.5) == Locality("es-ES", "Europe/Madrid")
    assert slack.asked == []


async def test_a_failed_listing_leaves_people_looked_up_one_by_one():
    locales, slack = Locales(), _Directory({"U1": "de-DE"}, broken=True)
    refreshing = asyncio.ensure_future(locales.refresh(slack, every=60))
    await asyncio.sleep(0.05)

    found = await locales.within(slack, "T1", "U1", 0.5)
    refreshing.cancel()

    assert found == Locality("es-ES", "Europe/Madrid")  # users.info's answer
    assert slack.asked == ["U1"]


async def test_the_listing_is_bounded():
    people = {f"U{n}": "es-ES" for n in range(10)}
    locales, slack = Locales(listed_limit=5), _Directory(people, page=4)

    assert await locales.list_workspace(slack) == 5
    assert slack.pages == [0, 4], "no page is read past the bound"
    assert await locales.within(slack, "T1", "U7", 0.5) == Locality("es-ES", "Europe/Madrid")
    assert slack.asked == ["U7"]


async def test_what_is_kept_holds_no_slack_id_in_plain_form():
    people = {"U0SECRETA1": "es-ES", "U0SECRETB2": "de-DE"}
    locales, slack = Locales(), _Directory(people)
    await locales.list_workspace(slack)
    await locales.within(slack, "T1", "U0SECRETC3", 0.5)  # looked up alone, then remembered

    kept = repr((locales._listed, locales._known, vars(locales)))
    assert not any(user in kept for user in [*people, "U0SECRETC3"])
    assert await locales.within(slack, "T1", "U0SECRETA1", 0.5) == Locality("es-ES",
                                                                           "Europe/Madrid")
    assert locales.cached("T1", "U0SECRETC3") == Locality("es-ES", "Europe/Madrid")


async def test_a_whole_listing_counts_the_headcount_and_the_daily_count_takes_it_unpaged():
    from bots.slack_app.directory import count_people

    locales, slack = Locales(), _Directory({"U1": "es-ES", "U2": "de-DE", "U3": "pt-BR"})
    await locales.list_workspace(slack)
    pages = list(slack.pages)

    assert locales.headcount("T1") == 3 and locales.headcount("T2") is None
    assert await count_people(slack, locales) == ("T1", 3)
    assert slack.pages == pages, "the count paged through the workspace again"
    assert locales.headcount("T1", fresh=-1) is None  # too old: the count pages itself


async def test_a_listing_cut_short_counts_nobody():
    locales, slack = Locales(listed_limit=2), _Directory({"U1": "es-ES", "U2": "de-DE",
                                                          "U3": "pt-BR"}, page=1)
    await locales.list_workspace(slack)

    assert locales.headcount("T1") is None
