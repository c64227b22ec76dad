"""Differences between our contract and the reference's, read from descriptors.

Both sides come as FileDescriptorProtos (the reference's from its own process,
ours from generated/). Our files declare a subset of the reference, so every
rule below is about what WE declare:

- A message, enum, service, RPC or extension whose full name the reference
  uses must be the same kind of thing, nested in the same place, and equal it
  in everything we declare: each field's number, type, type_name, label,
  oneof (proto3 `optional` included) and options; each enum value's number and
  options; each RPC's input and output types, streaming, options (routes with
  every additional binding and body, cl_auth_type, cl_depending_scopes in the
  reference's order, cl_private_rpc); each message's and enum's options.
- A declared reference message or enum keeps the reference's reserved numbers
  and names, except those we reuse for an added field or value, and reserves
  nothing the reference does not.
- Additions are allowed under names the reference does not use; a field or
  enum value added to a reference type takes a number the reference leaves
  free (its reserved numbers count as free). An added RPC takes no route the
  reference gives another RPC.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

# Imported for their side effect: the options' extensions (auth, REST
# routes, field visibility) then parse as known fields on both sides.
from clarifai.api.utils import extensions_pb2  # noqa: F401
from clarifai.auth.util import extension_pb2  # noqa: F401
from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor_pb2 as dpb
from google.protobuf import text_format, unknown_fields
from google.protobuf.message import Message

Files = Iterable[dpb.FileDescriptorProto]
HTTP = f"({annotations_pb2.http.full_name})"


@dataclass
class Index:
    """Every named thing in a set of files, by full name (no leading dot)."""

    messages: dict[str, dpb.DescriptorProto] = field(default_factory=dict)
    enums: dict[str, dpb.EnumDescriptorProto] = field(default_factory=dict)
    services: dict[str, dpb.ServiceDescriptorProto] = field(default_factory=dict)
    extensions: dict[str, dpb.FieldDescriptorProto] = field(default_factory=dict)
    # Where each message or enum sits: "package p" or "message M".
    parent: dict[str, str] = field(default_factory=dict)

    def tables(self) -> dict[str, dict]:
        return {
            "message": self.messages,
            "enum": self.enums,
            "service": self.services,
            "extension": self.extensions,
        }

    def kind(self, name: str) -> str | None:
        return next((kind for kind, table in self.tables().items() if name in table), None)

    def routes(self) -> dict[str, str]:
        """Each REST route (verb and path) to the RPC that serves it."""
        out: dict[str, str] = {}
        for sname, service in self.services.items():
            for method in service.method:
                for route in http_rules(method.options.Extensions[annotations_pb2.http]):
                    out.setdefault(_verb_and_path(route), f"{sname}.{method.name}")
        return out


def index(files: Files) -> Index:
    idx = Index()

    def add_message(msg: dpb.DescriptorProto, scope: str, parent: str) -> None:
        name = f"{scope}.{msg.name}" if scope else msg.name
        idx.messages[name] = msg
        idx.parent[name] = parent
        for nested in msg.nested_type:
            add_message(nested, name, f"message {name}")
        for enum in msg.enum_type:
            idx.enums[f"{name}.{enum.name}"] = enum
            idx.parent[f"{name}.{enum.name}"] = f"message {name}"
        for ext in msg.extension:
            idx.extensions[f"{name}.{ext.name}"] = ext

    for file in files:
        pkg = file.package
        prefix = f"{pkg}." if pkg else ""
        for msg in file.message_type:
            add_message(msg, pkg, f"package {pkg}")
        for enum in file.enum_type:
            idx.enums[prefix + enum.name] = enum
            idx.parent[prefix + enum.name] = f"package {pkg}"
        for service in file.service:
            idx.services[prefix + service.name] = service
        for ext in file.extension:
            idx.extensions[prefix + ext.name] = ext
    return idx


def diff(reference: Files, ours: Files) -> list[str]:
    """Every difference, one readable line each; empty when we conform."""
    ref, own = index(reference), index(ours)
    out: list[str] = []
    for kind, table in own.tables().items():
        for name, mine in table.items():
            ref_kind = ref.kind(name)
            if ref_kind is None:
                if kind == "service":
                    out.extend(_added_service(name, mine, ref))
                continue
            if ref_kind != kind:
                out.append(f"{name}: a {ref_kind} in the reference, a {kind} here")
                continue
            if ref.parent.get(name) != own.parent.get(name):
                out.append(
                    f"{name}: nested in {ref.parent[name]} in the reference, "
                    f"here in {own.parent[name]}"
                )
            theirs = ref.tables()[kind][name]
            if kind == "message":
                out.extend(_message(name, theirs, mine))
            elif kind == "enum":
                out.extend(_enum(name, theirs, mine))
            elif kind == "service":
                out.extend(_service(name, theirs, mine, ref))
            else:
                out.extend(_extension(name, theirs, mine))
    return out


def coverage(reference: Files, ours: Files, service: str = "clarifai.api.V2") -> tuple[int, int]:
    """(reference RPCs we declare, reference RPCs) for one service."""
    ref, own = index(reference), index(ours)
    ref_methods = {m.name for m in ref.services[service].method}
    own_methods = (
        {m.name for m in own.services[service].method} if service in own.services else set()
    )
    return len(ref_methods & own_methods), len(ref_methods)


# ---- messages and fields ----


def _message(name: str, ref: dpb.DescriptorProto, own: dpb.DescriptorProto) -> Iterator[str]:
    yield from _options(name, ref.options, own.options)
    ref_fields = {f.name: f for f in ref.field}
    ref_numbers = {f.number: f.name for f in ref.field}
    added_numbers: set[int] = set()
    added_names: set[str] = set()
    for f in own.field:
        where = f"{name}.{f.name}"
        if f.name in ref_fields:
            yield from _field(where, ref, ref_fields[f.name], own, f)
        elif f.number in ref_numbers:
            yield (
                f"{where} = {f.number}: the reference uses number {f.number} for "
                f"{name}.{ref_numbers[f.number]}"
            )
        else:
            added_numbers.add(f.number)
            added_names.add(f.name)
    yield from _reserved(
        name,
        _spans(ref.reserved_range, inclusive=False),
        _spans(own.reserved_range, inclusive=False),
        set(ref.reserved_name),
        set(own.reserved_name),
        added_numbers,
        added_names,
    )


def _oneof(msg: dpb.DescriptorProto, f: dpb.FieldDescriptorProto) -> str | None:
    return msg.oneof_decl[f.oneof_index].name if f.HasField("oneof_index") else None


def _field(
    where: str,
    ref_msg: dpb.DescriptorProto,
    ref: dpb.FieldDescriptorProto,
    own_msg: dpb.DescriptorProto,
    own: dpb.FieldDescriptorProto,
) -> Iterator[str]:
    pairs = {
        "number": (ref.number, own.number),
        "type": (
            _enum_name(ref.DESCRIPTOR, "type", ref.type),
            _enum_name(own.DESCRIPTOR, "type", own.type),
        ),
        "type_name": (ref.type_name, own.type_name),
        "label": (
            _enum_name(ref.DESCRIPTOR, "label", ref.label),
            _enum_name(own.DESCRIPTOR, "label", own.label),
        ),
        "oneof": (_oneof(ref_msg, ref), _oneof(own_msg, own)),
        "proto3_optional": (ref.proto3_optional, own.proto3_optional),
        "json_name": (ref.json_name, own.json_name),
        "default_value": (ref.default_value, own.default_value),
    }
    for attr, (theirs, mine) in pairs.items():
        if theirs != mine:
            yield f"{where}: {attr} is {theirs!r} in the reference, {mine!r} here"
    yield from _options(where, ref.options, own.options)


# ---- enums ----


def _enum(name: str, ref: dpb.EnumDescriptorProto, own: dpb.EnumDescriptorProto) -> Iterator[str]:
    yield from _options(name, ref.options, own.options)
    ref_values = {v.name: v for v in ref.value}
    ref_numbers: dict[int, str] = {}
    for v in ref.value:
        ref_numbers.setdefault(v.number, v.name)
    added_numbers: set[int] = set()
    added_names: set[str] = set()
    for v in own.value:
        where = f"{name}.{v.name}"
        if v.name in ref_values:
            theirs = ref_values[v.name]
            if v.number != theirs.number:
                yield f"{where}: number is {theirs.number} in the reference, {v.number} here"
            yield from _options(where, theirs.options, v.options)
        elif v.number in ref_numbers:
            yield f"{where} = {v.number}: the reference uses {v.number} for {ref_numbers[v.number]}"
        else:
            added_numbers.add(v.number)
            added_names.add(v.name)
    yield from _reserved(
        name,
        _spans(ref.reserved_range, inclusive=True),
        _spans(own.reserved_range, inclusive=True),
        set(ref.reserved_name),
        set(own.reserved_name),
        added_numbers,
        added_names,
    )


# ---- services and RPCs ----


def _service(
    name: str, ref: dpb.ServiceDescriptorProto, own: dpb.ServiceDescriptorProto, ref_idx: Index
) -> Iterator[str]:
    yield from _options(name, ref.options, own.options)
    ref_methods = {m.name: m for m in ref.method}
    routes = ref_idx.routes()
    for method in own.method:
        where = f"{name}.{method.name}"
        if method.name in ref_methods:
            yield from _method(where, ref_methods[method.name], method)
        else:
            yield from _added_routes(where, method, routes)


def _added_service(name: str, own: dpb.ServiceDescriptorProto, ref_idx: Index) -> Iterator[str]:
    routes = ref_idx.routes()
    for method in own.method:
        yield from _added_routes(f"{name}.{method.name}", method, routes)


def _added_routes(
    where: str, method: dpb.MethodDescriptorProto, routes: dict[str, str]
) -> Iterator[str]:
    for route in http_rules(method.options.Extensions[annotations_pb2.http]):
        key = _verb_and_path(route)
        if key in routes:
            yield f"{where} (added): route {key} belongs to {routes[key]} in the reference"


def _method(
    where: str, ref: dpb.MethodDescriptorProto, own: dpb.MethodDescriptorProto
) -> Iterator[str]:
    for attr in ("input_type", "output_type", "client_streaming", "server_streaming"):
        theirs, mine = getattr(ref, attr), getattr(own, attr)
        if theirs != mine:
            yield f"{where}: {attr} is {theirs!r} in the reference, {mine!r} here"
    ref_rules = http_rules(ref.options.Extensions[annotations_pb2.http])
    own_rules = http_rules(own.options.Extensions[annotations_pb2.http])
    if ref_rules[:1] != own_rules[:1]:
        yield f"{where}: main route is {ref_rules[:1]} in the reference, {own_rules[:1]} here"
    for rule in ref_rules[1:]:
        if rule not in own_rules[1:]:
            yield f"{where}: missing additional binding {rule}"
    for rule in own_rules[1:]:
        if rule not in ref_rules[1:]:
            yield f"{where}: additional binding {rule} is not in the reference"
    if sorted(ref_rules[1:]) == sorted(own_rules[1:]) and ref_rules[1:] != own_rules[1:]:
        yield f"{where}: additional bindings are in another order than the reference's"
    yield from _options(where, ref.options, own.options, skip={HTTP})


def _verb_and_path(route: str) -> str:
    return " ".join(route.split()[:2])


def http_rules(rule: http_pb2.HttpRule) -> list[str]:
    """The main route then each additional binding, as "VERB path body=..."."""
    out = []
    for r in (rule, *rule.additional_bindings):
        pattern = r.WhichOneof("pattern")
        if pattern is None:
            continue
        if pattern == "custom":
            text = f"{r.custom.kind.upper()} {r.custom.path}"
        else:
            text = f"{pattern.upper()} {getattr(r, pattern)}"
        if r.body:
            text += f" body={r.body}"
        if r.response_body:
            text += f" response_body={r.response_body}"
        out.append(text)
    return out


# ---- extensions ----


def _extension(
    name: str, ref: dpb.FieldDescriptorProto, own: dpb.FieldDescriptorProto
) -> Iterator[str]:
    for attr in ("number", "label", "type", "type_name", "extendee"):
        theirs, mine = getattr(ref, attr), getattr(own, attr)
        if theirs != mine:
            yield f"{name}: {attr} is {theirs!r} in the reference, {mine!r} here"


# ---- options and reserved numbers ----


def _options(
    where: str, ref: Message, own: Message, skip: frozenset[str] | set[str] = frozenset()
) -> Iterator[str]:
    theirs, mine = option_values(ref), option_values(own)
    for key in sorted((theirs.keys() | mine.keys()) - set(skip)):
        if theirs.get(key) != mine.get(key):
            yield (
                f"{where}: option {key} is {theirs.get(key, 'unset')} in the reference, "
                f"{mine.get(key, 'unset')} here"
            )


def option_values(options: Message) -> dict[str, str]:
    """Every option set, by name ("deprecated", "(clarifai.auth.util.cl_auth_type)"),
    as readable text; options nobody here knows count by their raw bytes."""
    out: dict[str, str] = {}
    for fd, value in options.ListFields():
        key = f"({fd.full_name})" if fd.is_extension else fd.name
        values = list(value) if fd.is_repeated else [value]
        if fd.message_type is not None:
            shown = [text_format.MessageToString(v, as_one_line=True) for v in values]
        elif fd.enum_type is not None:
            shown = [_value_name(fd.enum_type, v) for v in values]
        else:
            shown = [repr(v) for v in values]
        out[key] = f"[{', '.join(shown)}]" if fd.is_repeated else shown[0]
    for unknown in unknown_fields.UnknownFieldSet(options):
        key = f"option #{unknown.field_number}"
        out[key] = out.get(key, "") + repr(unknown.data)
    return out


def _value_name(enum_type, number: int) -> str:
    value = enum_type.values_by_number.get(number)
    return value.name if value is not None else str(number)


def _enum_name(message_descriptor, field_name: str, number: int) -> str:
    return _value_name(message_descriptor.fields_by_name[field_name].enum_type, number)


Span = tuple[int, int]  # half-open [start, end)


def _spans(ranges, inclusive: bool) -> list[Span]:
    return sorted((r.start, r.end + 1 if inclusive else r.end) for r in ranges)


def _subtract(spans: list[Span], cut: list[Span]) -> list[Span]:
    out = []
    for start, end in spans:
        pieces = [(start, end)]
        for c_start, c_end in cut:
            pieces = [
                part
                for s, e in pieces
                for part in ((s, min(e, c_start)), (max(s, c_end), e))
                if part[0] < part[1]
            ]
        out.extend(pieces)
    return out


def _show(spans: list[Span]) -> str:
    return ", ".join(str(s) if e == s + 1 else f"{s} to {e - 1}" for s, e in spans)


def _reserved(
    name: str,
    ref_spans: list[Span],
    own_spans: list[Span],
    ref_names: set[str],
    own_names: set[str],
    added_numbers: set[int],
    added_names: set[str],
) -> Iterator[str]:
    # What the reference reserves stays reserved unless an added field reuses it.
    missing = [
        (n, n + 1)
        for s, e in _subtract(ref_spans, own_spans)
        for n in range(s, e)
        if n not in added_numbers
    ]
    if missing:
        yield f"{name}: the reference reserves {_show(missing)}; reserve it here too"
    extra = _subtract(own_spans, ref_spans)
    if extra:
        yield f"{name}: reserves {_show(extra)}, which the reference does not reserve"
    if names := sorted(ref_names - own_names - added_names):
        yield f"{name}: the reference reserves the names {names}; reserve them here too"
    if names := sorted(own_names - ref_names):
        yield f"{name}: reserves the names {names}, which the reference does not reserve"
