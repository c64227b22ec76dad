from clarifai.api import resources_pb2 as _resources_pb2
from clarifai.api.status import status_pb2 as _status_pb2
from clarifai.api.utils import extensions_pb2 as _extensions_pb2
from clarifai.auth.util import extension_pb2 as _extension_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetAppRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class ListAppsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "sort_ascending", "sort_by_name", "sort_by_modified_at", "sort_by_created_at", "sort_by_id", "name", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    sort_ascending: bool
    sort_by_name: bool
    sort_by_modified_at: bool
    sort_by_created_at: bool
    sort_by_id: bool
    name: str
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., sort_ascending: _Optional[bool] = ..., sort_by_name: _Optional[bool] = ..., sort_by_modified_at: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ..., sort_by_id: _Optional[bool] = ..., name: _Optional[str] = ..., id: _Optional[str] = ...) -> None: ...

class PostAppsRequest(_message.Message):
    __slots__ = ("user_app_id", "apps")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    APPS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    apps: _containers.RepeatedCompositeFieldContainer[_resources_pb2.App]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., apps: _Optional[_Iterable[_Union[_resources_pb2.App, _Mapping]]] = ...) -> None: ...

class PatchAppsRequest(_message.Message):
    __slots__ = ("user_app_id", "apps", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    APPS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    apps: _containers.RepeatedCompositeFieldContainer[_resources_pb2.App]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., apps: _Optional[_Iterable[_Union[_resources_pb2.App, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteAppRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class SingleAppResponse(_message.Message):
    __slots__ = ("status", "app")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    app: _resources_pb2.App
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., app: _Optional[_Union[_resources_pb2.App, _Mapping]] = ...) -> None: ...

class MultiAppResponse(_message.Message):
    __slots__ = ("status", "apps")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APPS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    apps: _containers.RepeatedCompositeFieldContainer[_resources_pb2.App]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., apps: _Optional[_Iterable[_Union[_resources_pb2.App, _Mapping]]] = ...) -> None: ...

class GetKeyRequest(_message.Message):
    __slots__ = ("user_app_id", "key_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    key_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., key_id: _Optional[str] = ...) -> None: ...

class ListKeysRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "not_expired", "type")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    NOT_EXPIRED_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    not_expired: bool
    type: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., not_expired: _Optional[bool] = ..., type: _Optional[str] = ...) -> None: ...

class ListAppKeysRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class PostKeysRequest(_message.Message):
    __slots__ = ("user_app_id", "keys")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    keys: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Key]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_resources_pb2.Key, _Mapping]]] = ...) -> None: ...

class PatchKeysRequest(_message.Message):
    __slots__ = ("user_app_id", "keys", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    keys: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Key]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_resources_pb2.Key, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteKeyRequest(_message.Message):
    __slots__ = ("user_app_id", "key_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    KEY_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    key_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., key_id: _Optional[str] = ...) -> None: ...

class SingleKeyResponse(_message.Message):
    __slots__ = ("status", "key")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    KEY_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    key: _resources_pb2.Key
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., key: _Optional[_Union[_resources_pb2.Key, _Mapping]] = ...) -> None: ...

class MultiKeyResponse(_message.Message):
    __slots__ = ("status", "keys")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    KEYS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    keys: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Key]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., keys: _Optional[_Iterable[_Union[_resources_pb2.Key, _Mapping]]] = ...) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class SingleUserResponse(_message.Message):
    __slots__ = ("status", "user")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    user: _resources_pb2.User
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., user: _Optional[_Union[_resources_pb2.User, _Mapping]] = ...) -> None: ...

class PostCollaboratorsRequest(_message.Message):
    __slots__ = ("user_app_id", "collaborators")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLABORATORS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collaborators: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collaborator]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collaborators: _Optional[_Iterable[_Union[_resources_pb2.Collaborator, _Mapping]]] = ...) -> None: ...

class PatchCollaboratorsRequest(_message.Message):
    __slots__ = ("user_app_id", "collaborators", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLABORATORS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collaborators: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collaborator]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collaborators: _Optional[_Iterable[_Union[_resources_pb2.Collaborator, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteCollaboratorsRequest(_message.Message):
    __slots__ = ("user_app_id", "collaborator_ids", "user_emails")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLABORATOR_IDS_FIELD_NUMBER: _ClassVar[int]
    USER_EMAILS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collaborator_ids: _containers.RepeatedScalarFieldContainer[str]
    user_emails: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collaborator_ids: _Optional[_Iterable[str]] = ..., user_emails: _Optional[_Iterable[str]] = ...) -> None: ...

class ListCollaboratorsRequest(_message.Message):
    __slots__ = ("user_app_id", "list_all_collaborators", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    LIST_ALL_COLLABORATORS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    list_all_collaborators: bool
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., list_all_collaborators: _Optional[bool] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class MultiCollaboratorsResponse(_message.Message):
    __slots__ = ("status", "collaborators", "app_owner")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLLABORATORS_FIELD_NUMBER: _ClassVar[int]
    APP_OWNER_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    collaborators: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collaborator]
    app_owner: _resources_pb2.User
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., collaborators: _Optional[_Iterable[_Union[_resources_pb2.Collaborator, _Mapping]]] = ..., app_owner: _Optional[_Union[_resources_pb2.User, _Mapping]] = ...) -> None: ...

class ListCollaborationsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class MultiCollaborationsResponse(_message.Message):
    __slots__ = ("status", "collaborations")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLLABORATIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    collaborations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collaboration]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., collaborations: _Optional[_Iterable[_Union[_resources_pb2.Collaboration, _Mapping]]] = ...) -> None: ...

class MyScopesRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class MyScopesUserRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class MyScopesRootRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListScopesRequest(_message.Message):
    __slots__ = ("key_type", "user_app_id")
    KEY_TYPE_FIELD_NUMBER: _ClassVar[int]
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    key_type: str
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, key_type: _Optional[str] = ..., user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class MultiScopeResponse(_message.Message):
    __slots__ = ("status", "scopes", "app", "endpoints")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    APP_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    scopes: _containers.RepeatedScalarFieldContainer[str]
    app: _resources_pb2.App
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., scopes: _Optional[_Iterable[str]] = ..., app: _Optional[_Union[_resources_pb2.App, _Mapping]] = ..., endpoints: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiScopeUserResponse(_message.Message):
    __slots__ = ("status", "scopes", "endpoints", "user_feature_flags")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    USER_FEATURE_FLAGS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    scopes: _containers.RepeatedScalarFieldContainer[str]
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    user_feature_flags: str
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., scopes: _Optional[_Iterable[str]] = ..., endpoints: _Optional[_Iterable[str]] = ..., user_feature_flags: _Optional[str] = ...) -> None: ...

class MultiScopeRootResponse(_message.Message):
    __slots__ = ("status", "scopes", "endpoints")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCOPES_FIELD_NUMBER: _ClassVar[int]
    ENDPOINTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    scopes: _containers.RepeatedScalarFieldContainer[str]
    endpoints: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., scopes: _Optional[_Iterable[str]] = ..., endpoints: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiScopeDepsResponse(_message.Message):
    __slots__ = ("status", "scope_deps", "endpoint_deps")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SCOPE_DEPS_FIELD_NUMBER: _ClassVar[int]
    ENDPOINT_DEPS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    scope_deps: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ScopeDeps]
    endpoint_deps: _containers.RepeatedCompositeFieldContainer[_resources_pb2.EndpointDeps]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., scope_deps: _Optional[_Iterable[_Union[_resources_pb2.ScopeDeps, _Mapping]]] = ..., endpoint_deps: _Optional[_Iterable[_Union[_resources_pb2.EndpointDeps, _Mapping]]] = ...) -> None: ...

class ListStatusCodesRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetStatusCodeRequest(_message.Message):
    __slots__ = ("status_code_id",)
    STATUS_CODE_ID_FIELD_NUMBER: _ClassVar[int]
    status_code_id: str
    def __init__(self, status_code_id: _Optional[str] = ...) -> None: ...

class SingleStatusCodeResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class MultiStatusCodeResponse(_message.Message):
    __slots__ = ("status", "statuses")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    statuses: _containers.RepeatedCompositeFieldContainer[_status_pb2.Status]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., statuses: _Optional[_Iterable[_Union[_status_pb2.Status, _Mapping]]] = ...) -> None: ...

class PostCollectorsRequest(_message.Message):
    __slots__ = ("user_app_id", "collectors")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTORS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collectors: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collector]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collectors: _Optional[_Iterable[_Union[_resources_pb2.Collector, _Mapping]]] = ...) -> None: ...

class PatchCollectorsRequest(_message.Message):
    __slots__ = ("user_app_id", "collectors", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTORS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collectors: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collector]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collectors: _Optional[_Iterable[_Union[_resources_pb2.Collector, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteCollectorsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "delete_all")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    DELETE_ALL_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    delete_all: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ..., delete_all: _Optional[bool] = ...) -> None: ...

class GetCollectorRequest(_message.Message):
    __slots__ = ("user_app_id", "collector_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTOR_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    collector_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., collector_id: _Optional[str] = ...) -> None: ...

class ListCollectorsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class SingleCollectorResponse(_message.Message):
    __slots__ = ("status", "collector")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLLECTOR_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    collector: _resources_pb2.Collector
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., collector: _Optional[_Union[_resources_pb2.Collector, _Mapping]] = ...) -> None: ...

class MultiCollectorResponse(_message.Message):
    __slots__ = ("status", "collectors")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLLECTORS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    collectors: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Collector]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., collectors: _Optional[_Iterable[_Union[_resources_pb2.Collector, _Mapping]]] = ...) -> None: ...
