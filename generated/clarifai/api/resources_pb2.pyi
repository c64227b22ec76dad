import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UserAppIDSet(_message.Message):
    __slots__ = ("user_id", "app_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    app_id: str
    def __init__(self, user_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class Visibility(_message.Message):
    __slots__ = ("gettable",)
    class Gettable(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        UNKNOWN_VISIBILITY: _ClassVar[Visibility.Gettable]
        PRIVATE: _ClassVar[Visibility.Gettable]
        ORG: _ClassVar[Visibility.Gettable]
        PUBLIC: _ClassVar[Visibility.Gettable]
    UNKNOWN_VISIBILITY: Visibility.Gettable
    PRIVATE: Visibility.Gettable
    ORG: Visibility.Gettable
    PUBLIC: Visibility.Gettable
    GETTABLE_FIELD_NUMBER: _ClassVar[int]
    gettable: Visibility.Gettable
    def __init__(self, gettable: _Optional[_Union[Visibility.Gettable, str]] = ...) -> None: ...

class App(_message.Message):
    __slots__ = ("id", "name", "default_language", "user_id", "created_at", "modified_at", "metadata", "description", "sample_ms", "visibility", "notes")
    class EmbeddingsStorage(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        EMBEDDING_STORAGE_NOT_SET: _ClassVar[App.EmbeddingsStorage]
        POSTGRES: _ClassVar[App.EmbeddingsStorage]
        QDRANT: _ClassVar[App.EmbeddingsStorage]
    EMBEDDING_STORAGE_NOT_SET: App.EmbeddingsStorage
    POSTGRES: App.EmbeddingsStorage
    QDRANT: App.EmbeddingsStorage
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_MS_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    default_language: str
    user_id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    metadata: _struct_pb2.Struct
    description: str
    sample_ms: int
    visibility: Visibility
    notes: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., default_language: _Optional[str] = ..., user_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., description: _Optional[str] = ..., sample_ms: _Optional[int] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., notes: _Optional[str] = ...) -> None: ...

class Key(_message.Message):
    __slots__ = ("id", "type", "description", "scopes", "endpoints", "apps", "created_at", "expires_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    APPS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    description: str
    scopes: _containers.RepeatedScalarFieldContainer[str]
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    apps: _containers.RepeatedCompositeFieldContainer[App]
    created_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., description: _Optional[str] = ..., scopes: _Optional[_Iterable[str]] = ..., endpoints: _Optional[_Iterable[str]] = ..., apps: _Optional[_Iterable[_Union[App, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class User(_message.Message):
    __slots__ = ("id", "primary_email", "first_name", "last_name", "company_name", "created_at", "metadata")
    ID_FIELD_NUMBER: _ClassVar[int]
    PRIMARY_EMAIL_FIELD_NUMBER: _ClassVar[int]
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    COMPANY_NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    primary_email: str
    first_name: str
    last_name: str
    company_name: str
    created_at: _timestamp_pb2.Timestamp
    metadata: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., primary_email: _Optional[str] = ..., first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., company_name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Collaborator(_message.Message):
    __slots__ = ("id", "app", "user", "scopes", "endpoints", "created_at", "modified_at", "deleted_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    DELETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    app: App
    user: User
    scopes: _containers.RepeatedScalarFieldContainer[str]
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    deleted_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., app: _Optional[_Union[App, _Mapping]] = ..., user: _Optional[_Union[User, _Mapping]] = ..., scopes: _Optional[_Iterable[str]] = ..., endpoints: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., deleted_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Collaboration(_message.Message):
    __slots__ = ("app", "app_owner", "scopes", "endpoints", "created_at")
    APP_FIELD_NUMBER: _ClassVar[int]
    APP_OWNER_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    app: App
    app_owner: User
    scopes: _containers.RepeatedScalarFieldContainer[str]
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, app: _Optional[_Union[App, _Mapping]] = ..., app_owner: _Optional[_Union[User, _Mapping]] = ..., scopes: _Optional[_Iterable[str]] = ..., endpoints: _Optional[_Iterable[str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ScopeDeps(_message.Message):
    __slots__ = ("scope", "depending_scopes")
    SCOPE_FIELD_NUMBER: _ClassVar[int]
    DEPENDING_SCOPES_FIELD_NUMBER: _ClassVar[int]
    scope: str
    depending_scopes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, scope: _Optional[str] = ..., depending_scopes: _Optional[_Iterable[str]] = ...) -> None: ...

class EndpointDeps(_message.Message):
    __slots__ = ("endpoint", "depending_scopes")
    ENDPOINT_FIELD_NUMBER: _ClassVar[int]
    DEPENDING_SCOPES_FIELD_NUMBER: _ClassVar[int]
    endpoint: str
    depending_scopes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, endpoint: _Optional[str] = ..., depending_scopes: _Optional[_Iterable[str]] = ...) -> None: ...
