"""What users read for each stored value: every enum in French, gendered titles, real plurals.

Keys are the stored strings (the domain enums are StrEnums, so they look up the same).
"""

LETTER_STATUS = {
    "draft": "brouillon",
    "queued": "en file d'envoi",
    "sent": "envoyé",
    "delivered": "remis",
    "bounced": "rejeté",
    "failed": "échec",
    "replied": "répondu",
}
CHANNEL = {
    "email": "e-mail",
    "post": "courrier postal",
    "web_form": "formulaire public",
    "phone": "appel téléphonique",
    "meeting": "rendez-vous",
}
ROLE = {
    "admin": "Administrateur",
    "staff": "Équipe plaidoyer",
    "director": "Direction",
    "viewer": "Lecture seule",
}
POSITION = {
    "unknown": "Inconnue",
    "opposed": "Opposé·e",
    "undecided": "Indécis·e",
    "supportive": "Favorable",
    "committed": "Engagé·e (par écrit)",
    "acted": "A agi (question, amendement, vote, texte)",
}
EVIDENCE = {
    "reply": "Réponse à un courrier",
    "statement": "Déclaration publique",
    "meeting": "Rendez-vous",
    "question": "Question écrite ou orale",
    "amendment": "Amendement",
    "bill": "Proposition de loi (auteur ou cosignataire)",
    "vote": "Vote",
}
STANCE_STATUS = {"pending": "À valider", "approved": "Validée", "rejected": "Refusée"}
TEMPLATE_PURPOSE = {"first_letter": "Premier courrier", "follow_up": "Relance"}
MATCHED_BY = {
    "in_reply_to": "par In-Reply-To",
    "reply_address": "par l'adresse de réponse",
    "sender": "par l'expéditeur",
    "manual": "à la main",
    "report": "par le rapport de remise",
}
SUPPORTER_ACTION_STATUS = {
    "pending": "en attente de confirmation",
    "confirmed": "confirmée",
    "held": "retenue pour vérification",
    "expired": "expirée",
    "rejected": "refusée",
    "counted": "comptée (envoi depuis sa messagerie)",
}
REPLY_KIND = {
    "reply": "réponse",
    "auto_reply": "réponse automatique",
    "bounce": "rejet de remise",
    "delivery_notice": "avis de remise",
}
OUTBOX_STATUS = {"pending": "en attente", "sent": "envoyé", "failed": "échec"}
CHAMBER = {"an": "Assemblée nationale", "senat": "Sénat", "gouvernement": "Gouvernement"}

