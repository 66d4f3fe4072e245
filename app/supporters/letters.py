"""The supporter's letter: rendered per official by the sandbox, led by their chosen demand."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from app.demands.models import Demand
from app.officials.models import Official
from app.templating import addressing
from app.templating.context import demand_views, official_view, render_letters

SUBJECT = "Protéger les enfants en ligne : {{ demands[0].title }}"
OPENING = """\
{{ official.salutation }},

{% if sender.constituent %}Je réside dans votre circonscription et je vous écris{% else %}\
Je vous écris{% endif %} pour vous demander d'agir contre l'exploitation sexuelle des enfants \
en ligne.
"""
SHORT_BODY = (
    OPENING
    + """
Ce qui compte le plus pour moi : {{ demands[0].title }}.
{% if demands|length > 1 %}Je soutiens aussi : {{ demands[1:]|map(attribute="title")|join(", ") }}.
{% endif %}
Pouvez-vous me dire quelle est votre position sur ces mesures, et si vous vous engagerez à les \
défendre ?

{{ official.closing }}
"""
)
DETAILED_BODY = (
    OPENING
    + """
Ces violences progressent plus vite que les moyens de les prévenir et de les poursuivre. \
Ce qui compte le plus pour moi :

{{ demands[0].title }} — {{ demands[0].text }}
{% if demands|length > 1 %}
Je soutiens aussi les autres demandes portées par les associations de protection de l'enfance :
{% for demand in demands[1:] %}
- {{ demand.title }} — {{ demand.text }}
{% endfor %}{% endif %}
En tant que {{ official.title }}, vous pouvez faire avancer ces mesures. Pouvez-vous me dire \
quelle est votre position sur chacune d'elles, et si vous vous engagerez publiquement à les \
défendre ?

{{ official.closing }}
"""
)
MAILTO_MAX = 1800  # characters of body kept in a mailto: link; longer URLs break mail clients
SHORTENED = "\n\n[Lettre raccourcie : retrouvez le texte complet sur la page de la campagne.]"


@dataclass(frozen=True)
class Draft:
    official: Official
    subject: str
    body: str


def lead_first(demands: Sequence[Demand], lead_id: int | None) -> list[Demand]:
    """The demands with the supporter's chosen one first, the others in manifesto order."""
    return sorted(demands, key=lambda d: (d.id != lead_id, d.number))


def render_drafts(
    *,
    officials: Sequence[Official],
    demands: Sequence[Demand],
    lead_id: int | None,
    detailed: bool,
    constituent_of: set[int],
    day: date,
) -> list[Draft]:
    """The default letter for each official, before the supporter edits it."""
    views = demand_views(lead_first(demands, lead_id))
    body_source = DETAILED_BODY if detailed else SHORT_BODY
    rendered: dict[int, tuple[str, str]] = {}
    # Constituents and the others read one sentence differently: one render batch for each.
    for constituent in (True, False):
        group = [o for o in officials if (o.id in constituent_of) == constituent]
        if not group:
            continue
        sender = {"name": "", "organisation": "", "constituent": "oui" if constituent else ""}
        letters = render_letters(
            subject=SUBJECT,
            body=body_source,
            officials=[official_view(o) for o in group],
            demands=views,
            sender=sender,
            day=day,
        )
        rendered.update(zip([o.id for o in group], letters, strict=True))
    drafts = []
    for official in officials:
        subject, body = rendered[official.id]
        drafts.append(Draft(official=official, subject=subject, body=body.strip() + "\n"))
    return drafts


def normalise(text: str) -> str:
    """Text as typed in a form: line ends unified, spaces trimmed, blank lines collapsed."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip()


def unchanged(drafts: Sequence[Draft], letters: dict[int, tuple[str, str]], personal: str) -> bool:
    """True when the supporter kept every proposed letter as is and added nothing."""
    if normalise(personal):
        return False
    return all(normalise(letters[d.official.id][1]) == normalise(d.body) for d in drafts)


def with_personal(body: str, *, personal: str, official: Official) -> str:
    """The personal paragraph placed before the closing formula (at the end if it was removed)."""
    body, personal = normalise(body), normalise(personal)
    if not personal:
        return body
    closing = addressing.closing(official.kind, official.civility, official.portfolio)
    if closing in body:
        return body.replace(closing, f"{personal}\n\n{closing}", 1)
    return f"{body}\n\n{personal}"


def mailto_url(*, to: str, subject: str, body: str) -> str:
    """A mailto: link with subject and body, the body shortened (with a note) when too long."""
    if len(body) > MAILTO_MAX:
        body = body[: MAILTO_MAX - len(SHORTENED)].rsplit(" ", 1)[0] + SHORTENED
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(to, safe='@')}?{query}"
