"""Finished /agir pages kept per process, valid while nothing they show has changed.

At a campaign's peak every supporter of a postcode gets the same page. One read per request
checks what it shows — the campaign (its pause switch included), the geography and officials,
the approved stances, the demands — and the stored page is served when none has moved; only
the CSRF token differs between visitors, put in at the end. A signed-in user, a pending flash
message or the « écrit ✓ » cookie make a page personal: those are rendered each time.
"""

import secrets

from sqlalchemy import Connection

# Plain SQL handed to the driver: it runs on every request of the hottest public page, and the
# statement cache and result processing of SQLAlchemy would cost a third of it.
_VERSION = """
SELECT c.id, c.name, c.slug, c.description, c.is_paused, c.targeting, c.target_filter,
       (SELECT content_hash FROM geography_version WHERE id = 1),
       (SELECT max(updated_at) FROM official),
       (SELECT count(*) FROM stance_review),
       (SELECT max(reviewed_at) FROM stance_review),
       (SELECT count(*) FROM campaign_demand d WHERE d.campaign_id = c.id),
       (SELECT count(*) FROM demand),
       (SELECT sum(length(title) + length(text_fr)) FROM demand)
FROM campaign c
WHERE c.is_public {where}
ORDER BY c.id DESC
LIMIT 1
"""
NEWEST = _VERSION.format(where="")
# The driver's own placeholder: SQLite's qmark, psycopg's pyformat.
BY_SLUG = {
    "qmark": _VERSION.format(where="AND c.slug = ?"),
    "pyformat": _VERSION.format(where="AND c.slug = %(slug)s"),
}
MAX_PAGES = 2_000  # about 15 kB each
# Stands for the visitor's CSRF token in a stored page.
CSRF_MARK = "csrf-" + secrets.token_hex(12)


def page_version(connection: Connection, *, slug: str | None) -> tuple[str, ...] | None:
    """What the campaign page at `slug` (the newest public one when None) shows, as a key;
    None when there is no such campaign (the slow path then says so)."""
    if slug is None:
        row = connection.exec_driver_sql(NEWEST).first()
    elif connection.dialect.paramstyle == "qmark":
        row = connection.exec_driver_sql(BY_SLUG["qmark"], (slug,)).first()
    else:
        row = connection.exec_driver_sql(BY_SLUG["pyformat"], {"slug": slug}).first()
    return None if row is None else tuple(str(value) for value in row)


class PageCache:
    """Rendered pages per campaign address, by query, for one version at a time."""

    def __init__(self) -> None:
        self._pages: dict[str | None, tuple[tuple[str, ...], dict[tuple[str, ...], str]]] = {}
        self._count = 0

    def get(self, slug: str | None, version: tuple[str, ...], query: tuple[str, ...]) -> str | None:
        kept = self._pages.get(slug)
        if kept is None or kept[0] != version:
            return None
        return kept[1].get(query)

    def put(
        self, slug: str | None, version: tuple[str, ...], query: tuple[str, ...], page: str
    ) -> None:
        kept = self._pages.get(slug)
        if kept is None or kept[0] != version:
            if kept is not None:
                self._count -= len(kept[1])
            kept = self._pages[slug] = (version, {})
        if self._count >= MAX_PAGES:
            self._pages, self._count = {slug: (version, {})}, 0
            kept = self._pages[slug]
        if query not in kept[1]:
            self._count += 1
        kept[1][query] = page
