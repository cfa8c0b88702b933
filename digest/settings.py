"""Settings: turning what the user typed into checked, typed values."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from digest.errors import UsageError
from digest.model import Site

# How many days apart two outlets' reports of one event may be dated.
DEFAULT_WINDOW_DAYS = 3


@dataclass(frozen=True, slots=True)
class BuildSettings:
    """Everything a build needs besides its inputs."""

    now: datetime
    site: Site = field(default_factory=Site)
    window_days: int = DEFAULT_WINDOW_DAYS
    jobs: int = 1

    @property
    def tz(self) -> ZoneInfo:
        return parse_timezone(self.site.timezone)


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA time zone, or a usage error naming the bad value."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise UsageError(
            f"unknown time zone {name!r}", "use an IANA name such as Europe/Paris or UTC"
        ) from error


def parse_now(text: str | None, tz: ZoneInfo) -> datetime:
    """The build's reference time: ``--now`` (ISO 8601), else the clock.

    A date alone means noon that day; a time without an offset is in ``tz``.
    """
    if text is None:
        return datetime.now(UTC).astimezone(tz)
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise UsageError(
            f"--now {text!r} is not an ISO 8601 date or time", "for example 2020-09-30T12:00"
        ) from error
    if len(text.strip()) == 10:
        parsed = datetime.combine(parsed.date(), time(12, 0))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed
