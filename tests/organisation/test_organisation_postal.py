"""The La Poste address block: 6 lines of 38 characters at most."""

import pytest

from app.errors import Invalid
from app.organisation.postal import checked_address, envelope_block


def test_long_lines_wrap_at_spaces_and_the_title_goes_when_room_is_short() -> None:
    block = envelope_block(
        name="Madame Marie-Pierre Vedrenne",
        title="Ministre déléguée chargée de l'enseignement et de la formation professionnels",
        address="Ministère de l'intérieur\nPlace Beauvau\n75800 Paris Cedex 08",
    )
    assert all(len(line) <= 38 for line in block.lines)
    assert block.lines[0] == "Madame Marie-Pierre Vedrenne"
    assert block.lines[-1] == "75800 Paris Cedex 08"
    assert len(block.lines) <= 6 and not block.overflow
    short = envelope_block(
        name="Monsieur Jean Modèle", title="Sénateur de l'Ain", address="15 rue de Vaugirard"
    )
    assert short.lines == ["Monsieur Jean Modèle", "Sénateur de l'Ain", "15 rue de Vaugirard"]


def test_an_address_too_long_for_the_window_is_flagged() -> None:
    block = envelope_block(name="M. X", title="", address="\n".join("abcdefg" for _ in range(6)))
    assert block.overflow and len(block.lines) == 7


def test_typed_addresses_are_tidied_and_checked() -> None:
    assert checked_address("  12  rue des Lilas \n\n 69003 Lyon ", field="a", max_lines=4) == (
        "12 rue des Lilas\n69003 Lyon"
    )
    with pytest.raises(Invalid, match="au plus 4"):
        checked_address("a\nb\nc\nd\ne", field="a", max_lines=4)
    with pytest.raises(Invalid, match="dépasse 38"):
        checked_address("x" * 39, field="a", max_lines=4)
