import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
AN_DOSSIERS_URL = (
    "https://data.assemblee-nationale.fr/static/openData/repository/17/loi/"
    "dossiers_legislatifs/Dossiers_Legislatifs.json.zip"
)
# Where the law on the demands is written: the AN's Délégation aux droits des enfants, its law
# and cultural affairs committees, the Sénat's law and culture committees.
KEY_BODIES = ["PO804431", "PO59051", "PO419604", "COM-LOIS", "COM-AFCL"]
# Titles the legislative watch looks for (accents and case ignored, any part of the title).
WATCH_KEYWORDS = [
    "protection de l'enfance", "protection des mineurs", "mineurs en ligne", "enfants en ligne",
    "pédocriminalité", "pédocriminel", "réseaux sociaux", "pornographie", "pornographique",
    "droit à l'image", "exploitation sexuelle",
]  # fmt: skip


class Settings(BaseSettings):
    """Settings from the environment: PLAIDOYER_*, plus PORT and DATABASE_URL."""

    model_config = SettingsConfigDict(env_prefix="PLAIDOYER_", extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = Field(default="", validation_alias="DATABASE_URL")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, validation_alias="PORT")
    secret_key: SecretStr | None = None
    public_url: str = ""
    geocoder_url: str = "https://data.geopf.fr/geocodage/search"
    session_idle_minutes: int = 120
    session_absolute_hours: int = 12
    # Failed sign-ins in the window: refused past the first limit for one account from one
    # address, past the second for one address; one account's failures from everywhere slow it
    # down (growing delays, capped) instead of locking it, so a stranger cannot lock a colleague.
    login_max_failures: int = 10
    login_ip_max_failures: int = 30
    login_delay_max_seconds: int = 60
    login_window_minutes: int = 15
    # The second factor (TOTP) is offered to everyone; with this on, admins and directors must
    # enrol before they can use anything else.
    totp_required_for_leaders: bool = False
    admin_email: str = "admin@plaidoyer.local"
    admin_password: SecretStr | None = None

    mail_backend: Literal["file", "smtp"] = "file"
    mail_from: str = "Plaidoyer <plaidoyer@localhost>"
    mail_reply_domain: str = "localhost"
    organisation_name: str = ""
    organisation_address: str = ""
    organisation_signatory: str = ""
    organisation_signatory_title: str = ""
    organisation_footer: str = ""
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 25
    smtp_security: Literal["none", "starttls", "tls"] = "none"
    smtp_user: str = ""
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = 30.0
    smtp_rate_per_minute: int = 0
    outbox_max_attempts: int = 8
    outbox_batch_size: int = 50
    outbox_lease_seconds: float = 300.0
    outbox_backoff_seconds: float = 30.0
    outbox_backoff_max_seconds: float = 3600.0
    chase_after_days: int = 21
    worker: Literal["on", "off"] = "on"
    supporter_confirm_days: int = 7
    supporter_letter_retention_days: int = 30
    supporter_inactive_years: int = 3
    supporter_letters_per_official_per_day: int = 2
    supporter_requests_per_ip_per_hour: int = 20
    supporter_burst_letters: int = 30
    supporter_burst_minutes: int = 10

    ready_outbox_max_age_seconds: float = 900.0
    ready_heartbeat_max_age_seconds: float = 120.0
    metrics_token: SecretStr | None = None
    log_format: Literal["auto", "console", "json"] = "auto"
    log_level: str = "INFO"
    redis_url: str = Field(default="", validation_alias="REDIS_URL")
    trusted_proxies: str = "127.0.0.1"
    db_lock_timeout_seconds: float = 5.0
    watch_dossiers_url: str = AN_DOSSIERS_URL
    watch_keywords: list[str] = Field(default_factory=lambda: list(WATCH_KEYWORDS))
    public_scorecard: bool = False
    key_bodies: list[str] = Field(default_factory=lambda: list(KEY_BODIES))

    @model_validator(mode="after")
    def _defaults_and_safety(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'plaidoyer.db'}"
        if self.host not in LOCAL_HOSTS and self.secret_key is None:
            raise ValueError(
                "PLAIDOYER_SECRET_KEY est obligatoire quand le serveur écoute ailleurs qu'en local."
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def secure_cookies(self) -> bool:
        # Behind a TLS proxy the app listens on loopback: the public URL says HTTPS is in use.
        return self.host not in LOCAL_HOSTS or self.public_url.startswith("https://")

    def session_secret(self) -> str:
        """The signing key: from the environment, else generated once into the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        key_file = self.data_dir / "secret_key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_urlsafe(48))
            key_file.chmod(0o600)
        return key_file.read_text().strip()


def invalid_settings_message(exc: ValidationError) -> str:
    """Why the environment was refused, in French, one reason per line."""
    reasons = []
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, ValueError):
            reasons.append(str(cause))
        else:
            name = ".".join(str(part) for part in error["loc"]) or "réglage"
            reasons.append(f"{name} : valeur refusée ({error['msg']}).")
    return "\n".join(reasons)


@lru_cache
def get_settings() -> Settings:
    return Settings()
