"""Request checks, each with one wording, failing with the family's code.

A service module declares its family's invalid-request code once:

    check = Checks(Code.CONCEPTS_INVALID_REQUEST)

and its handlers say what a request must hold (`check.required(...)`,
`check.each_once(...)`, `check.all_known(...)`, ...). The same mistake then
reads the same in every family, and only the code differs where the
reference's codes do.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence, Sized
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from clarifai.api import resources_pb2
from google.protobuf import unknown_fields
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from server import ids
from server.convert import nested_messages, sent_time
from server.status import ApiError, Code, not_found

T = TypeVar("T")
VISIBILITIES = frozenset(resources_pb2.Visibility.Gettable.values())


@dataclass(frozen=True)
class Checks:
    invalid_code: int = Code.CONN_INVALID_REQUEST
    # Where the reference reports an unknown object with a code of its own
    # (TASK_MISSING, ...); CONN_DOES_NOT_EXIST otherwise.
    missing_code: int = Code.CONN_DOES_NOT_EXIST

    def invalid(self, details: str) -> ApiError:
        return ApiError(self.invalid_code, details)

    def required(self, value: T, field: str) -> T:
        if not value:
            raise self.invalid(f"{field} is required")
        return value

    def batch(self, items: Sized, field: str) -> None:
        """The list a batch call acts on: at least one item. The most it may
        hold is in server/limits.py, checked before the handler runs."""
        if not len(items):
            raise self.invalid(f"{field}: at least one is required")

    def at_most(self, items: Sized, field: str, most: int) -> None:
        """A list of at most `most` items."""
        if len(items) > most:
            raise self.invalid(f"{field}: at most {most} per request, got {len(items)}")

    def text(self, value: str, field: str, most: int | None) -> str:
        """A string of at most `most` characters (None: any length)."""
        if most is not None and len(value) > most:
            raise self.invalid(f"{field}: at most {most} characters, got {len(value)}")
        return value

    def one_of(self, value: T, allowed: Collection[T], field: str, what: str = "") -> T:
        """An enum value (or any closed set): `what` names the set, e.g.
        "a visibility"; without it the allowed values are listed."""
        if value not in allowed:
            listed = what or "one of " + ", ".join(str(a) for a in allowed)
            raise self.invalid(f"{field} {value} is not {listed}")
        return value

    def visibility(self, gettable: int, field: str) -> int:
        """A sent `Visibility.gettable` as stored: one of the enum's values,
        unset (0) meaning PRIVATE."""
        self.one_of(gettable, VISIBILITIES, field, "a visibility")
        return gettable or resources_pb2.Visibility.PRIVATE

    def time(self, value: Timestamp, field: str) -> datetime:
        """A sent Timestamp as a datetime; one outside the Timestamp range
        (years 1 to 9999, nanos below a second) is refused."""
        return sent_time(value, field, self.invalid_code)

    def id(self, value: str, field: str) -> str:
        """A given id: present and of the reference's form."""
        return ids.check_id(value, field, self.invalid_code)

    def new_ids(self, given: Iterable[str], field: str) -> list[str]:
        """The ids of the objects a create call makes (`field` names the
        list, e.g. "concepts"): each given id checked, each missing one
        generated, none repeated."""
        out = [ids.id_or_new(v, f"{field}[{n}].id", self.invalid_code) for n, v in enumerate(given)]
        self.each_once(out, field + "[{n}].id", code=Code.DATABASE_DUPLICATE_KEY)
        return out

    def each_once(self, values: Sequence[T], at: str, *, code: int | None = None) -> None:
        """No value twice in one request; `at` names the n-th item, e.g.
        "concepts[{n}].id". The second one is reported."""
        first: dict[T, int] = {}
        for n, value in enumerate(values):
            if value in first:
                raise ApiError(
                    code or self.invalid_code,
                    f"{at.format(n=n)} '{value}' is repeated: a duplicate of "
                    f"{at.format(n=first[value])}",
                )
            first[value] = n

    def all_known(
        self,
        values: Sequence[str],
        known: Collection[str],
        kind: str,
        at: str,
    ) -> None:
        """Every value names a stored object (`kind`, e.g. "dataset");
        the first that does not fails the call, naming where it was sent."""
        for n, value in enumerate(values):
            if value not in known:
                raise self.missing(kind, value, at.format(n=n))

    def none_taken(
        self, ids: Sequence[str], made: Collection[str], kind: str, at: str, code: int | None = None
    ) -> None:
        """Every id of a create call was free: the first one that was not
        (`made` lacks it) fails the call, which writes nothing."""
        for n, ident in enumerate(ids):
            if ident not in made:
                raise ApiError(
                    code or Code.DATABASE_DUPLICATE_KEY,
                    f"{at.format(n=n)} '{ident}': a {kind} with this id already exists",
                )

    def found(self, row: T | None, kind: str, ident: str) -> T:
        """A looked-up object that must exist (`kind`, e.g. "dataset")."""
        if row is None:
            raise self.missing(kind, ident)
        return row

    def missing(self, kind: str, ident: str, at: str = "") -> ApiError:
        return ApiError(self.missing_code, not_found(kind, ident, at).details)

    def ids_or_all(self, ids: Sequence[str], delete_all: bool) -> list[str] | None:
        """What a Delete*s call removes: None for delete_all, else its ids
        (at least one); both at once is refused."""
        if delete_all:
            if ids:
                raise self.invalid("ids: give ids or delete_all, not both")
            return None
        if not ids:
            raise self.invalid("ids: give at least one id, or delete_all")
        return list(ids)

    def ids(self, values: Sequence[str], at: str) -> list[str]:
        """The ids an atomic call acts on: each given, and once."""
        for n, value in enumerate(values):
            self.required(value, at.format(n=n))
        self.each_once(values, at)
        return list(values)

    def implemented(self, message: Message, field: str) -> None:
        """Every field set in `message` (at any depth) is one this server
        declares. A gRPC client built from the whole reference can set fields
        our protos leave out; they arrive as unknown fields, which would
        otherwise be dropped without a word. The first is refused, by number
        (the only name it has here) and where it was sent."""
        found = next(_unknown_fields(message, field), None)
        if found is not None:
            where, number = found
            raise self.invalid(
                f"{where} carries field number {number}, which this server does not implement"
            )


def _unknown_fields(message: Message, path: str) -> Iterator[tuple[str, int]]:
    for unknown in unknown_fields.UnknownFieldSet(message):
        yield path, unknown.field_number
    for here, item in nested_messages(message, path):
        yield from _unknown_fields(item, here)
