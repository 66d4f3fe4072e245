"""Every stored value users can see has a French label; titles agree with the person; plurals
are real ones."""

import pytest

from app import labels
from app.letters.models import Channel, LetterStatus
from app.mailing.models import OutboxStatus
from app.officials.models import OfficialKind
from app.replies.models import MatchedBy
from app.stances.models import EvidenceKind, Position, StanceStatus
from app.supporters.models import ActionStatus
from app.templating.models import TemplatePurpose
from app.users.models import Role


@pytest.mark.parametrize(
    ("enum", "vocabulary"),
    [
        (LetterStatus, "letter_status"),
        (Channel, "channel"),
        (Role, "role"),
        (Position, "position"),
        (EvidenceKind, "evidence"),
        (StanceStatus, "stance_status"),
        (TemplatePurpose, "template_purpose"),
        (MatchedBy, "matched_by"),
        (ActionStatus, "supporter_action_status"),
        (OutboxStatus, "outbox_status"),
    ],
)
def test_every_enum_value_has_a_label(enum: type, vocabulary: str) -> None:
    assert set(labels.VOCABULARIES[vocabulary]) == {member.value for member in enum}
    for member in enum:
        assert labels.label(member, vocabulary) != member.value


def test_unknown_values_pass_through_and_none_is_empty() -> None:
    assert labels.label("ancien", "channel") == "ancien"
    assert labels.label(None, "channel") == ""


@pytest.mark.parametrize(
    ("kind", "civility", "title"),
    [
        ("deputy", "Mme", "Députée"),
        ("deputy", "M.", "Député"),
        ("senator", "Mme", "Sénatrice"),
        ("senator", "M.", "Sénateur"),
        ("minister", "Mme", "Ministre"),
        ("senator", "", "Sénateur"),
    ],
)
def test_titles_agree_with_the_person(kind: str, civility: str, title: str) -> None:
    assert labels.kind_label(kind, civility) == title


def test_every_kind_has_a_title_and_a_plural() -> None:
    for kind in OfficialKind:
        assert labels.kind_label(kind) and labels.kind_plural(kind).endswith("s")


@pytest.mark.parametrize(
    ("count", "text"),
    [
        (0, "0 courrier préparé"),
        (1, "1 courrier préparé"),
        (2, "2 courriers préparés"),
        (961, "961 courriers préparés"),
        (12345, "12\u202f345 courriers préparés"),
    ],
)
def test_real_plurals(count: int, text: str) -> None:
    assert labels.plural(count, "courrier préparé", "courriers préparés") == text
