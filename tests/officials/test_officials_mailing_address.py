from app.officials.models import Official


def test_parliamentarians_without_address_are_written_to_at_their_chamber() -> None:
    senator = Official(kind="senator", postal_address="")
    deputy = Official(kind="deputy", postal_address="")
    minister = Official(kind="minister", postal_address="")
    assert "15 rue de Vaugirard" in senator.mailing_address
    assert "126 rue de l'Université" in deputy.mailing_address
    assert minister.mailing_address == ""


def test_a_known_address_wins() -> None:
    deputy = Official(kind="deputy", postal_address="Permanence\n1 place de la Mairie")
    assert deputy.mailing_address.startswith("Permanence")
