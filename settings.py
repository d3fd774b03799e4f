"""Configuration from the environment and `.env`: the only module that reads either."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BeforeValidator, Field, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DURATION_FORMS = "a whole number followed by s, m, h, d or w, such as 90s, 30m, 48h or 30d"


def parse_duration(text: str) -> timedelta:
    """Turn `90s`, `30m`, `48h`, `30d` or `2w` into a timedelta, or raise ValueError."""
    match = _DURATION.match(str(text))
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"expected {DURATION_FORMS}")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _duration(value: object) -> object:
    return value if isinstance(value, timedelta) else parse_duration(str(value))


Duration = Annotated[timedelta, BeforeValidator(_duration)]


class Settings(BaseSettings):
    """Every setting Concerted reads; names as in README's Configuration table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///concerted.db", alias="CONCERTED_DATABASE_URL")
    key_file: Path = Field(Path("concerted.key"), alias="CONCERTED_KEY_FILE")
    output_dir: Path = Field(Path("concerted-out"), alias="CONCERTED_OUTPUT_DIR")
    log_level: str = Field("INFO", alias="CONCERTED_LOG_LEVEL")
    snapshot_every: Duration = Field(timedelta(hours=1), alias="CONCERTED_SNAPSHOT_EVERY")
    cooling_off: Duration = Field(timedelta(hours=48), alias="CONCERTED_COOLING_OFF")
    retention: Duration = Field(timedelta(days=30), alias="CONCERTED_RETENTION")
    min_count: int = Field(5, alias="CONCERTED_MIN_COUNT", ge=2, le=100)
    http_port: int = Field(3000, alias="CONCERTED_HTTP_PORT", ge=1, le=65535)
    http_workers: int = Field(1, alias="CONCERTED_HTTP_WORKERS", ge=1, le=64)
    # Commands taken on and not yet answered, per process; more are told to try again soon.
    backlog: int = Field(200, alias="CONCERTED_BACKLOG", ge=1, le=100_000)
    public_url: str | None = Field(None, alias="CONCERTED_PUBLIC_URL")
    digest_at: time = Field(time(9, 0), alias="CONCERTED_DIGEST_AT")
    digest_window: Duration = Field(timedelta(minutes=30), alias="CONCERTED_DIGEST_WINDOW")
    timezone: str = Field("UTC", alias="CONCERTED_TIMEZONE")
    locale: str = Field("en", alias="CONCERTED_LOCALE")
    # Another folder of catalogs (`<lang>/LC_MESSAGES/messages.po`) instead of the shipped one.
    locale_dir: Path | None = Field(None, alias="CONCERTED_LOCALE_DIR")

    slack_bot_token: str | None = Field(None, alias="SLACK_BOT_TOKEN")
    slack_app_token: str | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_signing_secret: str | None = Field(None, alias="SLACK_SIGNING_SECRET")
    slack_api_url: str | None = Field(None, alias="SLACK_API_URL")

    discord_token: str | None = Field(None, alias="DISCORD_TOKEN")
    discord_api_url: str | None = Field(None, alias="DISCORD_API_URL")
    discord_gateway_url: str | None = Field(None, alias="DISCORD_GATEWAY_URL")
    discord_guild_id: int | None = Field(None, alias="DISCORD_GUILD_ID")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @field_validator("digest_at", mode="before")
    @classmethod
    def _time_of_day(cls, value: object) -> time:
        if isinstance(value, time):
            return value
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*", str(value))
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            raise ValueError("expected a time of day written HH:MM on a 24-hour clock, "
                             "such as 09:00")
        return time(int(match.group(1)), int(match.group(2)))

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value.strip())
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("expected an IANA time zone such as UTC or Europe/Berlin") from None
        return value.strip()

    @field_validator("locale")
    @classmethod
    def _locale_tag(cls, value: str) -> str:
        tag = value.strip().replace("-", "_")
        if not re.fullmatch(r"[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?", tag):
            raise ValueError("expected a language such as en, es, pt_BR or de")
        return tag

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:", "postgres:")):
            raise ValueError("expected a sqlite:/// path or a postgresql:// URL")
        if value.startswith("postgres:"):
            value = "postgresql:" + value.removeprefix("postgres:")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.match(r"^https?://[^/\s?#]+(/[^\s?#]*)?$", value):
            raise ValueError("expected the dashboard's base address, such as "
                             "https://concerted.example.org")
        return value

    @field_validator("http_workers")
    @classmethod
    def _workers_share_postgres(cls, value: int, info: ValidationInfo) -> int:
        # Workers are separate processes: only PostgreSQL lets several write at once and
        # elect the one that runs scheduled jobs (bots/runtime/joblock.py).
        url = str(info.data.get("database_url", ""))
        if value > 1 and not url.startswith("postgresql"):
            raise ValueError("more than one worker needs a PostgreSQL database "
                             "(CONCERTED_DATABASE_URL); with SQLite run one")
        return value

    def dashboard_url(self, port: int | None = None) -> str:
        """The base of dashboard links: CONCERTED_PUBLIC_URL, else this machine on the port."""
        return self.public_url or f"http://127.0.0.1:{port or self.http_port}"

    @property
    def platform(self) -> str:
        """Which workspace `concerted run` starts, from the tokens that are set."""
        if self.slack_bot_token and (self.slack_app_token or self.slack_signing_secret):
            return "slack"
        if self.discord_token:
            return "discord"
        return "console"


class SettingsError(Exception):
    """A setting has a value Concerted cannot use; the message is one sentence."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation failure into one readable sentence."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = _env_name(first.get("loc", ("?",))[0])
        reason = str(first.get("msg", "")).removeprefix("Value error, ")
        raise SettingsError(
            f"Setting {name} has a value Concerted cannot use: {reason}."
        ) from None


def _env_name(field: object) -> str:
    info = Settings.model_fields.get(str(field))
    return (info.alias if info and info.alias else str(field)).upper()
