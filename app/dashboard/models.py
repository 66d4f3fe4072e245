"""Indexes the directors' screen needs on other domains' tables (declared here, built by our
migration): outreach probes letters by official and status, and replies by official and date;
the median delay reads each replied letter's date from an index, not from the wide letter rows."""

from sqlalchemy import Index

from app.letters.models import Letter
from app.replies.models import Reply

LETTER_BY_OFFICIAL_STATUS = Index(
    "ix_letter_official_id_status_created_at", Letter.official_id, Letter.status, Letter.created_at
)
REPLY_BY_OFFICIAL_RECEIVED_AT = Index(
    "ix_reply_official_id_received_at", Reply.official_id, Reply.received_at, Reply.letter_id
)
LETTER_CREATED_AT_BY_ID = Index("ix_letter_id_created_at", Letter.id, Letter.created_at)
