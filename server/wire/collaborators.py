"""Collaborators and collaborations on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from server.wire.apps import app_proto
from server.wire.users import user_proto
from storage.apps import App
from storage.collaborators import Collaborator
from storage.users import User


def collaborator_proto(c: Collaborator, app: App, user: User | None) -> resources_pb2.Collaborator:
    return resources_pb2.Collaborator(
        id=c.id,
        app=app_proto(app),
        user=user_proto(user) if user else resources_pb2.User(id=c.user_id),
        scopes=c.scopes,
        endpoints=c.endpoints,
        created_at=ts(c.created_at),
        modified_at=ts(c.modified_at),
        deleted_at=ts(c.deleted_at),
    )


def collaboration_proto(c: Collaborator, app: App, owner: User) -> resources_pb2.Collaboration:
    """An app shared with the caller, as the caller sees it."""
    return resources_pb2.Collaboration(
        app=app_proto(app),
        app_owner=user_proto(owner),
        scopes=c.scopes,
        endpoints=c.endpoints,
        created_at=ts(c.created_at),
    )
