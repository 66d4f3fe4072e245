"""Logs: JSON lines in production, readable lines locally, a request id on each, no e-mails."""

import logging
import re
import sys
from typing import Any

import structlog
from structlog.typing import EventDict, Processor

from app.config import LOCAL_HOSTS, Settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Their own access lines would print raw paths and client addresses: ours replace them.
QUIET = ("uvicorn.access",)


def mask_emails(_logger: Any, _method: str, event: EventDict) -> EventDict:
    """A supporter's address may hide in an SMTP error or an exception: never write one."""
    for key, value in event.items():
        if isinstance(value, str) and "@" in value:
            event[key] = EMAIL.sub("<adresse masquée>", value)
    return event


def use_json(settings: Settings) -> bool:
    if settings.log_format == "auto":
        return settings.host not in LOCAL_HOSTS
    return settings.log_format == "json"


def configure_logging(settings: Settings) -> None:
    """Route structlog and the standard library's loggers through one formatter on stderr."""
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    renderer: Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if use_json(settings)
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            mask_emails,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    for name in QUIET:
        logging.getLogger(name).disabled = True
