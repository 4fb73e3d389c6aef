"""The Jinja2 environment every page is rendered with, and small helpers shared by pages.

Templates live in ``templates/`` and extend ``base.html.j2``, which inlines ``static/pages.css``
(screen and print). Autoescaping is on for every template: text from journeys, standards and
logs is always escaped. Nothing here reads the clock: a page says when the data was decided,
never when the page was made, so the same data always gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from importlib import resources

import jinja2
from markupsafe import Markup

from sendrules import __version__

#: What each status means, in words a family or a caseworker would use (CONTRACT §3).
STATUS_WORDS = {
    "met": ("Met", "done on time, or the condition holds"),
    "pending": ("Pending", "not done yet, and still within the time limit"),
    "late": ("Late", "done, but after the due date"),
    "overdue": ("Overdue", "not done, and the due date has passed"),
    "breached": ("Breached", "a condition that is not a deadline was not met"),
    "exempt": ("Exempt", "the time limit was missed, but a statutory exception covers it"),
}
STATUS_ORDER = tuple(STATUS_WORDS)


def long_date(value: str | date | None) -> str:
    """``2025-05-26`` -> ``Mon 26 May 2025``; None -> an em dash."""
    if value is None or value == "":
        return "\u2014"
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day:%a} {day.day} {day:%b %Y}"


def plural(count: int, noun: str, plural_noun: str | None = None) -> str:
    return f"{count} {noun if count == 1 else (plural_noun or noun + 's')}"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sendrules.pages", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["long_date"] = long_date
    env.filters["plural"] = plural
    env.globals["status_words"] = STATUS_WORDS
    env.globals["status_order"] = STATUS_ORDER
    env.globals["sendrules_version"] = __version__
    env.globals["css"] = Markup(stylesheet())  # our own file; escaping would break its quotes
    return env


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return resources.files("sendrules.pages").joinpath("static/pages.css").read_text(encoding="utf-8")


def render(template: str, **context) -> str:
    """Render ``templates/<template>`` with ``context``; the page as text."""
    return environment().get_template(template).render(**context)


__all__ = ["render", "long_date", "plural", "STATUS_WORDS", "STATUS_ORDER", "stylesheet"]
