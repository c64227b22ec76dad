"""The declarative base every table shares."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import BigInteger, DateTime, MetaData, any_, bindparam, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import Text, TypeEngine

if TYPE_CHECKING:
    pass

T = TypeVar("T")

# Named constraints, so migrations can find them again. A name spells all of
# its columns (`%(column_0_N_name)s` joins them with "_"), so two constraints
# on one table never share a name by sharing a first column. A generated name
# longer than PostgreSQL's 63 characters is cut by SQLAlchemy when it renders
# DDL: its first 55 characters, "_", and the last 4 hex digits of the full
# name's md5, the same on every run (and Alembic compares the cut name).
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {
        dict[str, Any]: JSONB,
        list[str]: ARRAY(Text),
        datetime: DateTime(timezone=True),
        int: BigInteger,
        str: Text,
    }


class Timestamps:
    """created_at and modified_at, kept by the database.

    The flush reads them back with RETURNING (eager_defaults), also after an
    UPDATE that sets modified_at to now(), so a handler can answer with the
    rows it wrote without reloading each one."""

    __mapper_args__ = {"eager_defaults": True}

    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    modified_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())


def any_of(values: Iterable[str]) -> Any:
    """`= ANY(array)`: one parameter, so the SQL text is the same for any
    number of values (IN (...) would render one placeholder per value)."""
    return any_(bindparam(None, sorted(set(values)), type_=ARRAY(Text)))


def any_param(name: str, of: type[TypeEngine[Any]] = Text) -> Any:
    """`= ANY(:name)`, its array (of ids, or of `of`: BigInteger for pks)
    given when the statement runs: for statements built once."""
    return any_(bindparam(name, type_=ARRAY(of)))


def id_table(name: str, ids: Iterable[str]) -> Any:
    """A table `name(id)` of these ids, in one parameter (unnest of an
    array): one query counts or checks for each of them."""
    array = bindparam(None, list(dict.fromkeys(ids)), type_=ARRAY(Text))
    return func.unnest(array).table_valued("id").render_derived(name=name)
