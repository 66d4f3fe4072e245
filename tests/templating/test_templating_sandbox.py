from datetime import date

import pytest

from app.errors import Invalid
from app.officials.models import Official
from app.templating.context import (
    french_date,
    official_view,
    render_letters,
    template_problems,
    validate_template,
)

SSTI_PAYLOADS = [
    "{{ official.__class__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ range(10**9)|list }}",
    "{{ 'a' * 10**9 }}",
    "{{ [1] * 100000000 }}",
    "{{ official.salutation.format.__globals__ }}",
    "{{ '{0.__class__.__base__}'.format(official.title) }}",
    "{{ official.first_name|attr('__class__') }}",
    "{{ demands|attr('__class__') }}",
    "{% for d in demands %}{{ d|selectattr('__class__')|list }}{% endfor %}",
    "{{ demands.append(1) }}",
    "{{ official.update({'a': 1}) }}",
    "{{ demands.__len__() }}",
    "{{ official.title.__class__.__base__.__subclasses__() }}",
    "{{ date.__class__ }}",
    "{% set x = official.__class__ %}{{ x }}",
    "{{ ()|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ 'x'|format(1) }}",
    "{{ 'abc'|center(1000000000) }}",
    "{% for a in demands %}{% for b in demands %}{% for c in demands %}{% for d in demands %}"
    "x{% endfor %}{% endfor %}{% endfor %}{% endfor %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{% extends '/etc/passwd' %}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_escape_payloads_are_refused_with_a_clear_error(payload: str) -> None:
    problems = template_problems("Objet", payload)
    assert problems, payload
    with pytest.raises(Invalid) as caught:
        validate_template("Objet", payload)
    assert caught.value.message.startswith("Modèle invalide.")


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_escape_payloads_never_render_even_without_validation(payload: str) -> None:
    with pytest.raises(Invalid):
        render_letters(
            subject="Objet",
            body=payload,
            officials=[{"title": "t"}],
            demands=[{"number": 1, "title": "t", "text": "x"}],
            sender={},
            day=date(2026, 1, 1),
        )


def test_unknown_variable_is_reported_with_its_line() -> None:
    problems = template_problems("Objet", "Bonjour,\n\n{{ offical.last_name }}\n")
    assert [str(p) for p in problems] == [
        "Ligne 3 du corps : la variable « offical » n'existe pas."
    ]


def test_unknown_attribute_is_reported_with_its_line() -> None:
    problems = template_problems("Objet", "a\nb\nc\n{{ official.prenom }}")
    assert [str(p) for p in problems] == ["Ligne 4 du corps : l'attribut « prenom » n'existe pas."]


def test_syntax_error_in_the_subject_is_reported_with_its_line() -> None:
    problems = template_problems("Objet {{ official.last_name ", "corps")
    assert len(problems) == 1
    assert str(problems[0]).startswith("Ligne 1 de l'objet : erreur de syntaxe")


def test_syntax_error_in_the_body_gives_the_line() -> None:
    with pytest.raises(Invalid, match="Ligne 3 du corps : erreur de syntaxe"):
        validate_template("Objet", "a\nb\n{% for d in demands %}\n")


def test_a_subject_on_two_lines_is_refused() -> None:
    with pytest.raises(Invalid, match="une seule ligne"):
        validate_template("Objet\n{{ official.last_name }}\nBcc: x", "corps")


def test_a_full_letter_renders_with_addressing_demands_and_date() -> None:
    official = Official(
        kind="senator",
        civility="Mme",
        first_name="Florence",
        last_name="Blatrix Contat",
        group_name="SER",
        group_code="SOC",
        department_code="01",
        department_name="Ain",
        circonscription=None,
        portfolio="",
    )
    body = (
        "{{ official.salutation }},\n{% for d in demands %}{{ d.number }}. {{ d.title }}\n"
        "{% endfor %}{{ official.title }} — {{ date }}\n{{ official.closing }}\n{{ sender.name }}"
    )
    [(subject, text)] = render_letters(
        subject="Pour {{ official.full_name }}",
        body=body,
        officials=[official_view(official)],
        demands=[{"number": 1, "title": "Sensibilisation", "text": "Une campagne."}],
        sender={"name": "Léa Martin", "organisation": "L'association"},
        day=date(2026, 11, 23),
    )
    assert subject == "Pour Florence Blatrix Contat"
    assert text == (
        "Madame la Sénatrice,\n1. Sensibilisation\nSénatrice de l'Ain — 23 novembre 2026\n"
        "Je vous prie d'agréer, Madame la Sénatrice, l'expression de ma haute considération.\n"
        "Léa Martin"
    )


def test_french_dates() -> None:
    assert french_date(date(2026, 11, 23)) == "23 novembre 2026"
    assert french_date(date(2027, 5, 1)) == "1er mai 2027"
    assert french_date(date(2027, 8, 15)) == "15 août 2027"
