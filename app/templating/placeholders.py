"""What the editor's buttons insert: each variable a template may use, named in French."""

PLACEHOLDERS: tuple[tuple[str, str], ...] = (
    ("Formule d'appel", "{{ official.salutation }}"),
    ("Prénom et nom", "{{ official.full_name }}"),
    ("Titre", "{{ official.title }}"),
    ("Fonction dans une phrase", "{{ official.function }}"),
    ("Groupe", "{{ official.group }}"),
    ("Département", "{{ official.department }}"),
    ("Liste des demandes",
     "{% for demand in demands %}\n{{ demand.number }}. {{ demand.title }}\n{% endfor %}"),
    ("Date", "{{ date }}"),
    ("Formule de politesse (nous)", "{{ official.closing_nous }}"),
    ("Formule de politesse (je)", "{{ official.closing }}"),
    ("Signataire", "{{ sender.signatory }}"),
    ("Qualité du signataire", "{{ sender.signatory_title }}"),
    ("Association", "{{ sender.organisation }}"),
    ("Adresse de l'association", "{{ sender.address }}"),
)  # fmt: skip
