"""`clarifai-local scaffold <family>`: the starting files of a new resource
family, in the house's shape.

Declare the family's RPCs in protos/ and run `make protos` first: the
scaffold names one handler after each declared RPC that mentions the
resource and has no handler yet. It writes the storage module (table,
list order, storage class), the wire module (row to proto), the service
module (the handlers, in the usual Get/List/Post/Patch/Delete shape) and
an integration test module, and refuses to overwrite a file. What is left
to do is printed: the fields, the store property, the migration.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from server import contract

ROOT = Path(__file__).resolve().parents[1]
_VERB = re.compile(r"^(Get|List|Post|Patch|Delete)(\w+)$")


@dataclass(frozen=True)
class Family:
    """Names of one family: `model_versions` → ModelVersion / ModelVersions."""

    module: str

    @property
    def plural(self) -> str:
        return "".join(part.capitalize() for part in self.module.split("_"))

    @property
    def singular(self) -> str:
        return self.plural[:-1] if self.plural.endswith("s") else self.plural

    @property
    def snake_singular(self) -> str:
        return self.module[:-1] if self.module.endswith("s") else self.module

    @property
    def storage_class(self) -> str:
        return f"{self.singular}Storage"


def rpcs_of(family: Family, handled: set[str]) -> list[str]:
    """The declared RPCs about the family that no handler serves yet."""
    names = {family.singular, family.plural}
    return sorted(
        name
        for name in contract.methods()
        if name not in handled and (m := _VERB.match(name)) and m[2] in names
    )


def write(family: Family, rpcs: list[str], root: Path = ROOT) -> list[Path]:
    files = {
        root / "storage" / f"{family.module}.py": _storage(family),
        root / "server" / "wire" / f"{family.module}.py": _wire(family),
        root / "server" / "services" / f"{family.module}.py": _service(family, rpcs),
        root / "tests" / "integration" / f"test_{family.module}.py": _tests(family, rpcs),
    }
    taken = [p for p in files if p.exists()]
    if taken:
        raise FileExistsError(f"would overwrite {', '.join(map(str, taken))}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if importlib.util.find_spec("ruff") is not None:  # a development install: tidy the files
        for args in (["check", "--fix-only", "--quiet"], ["format", "--quiet"]):
            subprocess.run([sys.executable, "-m", "ruff", *args, *map(str, files)], check=False)
    return list(files)


def next_steps(family: Family) -> str:
    return f"""next:
  - the {family.singular} fields: storage/{family.module}.py, server/wire/{family.module}.py
  - storage/store.py: a `{family.module}` property giving {family.storage_class}
  - storage/schema.py: import storage.{family.module}
  - clarifai-local revision -m "{family.module}" (then read the migration)
  - make test: the layout, drift and contract tests say what is still missing"""


def _storage(f: Family) -> str:
    s = f.singular
    return f'''"""{f.plural}: ..."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Identity, Index, UniqueConstraint, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from storage import listing
from storage.base import Base, Timestamps, any_of
from storage.listing import Order, Page
from storage.scoped import AppScoped


class {s}(Timestamps, Base):
    __tablename__ = "{f.module}"
    __table_args__ = (
        UniqueConstraint("app_pk", "id"),
        Index(None, "app_pk", "created_at", "pk"),
    )

    pk: Mapped[int] = mapped_column(Identity(), primary_key=True)
    app_pk: Mapped[int] = mapped_column(ForeignKey("apps.pk", ondelete="CASCADE"))
    id: Mapped[str]


LIST = Order("List{f.plural}", scope=[{s}.app_pk], columns=[{s}.created_at, {s}.pk])


class {f.storage_class}(AppScoped[{s}]):
    """The app's {f.module.replace("_", " ")}."""

    model = {s}

    async def page(self, at: Page) -> list[{s}]:
        query = select({s}).where({s}.app_pk == self.app.pk)
        return await listing.page(self.session, query, LIST, at)

    async def update(self, row: {s}, values: dict) -> None:
        for name, value in values.items():
            setattr(row, name, value)
        await self.session.flush()

    async def delete(self, ids: list[str]) -> None:
        await self.session.execute(
            delete({s}).where({s}.app_pk == self.app.pk, {s}.id == any_of(ids))
        )
