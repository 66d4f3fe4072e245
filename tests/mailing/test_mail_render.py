"""The hand-built message bytes, read back by the standard library as a mail client would."""

from email.parser import BytesParser
from email.policy import default

import pytest

from app.db import utcnow
from app.errors import Invalid
from app.mailing.message import render
from app.mailing.outbox import Claimed

LONG_SUBJECT = (
    "Protection de l'enfance en ligne : nos quatre demandes n°12, « très » attendues, "
    "sur la vérification de l'âge, la majorité numérique et l'éducation aux écrans"
)
BODY = (
    "Madame la Députée,\r\nUne ligne CRLF.\rUne ligne CR.\n\n"
    "Espaces finales   \n\tTabulation en tête\n.\n.point en tête\nÉgal = 3D ?\n"
    + "Une très longue ligne sans retour " * 12
    + "\nFin."
)


def claimed(**values: str) -> Claimed:
    fields: dict[str, str] = {
        "message_id": "<plaidoyer.0123@asso.example>",
        "from_address": "Association Protégeons l'Enfance <contact@asso.example>",
        "to_address": '"Dupré, Éloïse (Mme)" <eloise.dupre@assemblee-nationale.fr>',
        "reply_to": "contact+abc@reponses.asso.example",
        "subject": LONG_SUBJECT,
        "body": BODY,
        **values,
    }
    now = utcnow().replace(microsecond=0)
    return Claimed(id=1, letter_id=None, attempts=0, next_attempt_at=now, created_at=now, **fields)


def test_tricky_headers_and_body_read_back_unchanged() -> None:
    row = claimed()
    message = render(row)

    head, _ = message.data.split(b"\r\n\r\n", 1)
    assert message.data.isascii() and all(len(line) <= 78 for line in head.split(b"\r\n"))
    assert b"\n" not in message.data.replace(b"\r\n", b"")
    assert (message.sender, message.recipients) == (
        "contact@asso.example",
        ["eloise.dupre@assemblee-nationale.fr"],
    )
    parsed = BytesParser(policy=default).parsebytes(message.data)
    assert parsed["Subject"] == LONG_SUBJECT
    assert parsed["Message-ID"] == row.message_id
    assert parsed["Date"].datetime == row.created_at
    sender, to = parsed["From"].addresses[0], parsed["To"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Association Protégeons l'Enfance",
        "contact@asso.example",
    )
    assert (to.display_name, to.addr_spec) == (
        "Dupré, Éloïse (Mme)",
        "eloise.dupre@assemblee-nationale.fr",
    )
    assert parsed["Reply-To"].addresses[0].addr_spec == "contact+abc@reponses.asso.example"
    assert parsed.get_content_charset() == "utf-8"
    expected = BODY.replace("\r\n", "\n").replace("\r", "\n") + "\n"
    assert parsed.get_content().replace("\r\n", "\n") == expected  # type: ignore[attr-defined]


def test_plain_ascii_headers_stay_readable() -> None:
    message = render(claimed(subject="Hello", to_address="Jean Dupont <jd@example.fr>"))
    assert b"\r\nSubject: Hello\r\n" in message.data
    assert b"\r\nTo: Jean Dupont <jd@example.fr>\r\n" in message.data


@pytest.mark.parametrize(
    "values",
    [{"subject": "Objet\r\nBcc: x@example.com"}, {"to_address": "élo@exemple.fr"}],
    ids=["line-break", "non-ascii-address"],
)
def test_unsendable_rows_are_refused(values: dict[str, str]) -> None:
    with pytest.raises(Invalid):
        render(claimed(**values))


def test_a_bulk_message_offers_one_click_unsubscribe() -> None:
    url = "https://plaidoyer.example/agir/desabonnement/abc.def"
    parsed = BytesParser(policy=default).parsebytes(render(claimed(list_unsubscribe=url)).data)
    assert parsed["List-Unsubscribe"] == f"<{url}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    letter = BytesParser(policy=default).parsebytes(render(claimed()).data)
    assert letter["List-Unsubscribe"] is None and letter["List-Unsubscribe-Post"] is None
    with pytest.raises(Invalid):
        render(claimed(list_unsubscribe=url + "\r\nBcc: x@y.z"))
