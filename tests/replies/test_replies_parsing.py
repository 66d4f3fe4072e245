"""Inbound e-mail parsing: headers, charsets, HTML bodies, size and garbage."""

import pytest

from app.errors import Invalid
from app.replies.parsing import MAX_MESSAGE_BYTES, TooLarge, html_to_text, parse_email


def test_latin1_body_and_encoded_subject_keep_their_accents() -> None:
    raw = (
        b"From: =?iso-8859-1?q?Fran=E7oise_L=E9ger?= <F.Leger@Assemblee-Nationale.fr>\r\n"
        b"To: Plaidoyer <plaidoyer+0123456789abcdef0123456789abcdef@reponses.example>\r\n"
        b"Subject: =?iso-8859-1?q?R=E9ponse_=E0_votre_courrier?=\r\n"
        b"Date: Tue, 24 Nov 2026 10:15:00 +0100\r\n"
        b"Message-ID: <abc@an.fr>\r\n"
        b"In-Reply-To: <plaidoyer.1@plaidoyer.example>\r\n"
        b"References: <x@y> <plaidoyer.1@plaidoyer.example>\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Madame, je suis favorable à la création d'enquêteurs spécialisés.\r\n".encode("latin-1")
    )
    email = parse_email(raw)
    assert email.sender == "f.leger@assemblee-nationale.fr"
    assert email.subject == "Réponse à votre courrier"
    assert email.body == "Madame, je suis favorable à la création d'enquêteurs spécialisés."
    assert email.message_id == "<abc@an.fr>"
    assert email.references == ["<plaidoyer.1@plaidoyer.example>", "<x@y>"]
    assert email.recipients == ["plaidoyer+0123456789abcdef0123456789abcdef@reponses.example"]
    assert email.date is not None and email.date.hour == 9


def test_utf8_quoted_printable_multipart_prefers_plain_text() -> None:
    raw = (
        b"From: senateur@senat.fr\r\nMessage-ID: <qp@senat.fr>\r\n"
        b"Subject: Re: Droit \xc3\xa0 l'image\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=B\r\n\r\n"
        b"--B\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n\r\n"
        b"Je m'engage =C3=A0 d=C3=A9poser un amendement. =E2=80=94 S=C3=A9nat\r\n"
        b"--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>HTML</p>\r\n--B--\r\n"
    )
    email = parse_email(raw)
    assert email.body == "Je m'engage à déposer un amendement. — Sénat"
    assert email.subject == "Re: Droit à l'image"


def test_html_only_body_becomes_text_without_scripts() -> None:
    raw = (
        b"From: a@b.fr\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
        b"<html><head><style>p{}</style><script>alert(1)</script></head>"
        b"<body><p>Bonjour&nbsp;Madame,</p><p>Nous soutenons &eacute;videmment.</p></body></html>"
    )
    assert parse_email(raw).body == "Bonjour Madame,\n\nNous soutenons évidemment."
    assert html_to_text("<b>a</b><br>b") == "a\nb"


def test_wrong_charset_declaration_does_not_lose_the_reply() -> None:
    raw = b"From: a@b.fr\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nd\xc3\xa9put\xc3\xa9"
    assert parse_email(raw).body == "député"


@pytest.mark.parametrize("raw", [b"", b"   \r\n", b"ceci n'est pas un e-mail", b"\x00\xff" * 50])
def test_garbage_is_refused_in_french(raw: bytes) -> None:
    with pytest.raises(Invalid) as error:
        parse_email(raw)
    assert "e-mail" in error.value.message or "vide" in error.value.message


def test_oversized_message_is_refused() -> None:
    with pytest.raises(TooLarge):
        parse_email(b"From: a@b.fr\r\n\r\n" + b"x" * MAX_MESSAGE_BYTES)
