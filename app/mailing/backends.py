"""Where messages go: an SMTP server (one connection reused while there is work) or a folder."""

import os
from pathlib import Path
from typing import Protocol

import aiosmtplib

from app.config import Settings
from app.mailing.message import Outgoing, eml_filename


class SendError(Exception):
    """A message did not leave. `permanent`: the server refused it for good (5xx); `code`: the
    server's reply code, when it answered."""

    def __init__(
        self,
        detail: str,
        *,
        permanent: bool,
        connection_lost: bool = False,
        code: int | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent
        self.connection_lost = connection_lost
        self.code = code


class Backend(Protocol):
    async def send(self, message: Outgoing) -> None: ...

    async def close(self) -> None: ...


def _answer(code: int, text: str) -> SendError:
    return SendError(f"{code} {text}".strip(), permanent=500 <= code < 600, code=code)


class SmtpBackend:
    """Sends over aiosmtplib; connects lazily and keeps the connection for the next message."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: aiosmtplib.SMTP | None = None

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        s = self.settings
        client = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            timeout=s.smtp_timeout_seconds,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            username=s.smtp_user or None,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
        )
        await client.connect()
        self._client = client
        return client

    async def send(self, message: Outgoing) -> None:
        """Hand one message to the server, or raise SendError saying whether to retry."""
        try:
            client = await self._connected()
            await client.sendmail(message.sender, message.recipients, message.data)
        except aiosmtplib.SMTPRecipientsRefused as exc:
            first = exc.recipients[0]
            await self._reset()
            raise _answer(first.code, first.message) from exc
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPServerDisconnected) as exc:
            await self.close()
            raise SendError(
                f"Serveur SMTP injoignable : {exc}", permanent=False, connection_lost=True
            ) from exc
        except aiosmtplib.SMTPTimeoutError as exc:
            await self.close()
            raise SendError(
                f"Délai dépassé : {exc}", permanent=False, connection_lost=True
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            raise _answer(exc.code, exc.message) from exc
        except (OSError, aiosmtplib.SMTPException) as exc:
            await self.close()
            raise SendError(f"Erreur SMTP : {exc}", permanent=False, connection_lost=True) from exc

    async def _reset(self) -> None:
        # After a refusal the session may sit mid-transaction; start the next one clean.
        if self._client is None or not self._client.is_connected:
            return
        try:
            await self._client.rset()
        except aiosmtplib.SMTPException:
            await self.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except aiosmtplib.SMTPException:
            client.close()


class FileBackend:
    """Writes each message to `<folder>/<message-id>.eml`; resending overwrites, never doubles."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: Outgoing) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / eml_filename(message.message_id)
        partial = target.with_suffix(".eml.part")
        # Files on disk use plain newlines, as mail clients expect of an .eml.
        partial.write_bytes(message.data.replace(b"\r\n", b"\n"))
        os.replace(partial, target)

    async def close(self) -> None:
        return None


def backend_for(settings: Settings) -> Backend:
    """The backend chosen by PLAIDOYER_MAIL_BACKEND."""
    if settings.mail_backend == "smtp":
        return SmtpBackend(settings)
    return FileBackend(settings.mail_dir)