'''


def _wire(f: Family) -> str:
    return f'''"""{f.plural} on the wire."""

from __future__ import annotations

from clarifai.api import resources_pb2

from server.convert import ts
from storage.{f.module} import {f.singular}


def {f.snake_singular}(row: {f.singular}) -> resources_pb2.{f.singular}:
    return resources_pb2.{f.singular}(
        id=row.id, created_at=ts(row.created_at), modified_at=ts(row.modified_at)
    )
'''


def _service(f: Family, rpcs: list[str]) -> str:
    bodies = "\n\n".join(_handler(f, name) for name in rpcs)
    return f'''"""{_listed(rpcs)}."""

from __future__ import annotations

from clarifai.api import service_pb2
from clarifai.api.status import status_pb2

from server import patch
from server.checks import Checks
from server.dispatch import Call
from server.pagination import page_of
from server.services import rpc
from server.wire import {f.module} as wire

check = Checks()
SPEC = patch.Spec("{f.module}", (patch.OVERWRITE,))


{bodies}
'''


def _handler(f: Family, name: str) -> str:
    verb = _VERB.match(name)[1]  # type: ignore[index]
    store = f"call.store.{f.module}"
    build = f"wire.{f.snake_singular}"
    id_field = f"{f.snake_singular}_id"
    body = {
        "Get": f"""    ident = check.required(request.{id_field}, "{id_field}")
    row = check.found(await {store}.get(ident), "{f.snake_singular}", ident)
    return service_pb2.Single{f.singular}Response({f.snake_singular}={build}(row))""",
        "List": f"""    rows = await {store}.page(page_of(request))
    return service_pb2.Multi{f.singular}Response({f.module}=[{build}(r) for r in rows])""",
        "Post": f"""    check.batch(request.{f.module}, "{f.module}")
    ids = check.new_ids((sent.id for sent in request.{f.module}), "{f.module}")
    made = await {store}.create([{{"id": i}} for i in ids])
    check.none_taken(ids, made, "{f.snake_singular}", "{f.module}[{{n}}].id")
    return service_pb2.Multi{f.singular}Response({f.module}=[{build}(r) for r in made.values()])""",
        "Patch": f"""    SPEC.check(request.action)
    check.batch(request.{f.module}, "{f.module}")
    ids = check.ids([sent.id for sent in request.{f.module}], "{f.module}[{{n}}].id")
    stored = await {store}.get_many(ids)
    check.all_known(ids, stored, "{f.snake_singular}", "{f.module}[{{n}}].id")
    for sent in request.{f.module}:
        row = stored[sent.id]
        await {store}.update(row, patch.apply(request.action, {{}}, {{}}, SPEC))
    return service_pb2.Multi{f.singular}Response({f.module}=[{build}(stored[i]) for i in ids])""",
        "Delete": f"""    check.batch(request.ids, "ids")
    ids = check.ids(list(request.ids), "ids[{{n}}]")
    check.all_known(ids, await {store}.existing_ids(ids), "{f.snake_singular}", "ids[{{n}}]")
    await {store}.delete(ids)
    return status_pb2.BaseResponse()""",
    }[verb]
    return f"""@rpc
async def {name}(call: Call, request: service_pb2.{name}Request):
{body}
"""


def _tests(f: Family, rpcs: list[str]) -> str:
    cases = "\n".join(
        f"""
    async def test_{_snake(name)}(self, stub, account):
        res = await stub.{name}(s.{name}Request(), metadata=account.key_md)
        assert res.status.code == sc.SUCCESS, res.status
"""
        for name in rpcs
    )
    return f'''"""Over gRPC against the real server:
{_listed(rpcs)}.
"""

from __future__ import annotations

from clarifai.api import service_pb2 as s
from clarifai.api.status import status_code_pb2 as sc


class Test{f.plural}:{cases}'''


def _listed(rpcs: list[str]) -> str:
    return "\n".join(textwrap.wrap(", ".join(rpcs), 90))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
