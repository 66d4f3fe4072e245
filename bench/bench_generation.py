"""Letter generation: every official of data/*.csv (about 960) in a fresh migrated SQLite database.

Times `generate_letters` for the whole segment (render, bulk insert of letters and events,
audit, commit), against a floor in the same run: `string.Template` filling the same letter for
the same officials, with no sandbox and no database.
Usage: python -m bench.bench_generation [repeats]
"""

import statistics
import string
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from app.campaigns.outreach import generate_letters
from app.config import Settings
from app.db import build_engine, unit_of_work
from app.demands.models import Demand
from app.letters.models import Letter
from app.officials.models import Official
from app.officials.sync import load_project_data
from app.security import Actor
from app.templating.context import french_date, official_view
from app.templating.defaults import FIRST_LETTER_NAME, seed_default_templates
from app.templating.models import Template
from bench.figures import Figure, backend_of, record
from bench.kit import fresh_database
from tests.factories import add_campaign, migrate

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor.system("bench")

# The shipped first letter, written for string.Template: loops and tests done beforehand.
PLAIN_SUBJECT = "Protéger les enfants en ligne : $count mesures attendues"
PLAIN_BODY = """\
Le $date

$full_name
$title

$salutation,

Chaque jour, des enfants sont exposés en ligne à la pornographie, au harcèlement et à \
l'exploitation sexuelle. Notre association les accompagne et constate que ces violences \
progressent plus vite que les moyens de les prévenir et de les poursuivre.

Nous portons auprès des parlementaires et du Gouvernement les demandes suivantes :
$demands
En tant que $title, vous pouvez faire avancer ces mesures. Nous aimerions \
connaître votre position sur chacune d'elles et, si vous les partagez, savoir si vous \
accepteriez de vous y engager publiquement. Nous nous tenons à votre disposition pour vous \
rencontrer et vous présenter nos propositions en détail.

Il vous suffit de répondre à ce courrier.

Vous remerciant de l'attention que vous porterez à ce courrier, nous restons à votre écoute.

$closing

$sender_name
$organisation
"""


def baseline(officials: list[Official], demands: list[Demand]) -> float:
    subject, body = string.Template(PLAIN_SUBJECT), string.Template(PLAIN_BODY)
    listed = "".join(f"\n{d.number}. {d.title} — {d.text_fr}\n" for d in demands)
    started = time.perf_counter()
    for official in officials:
        view = official_view(official)
        values = {
            **view,
            "count": len(demands),
            "demands": listed,
            "date": french_date(date.today()),
            "sender_name": "Bench",
            "organisation": "Plaidoyer",
        }
        subject.substitute(values)
        body.substitute(values)
    return time.perf_counter() - started


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as folder, fresh_database(Path(folder)) as url:
        migrate(url)
        engine = build_engine(url)
        settings = Settings(database_url=url, data_dir=Path(folder))
        with unit_of_work(engine) as session:
            load_project_data(session, ROOT / "data", ACTOR)
            seed_default_templates(session)
        with unit_of_work(engine) as session:
            officials = list(
                session.scalars(select(Official).where(Official.mandate_end.is_(None)))
            )
            demands = list(session.scalars(select(Demand).order_by(Demand.number)))
        floor = statistics.median(baseline(officials, demands) for _ in range(repeats))
        timings, created = [], 0
        for run in range(repeats):
            with unit_of_work(engine) as session:
                template_id = session.scalar(
                    select(Template.id).where(Template.name == FIRST_LETTER_NAME)
                )
                campaign = add_campaign(
                    session,
                    name=f"Bench {run}",
                    slug=f"bench-{run}",
                    first_template_id=template_id,
                    actor=ACTOR,
                )
            started = time.perf_counter()
            with unit_of_work(engine) as session:
                result = generate_letters(
                    session, campaign_id=campaign.id, actor=ACTOR, settings=settings
                )
            timings.append(time.perf_counter() - started)
            created = result.created
        with unit_of_work(engine) as session:
            stored = session.scalar(select(func.count(Letter.id)))
        engine.dispose()
    generation = statistics.median(timings)
    print(f"Élus en fonction : {len(officials)} ; courriers créés par passe : {created}")
    print(f"  dont e-mail {result.by_email}, courrier postal {result.by_post} (sans e-mail)")
    print(f"Plancher string.Template (sans base) : {floor * 1000:.1f} ms")
    print(
        f"generate_letters (bac à sable + insertion + audit + commit) : {generation * 1000:.1f} ms"
        f"  ({created / generation:.0f} courriers/s)"
    )
    print(f"Rapport : × {generation / floor:.1f} ; médiane de {repeats} passes ; {stored} en base")
    record(
        Figure(
            topic="generation",
            name=f"generate_letters, {created} courriers (bac à sable, insertion, audit)",
            value=generation * 1000,
            unit="ms",
            baseline_name="string.Template, sans base",
            baseline=floor * 1000,
            backend=backend_of(url),
            lower_is_better=True,
        )
    )


if __name__ == "__main__":
    main()
