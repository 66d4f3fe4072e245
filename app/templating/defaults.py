"""The two letters every install starts with: a first letter and a follow-up on the demands."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.security import Actor
from app.templating.models import Template, TemplatePurpose
from app.templating.service import create_template

FIRST_LETTER_NAME = "Premier courrier — les quatre demandes"
FOLLOW_UP_NAME = "Relance — les quatre demandes"

FIRST_LETTER_SUBJECT = "Protéger les enfants en ligne : {{ demands|length }} mesures attendues"
SIGNATURE = """\
{{ official.closing_nous }}

{{ sender.signatory }}
{% if sender.signatory_title %}{{ sender.signatory_title }}
{% endif %}{{ sender.organisation }}
"""
FIRST_LETTER_BODY = (
    """\
{{ official.salutation }},

Chaque jour, des enfants sont exposés en ligne à la pornographie, au harcèlement et à \
l'exploitation sexuelle. Notre association les accompagne et constate que ces violences \
progressent plus vite que les moyens de les prévenir et de les poursuivre.

Nous portons auprès des parlementaires et du Gouvernement les demandes suivantes :
{% for demand in demands %}
{{ demand.number }}. {{ demand.title }} — {{ demand.text }}
{% endfor %}
En tant que {{ official.function }}, vous pouvez faire avancer ces mesures. Nous aimerions \
connaître votre position sur chacune d'elles et, si vous les partagez, savoir si vous \
accepteriez de vous y engager publiquement. Nous nous tenons à votre disposition pour vous \
rencontrer et vous présenter nos propositions en détail.

Il vous suffit de répondre à ce courrier.

Vous remerciant de l'attention que vous porterez à nos demandes, nous restons à votre écoute.

"""
    + SIGNATURE
)

FOLLOW_UP_SUBJECT = "Relance : protéger les enfants en ligne, votre position nous importe"
FOLLOW_UP_BODY = (
    """\
{{ official.salutation }},

Nous nous sommes permis de vous écrire il y a quelques semaines au sujet de la protection des \
enfants contre l'exploitation sexuelle en ligne, et n'avons pas encore eu le plaisir de lire \
votre réponse.

Pour mémoire, nos demandes sont les suivantes :
{% for demand in demands %}
{{ demand.number }}. {{ demand.title }}
{% endfor %}
Quelques lignes suffisent pour nous dire lesquelles vous soutenez, celles sur lesquelles vous \
hésitez, ou vos réserves : votre réponse nous aidera à construire avec vous des solutions \
utiles aux enfants et à leurs familles. Nous restons disponibles pour un échange, \
{% if official.kind == "minister" %}à votre ministère{% else %}à votre permanence ou \
{{ "à l'Assemblée nationale" if official.kind == "deputy" else "au Sénat" }}{% endif %}.

"""
    + SIGNATURE
)

DEFAULTS = [
    (FIRST_LETTER_NAME, TemplatePurpose.first_letter, FIRST_LETTER_SUBJECT, FIRST_LETTER_BODY),
    (FOLLOW_UP_NAME, TemplatePurpose.follow_up, FOLLOW_UP_SUBJECT, FOLLOW_UP_BODY),
]


def seed_default_templates(session: Session) -> int:
    """Create the shipped templates that are missing (by name); returns how many were added."""
    existing = set(session.scalars(select(Template.name)))
    added = 0
    for name, purpose, subject, body in DEFAULTS:
        if name not in existing:
            create_template(
                session,
                name=name,
                purpose=purpose,
                subject=subject,
                body=body,
                actor=Actor.system("installation"),
            )
            added += 1
    return added
