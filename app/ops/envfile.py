"""deploy/plaidoyer.env: every setting, its default and its meaning, generated from Settings."""

import json

from pydantic import SecretStr

from app.config import Settings

MEANINGS: dict[str, str] = {
    "data_dir": (
        "Dossier des données (base SQLite, clé de session, e-mails en fichiers, métriques)."
    ),
    "database_url": (
        "Base de données (postgresql+psycopg://… en production ; vide : SQLite dans data_dir)."
    ),
    "host": "Adresse d'écoute ; hors 127.0.0.1, PLAIDOYER_SECRET_KEY devient obligatoire.",
    "port": "Port d'écoute du serveur web.",
    "secret_key": (
        "Clé de signature des sessions et de chiffrement des secrets TOTP, identique pour "
        "tous les processus (obligatoire en production ; la changer invalide les codes TOTP)."
    ),
    "public_url": "Adresse publique du site (https://…), utilisée dans les liens des e-mails.",
    "geocoder_url": "Service de géocodage des adresses (Géoplateforme de l'IGN).",
    "session_idle_minutes": "Durée d'inactivité avant la fin d'une session de l'équipe.",
    "session_absolute_hours": "Durée maximale d'une session, même active, avant de se reconnecter.",
    "login_max_failures": (
        "Échecs tolérés pour un compte depuis une même adresse IP dans la fenêtre ; au-delà, "
        "chaque nouvel essai sur ce compte attend de plus en plus longtemps."
    ),
    "login_ip_max_failures": "Échecs tolérés depuis une même adresse IP dans la fenêtre.",
    "login_delay_max_seconds": "Attente maximale imposée entre deux essais sur un même compte.",
    "login_window_minutes": "Fenêtre de comptage des échecs de connexion.",
    "totp_required_for_leaders": (
        "true : les administrateurs et la direction doivent activer la double authentification."
    ),
    "admin_email": "E-mail du premier compte administrateur créé par « plaidoyer setup ».",
    "admin_password": (
        "Mot de passe de ce premier compte (sinon tiré au hasard et affiché une fois)."
    ),
    "mail_backend": (
        "« smtp » pour envoyer réellement ; « file » écrit les e-mails dans data_dir/mail."
    ),
    "mail_from": "Expéditeur des e-mails.",
    "mail_reply_domain": "Domaine des adresses de réponse et des Message-ID.",
    "organisation_name": (
        "Nom de l'association (vide : le nom de l'expéditeur) ; valeur de départ, modifiable "
        "ensuite par un administrateur, comme les quatre suivantes."
    ),
    "organisation_address": "Adresse postale de l'association, lignes séparées par « | ».",
    "organisation_signatory": "Nom du signataire des courriers.",
    "organisation_signatory_title": "Qualité du signataire (« Présidente »…).",
    "organisation_footer": "Mention de bas de page (numéro RNA, SIRET…).",
    "smtp_host": "Serveur SMTP.",
    "smtp_port": "Port du serveur SMTP.",
    "smtp_security": "Chiffrement SMTP : none, starttls ou tls.",
    "smtp_user": "Identifiant SMTP (vide : pas d'authentification).",
    "smtp_password": "Mot de passe SMTP.",
    "smtp_timeout_seconds": "Délai d'attente d'une réponse du serveur SMTP.",
    "smtp_rate_per_minute": (
        "E-mails par minute et par processus d'envoi au plus (0 : sans limite)."
    ),
    "outbox_max_attempts": "Tentatives d'envoi avant qu'un e-mail passe en échec.",
    "outbox_batch_size": "E-mails réservés à la fois par un processus d'envoi.",
    "outbox_lease_seconds": "Durée de réservation d'un lot (plus du double du délai SMTP).",
    "outbox_backoff_seconds": "Premier délai avant une nouvelle tentative (doublé à chaque échec).",
    "outbox_backoff_max_seconds": "Délai maximal entre deux tentatives.",
    "worker": (
        "« off » : « plaidoyer serve » ne lance pas de processus d'envoi à côté du serveur."
    ),
    "chase_after_days": "Jours sans réponse avant qu'un courrier soit à relancer.",
    "ready_outbox_max_age_seconds": (
        "/api/ready répond 503 si un e-mail attend depuis plus longtemps."
    ),
    "ready_heartbeat_max_age_seconds": (
        "/api/ready répond 503 si des e-mails attendent et qu'aucun processus d'envoi ne "
        "s'est signalé depuis."
    ),
    "metrics_token": "Jeton (Bearer) pour lire /metrics depuis une autre machine que le serveur.",
    "log_format": "Journaux : json, console, ou auto (json dès que l'écoute n'est pas locale).",
    "log_level": "Niveau des journaux : DEBUG, INFO, WARNING, ERROR.",
    "redis_url": "Redis pour les limites de débit partagées (vide : la base de données).",
    "trusted_proxies": (
        "Adresses des mandataires (Caddy) dont on croit X-Forwarded-For, séparées par des virgules."
    ),
    "db_lock_timeout_seconds": (
        "Attente maximale d'un verrou par « plaidoyer db upgrade » sur PostgreSQL."
    ),
    "supporter_confirm_days": "Jours de validité du lien de confirmation envoyé au sympathisant.",
    "supporter_letter_retention_days": (
        "Jours après l'envoi au bout desquels le texte d'un courrier de sympathisant est effacé."
    ),
    "supporter_inactive_years": "Années d'inactivité avant l'anonymisation d'un sympathisant.",
    "supporter_letters_per_official_per_day": (
        "Courriers au plus d'une même adresse e-mail à un même élu par 24 heures."
    ),
    "supporter_requests_per_ip_per_hour": "Demandes publiques au plus par adresse IP et par heure.",
    "supporter_burst_letters": (
        "Courriers à un même élu au-delà desquels, dans la fenêtre, ils attendent une relecture."
    ),
    "supporter_burst_minutes": "Fenêtre (minutes) de la règle précédente.",
    "watch_dossiers_url": (
        "Export zip des dossiers législatifs de l'AN lu par « plaidoyer sync dossiers »."
    ),
    "watch_keywords": (
        "Mots-clés (liste JSON) des titres que la veille législative retient ; accents et"
        " majuscules ignorés."
    ),
    "public_scorecard": "Publie la page /engagements (positions validées des élus) : true, false.",
    "key_bodies": (
        "Organes clés (liste JSON de codes) : y siéger fait monter un élu dans « Qui relancer »."
    ),
}
HEADER = """\
# Plaidoyer : tous les réglages, leur valeur par défaut et leur sens.
# Fichier généré par « plaidoyer deploy env-file » depuis app/config.py : ne pas modifier à la main
# (un test le compare aux réglages). Copiez-le en /etc/plaidoyer/plaidoyer.env, puis décommentez
# et renseignez ce qui diffère du défaut : au moins DATABASE_URL, PLAIDOYER_SECRET_KEY,
# PLAIDOYER_PUBLIC_URL et les réglages SMTP.
"""


def _default(value: object) -> str:
    if value is None or isinstance(value, SecretStr):
        return ""
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def env_file() -> str:
    """The whole file's text."""
    blocks = [HEADER]
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        variable = alias if isinstance(alias, str) else f"PLAIDOYER_{name.upper()}"
        default = _default(field.get_default(call_default_factory=True))
        blocks.append(f"# {MEANINGS[name]}\n#{variable}={default}\n")
    return "\n".join(blocks)
