from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class AuthType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    undef: _ClassVar[AuthType]
    NoAuth: _ClassVar[AuthType]
    KeyAuth: _ClassVar[AuthType]
    SessionTokenAuth: _ClassVar[AuthType]
    AdminAuth: _ClassVar[AuthType]
    PATAuth: _ClassVar[AuthType]
undef: AuthType
NoAuth: AuthType
KeyAuth: AuthType
SessionTokenAuth: AuthType
AdminAuth: AuthType
PATAuth: AuthType
