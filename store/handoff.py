"""Passing a conversation to a person."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Handoff
from store.uow import UnitOfWork

DEFAULT_REASON = "the shopper asked for a person"
MAX_REASON_LENGTH = 200


def request_handoff(sender_id: str, reason: str, uow: UnitOfWork) -> int:
    """Put the conversation in the queue for a person (once: a waiting request is reused); returns its id."""
    if not sender_id or not str(sender_id).strip():
        raise ValueError("a handoff needs a sender id")
    waiting = uow.session.execute(
        select(Handoff).where(Handoff.sender_id == str(sender_id), Handoff.status == "waiting")
        .order_by(Handoff.id).limit(1)
    ).scalar_one_or_none()
    if waiting is not None:
        return waiting.id
    text = " ".join((reason or "").split()) if isinstance(reason, str) else ""
    handoff = Handoff(sender_id=str(sender_id), reason=(text or DEFAULT_REASON)[:MAX_REASON_LENGTH], status="waiting")
    uow.session.add(handoff)
    uow.commit()
    return handoff.id