# The audit journal: what was done, to what, and the names of the fields it changed.
AUDIT_ACTION = {
    "create": "création",
    "update": "modification",
    "login": "connexion",
    "login_failed": "connexion refusée",
    "import": "import",
    "attach": "rattachement",
    "map": "mise en correspondance",
    "propose": "proposition",
    "approve": "validation",
    "reject": "refus",
    "undo": "annulation",
    "campaign.create": "création de campagne",
    "campaign.update": "modification de campagne",
    "campaign.pause": "pause ou reprise de campagne",
    "letters.generate": "préparation de courriers",
    "letters.send": "envoi de courriels",
    "letters.posted": "courriers postés",
    "letter.send": "envoi d'un courriel",
    "letter.status": "changement de statut",
    "letter.follow_up": "relance",
    "letter.log_contact": "appel ou rendez-vous consigné",
    "template.create": "création de modèle",
    "template.update": "nouvelle version de modèle",
    "supporter.erase": "effacement d'un sympathisant",
    "supporter.release": "libération de courriers retenus",
    "geography.load": "chargement de la géographie",
    "bounce": "adresse en échec de remise",
    "contact.override": "coordonnée corrigée par l'équipe",
    "contact.override.remove": "correction de coordonnée retirée",
    "ministry.address": "adresse de ministère",
    "organisation.update": "réglages de l'association",
    "organisation.logo": "logo de l'association",
    "password_changed": "mot de passe changé",
    "logout_everywhere": "déconnexion partout",
    "second_factor_failed": "code de double authentification refusé",
    "totp_enabled": "double authentification activée",
    "totp_disabled": "double authentification désactivée",
    "totp_reset": "double authentification réinitialisée par un administrateur",
    "recovery_codes": "nouveaux codes de secours",
}
AUDIT_OBJECT = {
    "user": "compte",
    "api_token": "jeton d'API",
    "official": "élu",
    "body": "organe",
    "campaign": "campagne",
    "letter": "courrier",
    "reply": "réponse",
    "stance": "position",
    "stance_batch": "lot de positions",
    "template": "modèle",
    "supporter": "sympathisant",
    "supporter_action": "action de sympathisant",
    "legislative_record": "texte ou scrutin",
    "geography": "géographie",
}
AUDIT_FIELD = {
    "email": "e-mail",
    "full_name": "nom",
    "name": "nom",
    "role": "rôle",
    "is_active": "actif",
    "user": "compte",
    "status": "statut",
    "detail": "détail",
    "comment": "commentaire",
    "channel": "canal",
    "sender": "expéditeur",
    "subject": "objet",
    "message_id": "Message-ID",
    "matched_by": "rattachement",
    "received_at": "reçue le",
    "letter_id": "courrier",
    "official_id": "élu",
    "campaign_id": "campagne",
    "demand_id": "demande",
    "demands": "demandes",
    "reply_id": "réponse",
    "batch_id": "lot",
    "position": "position",
    "evidence_kind": "preuve",
    "proposals": "propositions",
    "removed_stance_ids": "positions retirées",
    "slug": "adresse courte",
    "starts_on": "début",
    "ends_on": "fin",
    "is_paused": "en pause",
    "is_public": "publique",
    "targeting": "ciblage",
    "target_filter": "cible",
    "first_template_id": "premier courrier",
    "follow_up_template_id": "relance",
    "purpose": "usage",
    "version": "version",
    "created": "créés",
    "queued": "mis en file",
    "posted": "postés",
    "pending": "en attente",
    "post": "courrier postal",
    "follow_up_of": "relance du courrier",
    "mandate_start": "début de mandat",
    "uid": "identifiant",
    "files": "fichiers",
    "communes": "communes",
    "postal_codes": "codes postaux",
    "hash": "empreinte",
    "anonymised": "anonymisé",
}
# The vocabulary of a field's values; `status` depends on the object.
FIELD_VOCABULARY = {
    "role": "role",
    "channel": "channel",
    "position": "position",
    "evidence_kind": "evidence",
    "purpose": "template_purpose",
    "matched_by": "matched_by",
}
# Fields whose name means a different vocabulary on each object.
KIND_VOCABULARY = {"reply": "reply_kind"}
STATUS_VOCABULARY = {
    "letter": "letter_status",
    "stance": "stance_status",
    "supporter_action": "supporter_action_status",
}

VOCABULARIES: dict[str, dict[str, str]] = {
    "letter_status": LETTER_STATUS,
    "channel": CHANNEL,
    "role": ROLE,
    "position": POSITION,
    "evidence": EVIDENCE,
    "stance_status": STANCE_STATUS,
    "template_purpose": TEMPLATE_PURPOSE,
    "matched_by": MATCHED_BY,
    "supporter_action_status": SUPPORTER_ACTION_STATUS,
    "outbox_status": OUTBOX_STATUS,
    "reply_kind": REPLY_KIND,
    "chamber": CHAMBER,
    "audit_action": AUDIT_ACTION,
    "audit_object": AUDIT_OBJECT,
}

# Official kinds: (masculine, feminine, plural); the plural is also the neutral heading.
_KINDS = {
    "deputy": ("Député", "Députée", "Députés"),
    "senator": ("Sénateur", "Sénatrice", "Sénateurs"),
    "minister": ("Ministre", "Ministre", "Ministres"),
}
KIND_PLURAL = {kind: forms[2] for kind, forms in _KINDS.items()}


def label(value: object, vocabulary: str) -> str:
    """The French label of a stored value; the value itself if the vocabulary lacks it."""
    text = "" if value is None else str(value)
    return VOCABULARIES[vocabulary].get(text, text)


def kind_label(kind: str, civility: str = "") -> str:
    """« Députée » for Mme, « Sénateur » for M., the masculine generic when civility is unknown."""
    masculine, feminine, _ = _KINDS[str(kind)]
    return feminine if civility == "Mme" else masculine


def kind_plural(kind: str) -> str:
    """« Députés », « Sénateurs », « Ministres »: a heading over several officials."""
    return KIND_PLURAL[str(kind)]


def number(count: int) -> str:
    """« 961 », « 12 345 » (narrow no-break space between thousands, as French prints them)."""
    return f"{count:,}".replace(",", "\u202f")


def plural(count: int, singular: str, plural_form: str) -> str:
    """« 0 courrier préparé », « 1 courrier préparé », « 961 courriers préparés »."""
    return f"{number(count)} {singular if abs(count) < 2 else plural_form}"


def ordinal(number: int) -> str:
    """« 1re », « 2e », « 11e » (circonscriptions are feminine)."""
    return "1re" if number == 1 else f"{number}e"
