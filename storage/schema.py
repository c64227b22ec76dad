"""Every table, imported in one place for migrations and for `reset`."""

from __future__ import annotations

from storage import apps, collaborators, keys, users  # noqa: F401  (registers tables)
from storage.base import Base

metadata = Base.metadata
