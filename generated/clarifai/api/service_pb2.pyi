from clarifai.api import resources_pb2 as _resources_pb2
from clarifai.api.status import status_pb2 as _status_pb2
from clarifai.api.status import status_code_pb2 as _status_code_pb2
from clarifai.api.utils import extensions_pb2 as _extensions_pb2
from clarifai.auth.util import extension_pb2 as _extension_pb2
from google.api import annotations_pb2 as _annotations_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class PutTaskAssignmentsRequestAction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PUT_TASK_ASSIGNMENTS_REQUEST_ACTION_NOT_SET: _ClassVar[PutTaskAssignmentsRequestAction]
    LABEL_START: _ClassVar[PutTaskAssignmentsRequestAction]
    LABEL_SUBMIT: _ClassVar[PutTaskAssignmentsRequestAction]
    REVIEW_START: _ClassVar[PutTaskAssignmentsRequestAction]
    REVIEW_APPROVE: _ClassVar[PutTaskAssignmentsRequestAction]
    REVIEW_REQUEST_CHANGES: _ClassVar[PutTaskAssignmentsRequestAction]
    REVIEW_REJECT: _ClassVar[PutTaskAssignmentsRequestAction]
PUT_TASK_ASSIGNMENTS_REQUEST_ACTION_NOT_SET: PutTaskAssignmentsRequestAction
LABEL_START: PutTaskAssignmentsRequestAction
LABEL_SUBMIT: PutTaskAssignmentsRequestAction
REVIEW_START: PutTaskAssignmentsRequestAction
REVIEW_APPROVE: PutTaskAssignmentsRequestAction
REVIEW_REQUEST_CHANGES: PutTaskAssignmentsRequestAction
REVIEW_REJECT: PutTaskAssignmentsRequestAction

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

class Pagination(_message.Message):
    __slots__ = ("page", "per_page")
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    page: int
    per_page: int
    def __init__(self, page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetConceptRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ...) -> None: ...

class ListConceptsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., id: _Optional[str] = ...) -> None: ...

class PostConceptsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_query", "pagination")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_query: _resources_pb2.ConceptQuery
    pagination: Pagination
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_query: _Optional[_Union[_resources_pb2.ConceptQuery, _Mapping]] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ...) -> None: ...

class PostConceptsRequest(_message.Message):
    __slots__ = ("user_app_id", "concepts")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concepts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Concept]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concepts: _Optional[_Iterable[_Union[_resources_pb2.Concept, _Mapping]]] = ...) -> None: ...

class PatchConceptsRequest(_message.Message):
    __slots__ = ("user_app_id", "concepts", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concepts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Concept]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concepts: _Optional[_Iterable[_Union[_resources_pb2.Concept, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class GetConceptCountsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class SingleConceptResponse(_message.Message):
    __slots__ = ("status", "concept")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concept: _resources_pb2.Concept
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concept: _Optional[_Union[_resources_pb2.Concept, _Mapping]] = ...) -> None: ...

class MultiConceptResponse(_message.Message):
    __slots__ = ("status", "concepts")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concepts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Concept]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concepts: _Optional[_Iterable[_Union[_resources_pb2.Concept, _Mapping]]] = ...) -> None: ...

class MultiConceptCountResponse(_message.Message):
    __slots__ = ("status", "concept_counts")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_COUNTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concept_counts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptCount]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concept_counts: _Optional[_Iterable[_Union[_resources_pb2.ConceptCount, _Mapping]]] = ...) -> None: ...

class ListConceptRelationsRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "predicate", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    PREDICATE_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    predicate: str
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., predicate: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class PostConceptRelationsRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "concept_relations")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_RELATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    concept_relations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptRelation]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., concept_relations: _Optional[_Iterable[_Union[_resources_pb2.ConceptRelation, _Mapping]]] = ...) -> None: ...

class DeleteConceptRelationsRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiConceptRelationResponse(_message.Message):
    __slots__ = ("status", "concept_relations")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_RELATIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concept_relations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptRelation]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concept_relations: _Optional[_Iterable[_Union[_resources_pb2.ConceptRelation, _Mapping]]] = ...) -> None: ...

class GetConceptLanguageRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "language")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    language: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., language: _Optional[str] = ...) -> None: ...

class ListConceptLanguagesRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class PatchConceptLanguagesRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "concept_languages", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    concept_languages: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptLanguage]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., concept_languages: _Optional[_Iterable[_Union[_resources_pb2.ConceptLanguage, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class PostConceptLanguagesRequest(_message.Message):
    __slots__ = ("user_app_id", "concept_id", "concept_languages")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    concept_id: str
    concept_languages: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptLanguage]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., concept_id: _Optional[str] = ..., concept_languages: _Optional[_Iterable[_Union[_resources_pb2.ConceptLanguage, _Mapping]]] = ...) -> None: ...

class SingleConceptLanguageResponse(_message.Message):
    __slots__ = ("status", "concept_language")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concept_language: _resources_pb2.ConceptLanguage
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concept_language: _Optional[_Union[_resources_pb2.ConceptLanguage, _Mapping]] = ...) -> None: ...

class MultiConceptLanguageResponse(_message.Message):
    __slots__ = ("status", "concept_languages")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    concept_languages: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ConceptLanguage]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., concept_languages: _Optional[_Iterable[_Union[_resources_pb2.ConceptLanguage, _Mapping]]] = ...) -> None: ...

class PostInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "inputs", "inputs_add_job_id", "input_id_conflict_resolution")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ADD_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_CONFLICT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Input]
    inputs_add_job_id: str
    input_id_conflict_resolution: _resources_pb2.InputIDConflictResolution
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., inputs: _Optional[_Iterable[_Union[_resources_pb2.Input, _Mapping]]] = ..., inputs_add_job_id: _Optional[str] = ..., input_id_conflict_resolution: _Optional[_Union[_resources_pb2.InputIDConflictResolution, str]] = ...) -> None: ...

class GetInputRequest(_message.Message):
    __slots__ = ("user_app_id", "input_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    input_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., input_id: _Optional[str] = ...) -> None: ...

class ListInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "status", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    status: _status_pb2.Status
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class PatchInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "inputs", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Input]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., inputs: _Optional[_Iterable[_Union[_resources_pb2.Input, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteInputRequest(_message.Message):
    __slots__ = ("user_app_id", "input_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    input_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., input_id: _Optional[str] = ...) -> None: ...

class DeleteInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class GetInputCountRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class StreamInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "per_page", "last_id", "order_by_id", "descending")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    LAST_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_BY_ID_FIELD_NUMBER: _ClassVar[int]
    DESCENDING_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    per_page: int
    last_id: str
    order_by_id: bool
    descending: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., per_page: _Optional[int] = ..., last_id: _Optional[str] = ..., order_by_id: _Optional[bool] = ..., descending: _Optional[bool] = ...) -> None: ...

class SingleInputResponse(_message.Message):
    __slots__ = ("status", "input")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    input: _resources_pb2.Input
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., input: _Optional[_Union[_resources_pb2.Input, _Mapping]] = ...) -> None: ...

class MultiInputResponse(_message.Message):
    __slots__ = ("status", "inputs", "inputs_add_job")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ADD_JOB_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Input]
    inputs_add_job: _resources_pb2.InputsAddJob
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., inputs: _Optional[_Iterable[_Union[_resources_pb2.Input, _Mapping]]] = ..., inputs_add_job: _Optional[_Union[_resources_pb2.InputsAddJob, _Mapping]] = ...) -> None: ...

class GetInputsAddJobRequest(_message.Message):
    __slots__ = ("user_app_id", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class ListInputsAddJobsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class CancelInputsAddJobRequest(_message.Message):
    __slots__ = ("user_app_id", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class SingleInputsAddJobResponse(_message.Message):
    __slots__ = ("status", "inputs_add_job")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ADD_JOB_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    inputs_add_job: _resources_pb2.InputsAddJob
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., inputs_add_job: _Optional[_Union[_resources_pb2.InputsAddJob, _Mapping]] = ...) -> None: ...

class MultiInputsAddJobResponse(_message.Message):
    __slots__ = ("status", "inputs_add_jobs")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_ADD_JOBS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    inputs_add_jobs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.InputsAddJob]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., inputs_add_jobs: _Optional[_Iterable[_Union[_resources_pb2.InputsAddJob, _Mapping]]] = ...) -> None: ...

class PostInputsDataSourcesRequest(_message.Message):
    __slots__ = ("user_app_id", "data_sources")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_SOURCES_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    data_sources: _containers.RepeatedCompositeFieldContainer[_resources_pb2.InputsDataSource]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., data_sources: _Optional[_Iterable[_Union[_resources_pb2.InputsDataSource, _Mapping]]] = ...) -> None: ...

class PostInputsUploadsRequest(_message.Message):
    __slots__ = ("user_app_id", "inputs_uploads")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_UPLOADS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    inputs_uploads: _containers.RepeatedCompositeFieldContainer[_resources_pb2.InputsUpload]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., inputs_uploads: _Optional[_Iterable[_Union[_resources_pb2.InputsUpload, _Mapping]]] = ...) -> None: ...

class GetInputsExtractionJobRequest(_message.Message):
    __slots__ = ("user_app_id", "inputs_extraction_job_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_EXTRACTION_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    inputs_extraction_job_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., inputs_extraction_job_id: _Optional[str] = ...) -> None: ...

class ListInputsExtractionJobsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class CancelInputsExtractionJobsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleInputsExtractionJobResponse(_message.Message):
    __slots__ = ("status", "inputs_extraction_job")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_EXTRACTION_JOB_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    inputs_extraction_job: _resources_pb2.InputsExtractionJob
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., inputs_extraction_job: _Optional[_Union[_resources_pb2.InputsExtractionJob, _Mapping]] = ...) -> None: ...

class MultiInputsExtractionJobResponse(_message.Message):
    __slots__ = ("status", "inputs_extraction_jobs")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_EXTRACTION_JOBS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    inputs_extraction_jobs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.InputsExtractionJob]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., inputs_extraction_jobs: _Optional[_Iterable[_Union[_resources_pb2.InputsExtractionJob, _Mapping]]] = ...) -> None: ...

class PostUploadsRequest(_message.Message):
    __slots__ = ("user_app_id", "uploads")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOADS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    uploads: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Upload]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., uploads: _Optional[_Iterable[_Union[_resources_pb2.Upload, _Mapping]]] = ...) -> None: ...

class PutUploadContentPartsRequest(_message.Message):
    __slots__ = ("user_app_id", "upload_id", "content_parts")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    CONTENT_PARTS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    upload_id: str
    content_parts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.UploadContentPart]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., upload_id: _Optional[str] = ..., content_parts: _Optional[_Iterable[_Union[_resources_pb2.UploadContentPart, _Mapping]]] = ...) -> None: ...

class GetUploadRequest(_message.Message):
    __slots__ = ("user_app_id", "upload_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    upload_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., upload_id: _Optional[str] = ...) -> None: ...

class ListUploadsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class DeleteUploadsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleUploadResponse(_message.Message):
    __slots__ = ("status", "upload")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    upload: _resources_pb2.Upload
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., upload: _Optional[_Union[_resources_pb2.Upload, _Mapping]] = ...) -> None: ...

class MultiUploadResponse(_message.Message):
    __slots__ = ("status", "uploads")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    UPLOADS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    uploads: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Upload]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., uploads: _Optional[_Iterable[_Union[_resources_pb2.Upload, _Mapping]]] = ...) -> None: ...

class PostBulkOperationsRequest(_message.Message):
    __slots__ = ("user_app_id", "bulk_operations")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    BULK_OPERATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    bulk_operations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.BulkOperation]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., bulk_operations: _Optional[_Iterable[_Union[_resources_pb2.BulkOperation, _Mapping]]] = ...) -> None: ...

class GetBulkOperationRequest(_message.Message):
    __slots__ = ("user_app_id", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class ListBulkOperationsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class CancelBulkOperationRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class DeleteBulkOperationRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleBulkOperationsResponse(_message.Message):
    __slots__ = ("status", "bulk_operation")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BULK_OPERATION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    bulk_operation: _resources_pb2.BulkOperation
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., bulk_operation: _Optional[_Union[_resources_pb2.BulkOperation, _Mapping]] = ...) -> None: ...

class MultiBulkOperationsResponse(_message.Message):
    __slots__ = ("status", "bulk_operation")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    BULK_OPERATION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    bulk_operation: _containers.RepeatedCompositeFieldContainer[_resources_pb2.BulkOperation]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., bulk_operation: _Optional[_Iterable[_Union[_resources_pb2.BulkOperation, _Mapping]]] = ...) -> None: ...

class SingleInputCountResponse(_message.Message):
    __slots__ = ("status", "counts")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    counts: _resources_pb2.InputCount
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., counts: _Optional[_Union[_resources_pb2.InputCount, _Mapping]] = ...) -> None: ...

class PostAnnotationsRequest(_message.Message):
    __slots__ = ("user_app_id", "annotations")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Annotation]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotations: _Optional[_Iterable[_Union[_resources_pb2.Annotation, _Mapping]]] = ...) -> None: ...

class GetAnnotationRequest(_message.Message):
    __slots__ = ("user_app_id", "annotation_id", "input_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotation_id: str
    input_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotation_id: _Optional[str] = ..., input_id: _Optional[str] = ...) -> None: ...

class ListAnnotationsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "input_ids", "user_ids", "model_version_ids", "statuses", "list_all_annotations", "page", "per_page", "task_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    STATUSES_FIELD_NUMBER: _ClassVar[int]
    LIST_ALL_ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    model_version_ids: _containers.RepeatedScalarFieldContainer[str]
    statuses: _containers.RepeatedCompositeFieldContainer[_status_pb2.Status]
    list_all_annotations: bool
    page: int
    per_page: int
    task_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ..., input_ids: _Optional[_Iterable[str]] = ..., user_ids: _Optional[_Iterable[str]] = ..., model_version_ids: _Optional[_Iterable[str]] = ..., statuses: _Optional[_Iterable[_Union[_status_pb2.Status, _Mapping]]] = ..., list_all_annotations: _Optional[bool] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., task_id: _Optional[str] = ...) -> None: ...

class ListAnnotationWorkersRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "additional_fields", "trusted_only")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    TRUSTED_ONLY_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    trusted_only: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., additional_fields: _Optional[_Iterable[str]] = ..., trusted_only: _Optional[bool] = ...) -> None: ...

class MultiWorkerResponse(_message.Message):
    __slots__ = ("status", "workers")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workers: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ...) -> None: ...

class PatchAnnotationsRequest(_message.Message):
    __slots__ = ("user_app_id", "annotations", "action", "delete_if_empty_data")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    DELETE_IF_EMPTY_DATA_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Annotation]
    action: str
    delete_if_empty_data: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotations: _Optional[_Iterable[_Union[_resources_pb2.Annotation, _Mapping]]] = ..., action: _Optional[str] = ..., delete_if_empty_data: _Optional[bool] = ...) -> None: ...

class PatchAnnotationsStatusRequest(_message.Message):
    __slots__ = ("user_app_id", "user_ids", "task_id", "status_codes", "action", "status_code")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    task_id: str
    status_codes: _containers.RepeatedScalarFieldContainer[_status_code_pb2.StatusCode]
    action: str
    status_code: _status_code_pb2.StatusCode
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., user_ids: _Optional[_Iterable[str]] = ..., task_id: _Optional[str] = ..., status_codes: _Optional[_Iterable[_Union[_status_code_pb2.StatusCode, str]]] = ..., action: _Optional[str] = ..., status_code: _Optional[_Union[_status_code_pb2.StatusCode, str]] = ...) -> None: ...

class PatchAnnotationsStatusResponse(_message.Message):
    __slots__ = ("status", "user_ids", "updated_count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_COUNT_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    updated_count: int
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., user_ids: _Optional[_Iterable[str]] = ..., updated_count: _Optional[int] = ...) -> None: ...

class DeleteAnnotationRequest(_message.Message):
    __slots__ = ("user_app_id", "input_id", "annotation_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    input_id: str
    annotation_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., input_id: _Optional[str] = ..., annotation_id: _Optional[str] = ...) -> None: ...

class DeleteAnnotationsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "input_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ..., input_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleAnnotationResponse(_message.Message):
    __slots__ = ("status", "annotation")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    annotation: _resources_pb2.Annotation
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., annotation: _Optional[_Union[_resources_pb2.Annotation, _Mapping]] = ...) -> None: ...

class MultiAnnotationResponse(_message.Message):
    __slots__ = ("status", "annotations")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    annotations: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Annotation]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., annotations: _Optional[_Iterable[_Union[_resources_pb2.Annotation, _Mapping]]] = ...) -> None: ...

class PostDatasetsRequest(_message.Message):
    __slots__ = ("user_app_id", "datasets")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    datasets: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Dataset]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., datasets: _Optional[_Iterable[_Union[_resources_pb2.Dataset, _Mapping]]] = ...) -> None: ...

class PatchDatasetsRequest(_message.Message):
    __slots__ = ("user_app_id", "datasets", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    datasets: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Dataset]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., datasets: _Optional[_Iterable[_Union[_resources_pb2.Dataset, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class GetDatasetRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ...) -> None: ...

class ListDatasetsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "sort_ascending", "sort_by_created_at", "sort_by_modified_at", "sort_by_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    sort_ascending: bool
    sort_by_created_at: bool
    sort_by_modified_at: bool
    sort_by_id: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., sort_ascending: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ..., sort_by_modified_at: _Optional[bool] = ..., sort_by_id: _Optional[bool] = ...) -> None: ...

class DeleteDatasetsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleDatasetResponse(_message.Message):
    __slots__ = ("status", "dataset")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset: _resources_pb2.Dataset
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset: _Optional[_Union[_resources_pb2.Dataset, _Mapping]] = ...) -> None: ...

class MultiDatasetResponse(_message.Message):
    __slots__ = ("status", "datasets")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    datasets: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Dataset]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., datasets: _Optional[_Iterable[_Union[_resources_pb2.Dataset, _Mapping]]] = ...) -> None: ...

class PostDatasetInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_inputs", "search")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_INPUTS_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetInput]
    search: _resources_pb2.Search
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_inputs: _Optional[_Iterable[_Union[_resources_pb2.DatasetInput, _Mapping]]] = ..., search: _Optional[_Union[_resources_pb2.Search, _Mapping]] = ...) -> None: ...

class ListDatasetInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetDatasetInputRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "input_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    input_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., input_id: _Optional[str] = ...) -> None: ...

class DeleteDatasetInputsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "input_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., input_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleDatasetInputResponse(_message.Message):
    __slots__ = ("status", "dataset_input")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_INPUT_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset_input: _resources_pb2.DatasetInput
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_input: _Optional[_Union[_resources_pb2.DatasetInput, _Mapping]] = ...) -> None: ...

class MultiDatasetInputResponse(_message.Message):
    __slots__ = ("status", "dataset_inputs")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_INPUTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset_inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetInput]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_inputs: _Optional[_Iterable[_Union[_resources_pb2.DatasetInput, _Mapping]]] = ...) -> None: ...

class PostDatasetVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_versions")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersion]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_versions: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersion, _Mapping]]] = ...) -> None: ...

class GetDatasetVersionRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_version_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_version_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_version_id: _Optional[str] = ...) -> None: ...

class ListDatasetVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "page", "per_page", "request_origins")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ORIGINS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    page: int
    per_page: int
    request_origins: _containers.RepeatedScalarFieldContainer[_resources_pb2.DatasetVersionRequestOrigin]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., request_origins: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersionRequestOrigin, str]]] = ...) -> None: ...

class ListDatasetVersionMetricsGroupsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_version_id", "page", "per_page", "parent_paths", "types", "values")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    PARENT_PATHS_FIELD_NUMBER: _ClassVar[int]
    TYPES_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_version_id: str
    page: int
    per_page: int
    parent_paths: _containers.RepeatedScalarFieldContainer[str]
    types: _containers.RepeatedScalarFieldContainer[_resources_pb2.DatasetVersionMetricsGroupType]
    values: _containers.RepeatedCompositeFieldContainer[_struct_pb2.Value]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_version_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., parent_paths: _Optional[_Iterable[str]] = ..., types: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersionMetricsGroupType, str]]] = ..., values: _Optional[_Iterable[_Union[_struct_pb2.Value, _Mapping]]] = ...) -> None: ...

class MultiDatasetVersionMetricsGroupResponse(_message.Message):
    __slots__ = ("status", "dataset_version_metrics_groups")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_METRICS_GROUPS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset_version_metrics_groups: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersionMetricsGroup]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_version_metrics_groups: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersionMetricsGroup, _Mapping]]] = ...) -> None: ...

class PatchDatasetVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_versions", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersion]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_versions: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersion, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteDatasetVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_version_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_version_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_version_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleDatasetVersionResponse(_message.Message):
    __slots__ = ("status", "dataset_version")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset_version: _resources_pb2.DatasetVersion
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_version: _Optional[_Union[_resources_pb2.DatasetVersion, _Mapping]] = ...) -> None: ...

class MultiDatasetVersionResponse(_message.Message):
    __slots__ = ("status", "dataset_versions")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    dataset_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersion]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_versions: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersion, _Mapping]]] = ...) -> None: ...

class PutDatasetVersionExportsRequest(_message.Message):
    __slots__ = ("user_app_id", "dataset_id", "dataset_version_id", "exports")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    EXPORTS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    dataset_id: str
    dataset_version_id: str
    exports: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersionExport]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., dataset_id: _Optional[str] = ..., dataset_version_id: _Optional[str] = ..., exports: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersionExport, _Mapping]]] = ...) -> None: ...

class MultiDatasetVersionExportResponse(_message.Message):
    __slots__ = ("status", "exports")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EXPORTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    exports: _containers.RepeatedCompositeFieldContainer[_resources_pb2.DatasetVersionExport]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., exports: _Optional[_Iterable[_Union[_resources_pb2.DatasetVersionExport, _Mapping]]] = ...) -> None: ...

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

class PostTasksRequest(_message.Message):
    __slots__ = ("user_app_id", "tasks")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    tasks: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Task]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., tasks: _Optional[_Iterable[_Union[_resources_pb2.Task, _Mapping]]] = ...) -> None: ...

class GetTaskRequest(_message.Message):
    __slots__ = ("user_app_id", "task_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    task_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., task_id: _Optional[str] = ...) -> None: ...

class ListTasksRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "worker_user_ids", "review_user_ids", "including_label_order_tasks", "label_order_ids", "ids", "input_source_type", "input_source_ids", "additional_fields", "worker_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    WORKER_USER_IDS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_USER_IDS_FIELD_NUMBER: _ClassVar[int]
    INCLUDING_LABEL_ORDER_TASKS_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    INPUT_SOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    INPUT_SOURCE_IDS_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    WORKER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    worker_user_ids: _containers.RepeatedScalarFieldContainer[str]
    review_user_ids: _containers.RepeatedScalarFieldContainer[str]
    including_label_order_tasks: bool
    label_order_ids: _containers.RepeatedScalarFieldContainer[str]
    ids: _containers.RepeatedScalarFieldContainer[str]
    input_source_type: _resources_pb2.TaskInputSource.TaskInputSourceType
    input_source_ids: _containers.RepeatedScalarFieldContainer[str]
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    worker_ids: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkerIDSet]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., worker_user_ids: _Optional[_Iterable[str]] = ..., review_user_ids: _Optional[_Iterable[str]] = ..., including_label_order_tasks: _Optional[bool] = ..., label_order_ids: _Optional[_Iterable[str]] = ..., ids: _Optional[_Iterable[str]] = ..., input_source_type: _Optional[_Union[_resources_pb2.TaskInputSource.TaskInputSourceType, str]] = ..., input_source_ids: _Optional[_Iterable[str]] = ..., additional_fields: _Optional[_Iterable[str]] = ..., worker_ids: _Optional[_Iterable[_Union[_resources_pb2.WorkerIDSet, _Mapping]]] = ...) -> None: ...

class PatchTasksRequest(_message.Message):
    __slots__ = ("user_app_id", "tasks", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    tasks: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Task]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., tasks: _Optional[_Iterable[_Union[_resources_pb2.Task, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteTasksRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiTaskResponse(_message.Message):
    __slots__ = ("status", "tasks")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TASKS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    tasks: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Task]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., tasks: _Optional[_Iterable[_Union[_resources_pb2.Task, _Mapping]]] = ...) -> None: ...

class SingleTaskResponse(_message.Message):
    __slots__ = ("status", "task")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    task: _resources_pb2.Task
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., task: _Optional[_Union[_resources_pb2.Task, _Mapping]] = ...) -> None: ...

class GetTaskCountRequest(_message.Message):
    __slots__ = ("user_app_id", "task_id", "user_ids", "model_version_ids", "workflow_version_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    task_id: str
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    model_version_ids: _containers.RepeatedScalarFieldContainer[str]
    workflow_version_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., task_id: _Optional[str] = ..., user_ids: _Optional[_Iterable[str]] = ..., model_version_ids: _Optional[_Iterable[str]] = ..., workflow_version_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleTaskCountResponse(_message.Message):
    __slots__ = ("status", "app_id", "task_id", "counts")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    COUNTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    app_id: str
    task_id: str
    counts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskStatusCountPerUser]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., app_id: _Optional[str] = ..., task_id: _Optional[str] = ..., counts: _Optional[_Iterable[_Union[_resources_pb2.TaskStatusCountPerUser, _Mapping]]] = ...) -> None: ...

class ListNextTaskAssignmentsRequest(_message.Message):
    __slots__ = ("user_app_id", "task_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    task_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., task_id: _Optional[str] = ...) -> None: ...

class PutTaskAssignmentsRequest(_message.Message):
    __slots__ = ("user_app_id", "task_id", "input_id", "action", "label_submit_config", "review_start_config", "review_approve_config", "review_request_changes_config", "review_reject_config")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    LABEL_SUBMIT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    REVIEW_START_CONFIG_FIELD_NUMBER: _ClassVar[int]
    REVIEW_APPROVE_CONFIG_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REQUEST_CHANGES_CONFIG_FIELD_NUMBER: _ClassVar[int]
    REVIEW_REJECT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    task_id: str
    input_id: str
    action: PutTaskAssignmentsRequestAction
    label_submit_config: LabelSubmitConfig
    review_start_config: ReviewStartConfig
    review_approve_config: ReviewApproveConfig
    review_request_changes_config: ReviewRequestChangesConfig
    review_reject_config: ReviewRejectConfig
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., task_id: _Optional[str] = ..., input_id: _Optional[str] = ..., action: _Optional[_Union[PutTaskAssignmentsRequestAction, str]] = ..., label_submit_config: _Optional[_Union[LabelSubmitConfig, _Mapping]] = ..., review_start_config: _Optional[_Union[ReviewStartConfig, _Mapping]] = ..., review_approve_config: _Optional[_Union[ReviewApproveConfig, _Mapping]] = ..., review_request_changes_config: _Optional[_Union[ReviewRequestChangesConfig, _Mapping]] = ..., review_reject_config: _Optional[_Union[ReviewRejectConfig, _Mapping]] = ...) -> None: ...

class LabelSubmitConfig(_message.Message):
    __slots__ = ("task_assignments",)
    TASK_ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    task_assignments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskAssignment]
    def __init__(self, task_assignments: _Optional[_Iterable[_Union[_resources_pb2.TaskAssignment, _Mapping]]] = ...) -> None: ...

class ReviewStartConfig(_message.Message):
    __slots__ = ("workers",)
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    workers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    def __init__(self, workers: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ...) -> None: ...

class ReviewApproveConfig(_message.Message):
    __slots__ = ("task_assignments", "workers")
    TASK_ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    task_assignments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskAssignment]
    workers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    def __init__(self, task_assignments: _Optional[_Iterable[_Union[_resources_pb2.TaskAssignment, _Mapping]]] = ..., workers: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ...) -> None: ...

class ReviewRequestChangesConfig(_message.Message):
    __slots__ = ("task_assignments", "workers")
    TASK_ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    task_assignments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskAssignment]
    workers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    def __init__(self, task_assignments: _Optional[_Iterable[_Union[_resources_pb2.TaskAssignment, _Mapping]]] = ..., workers: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ...) -> None: ...

class ReviewRejectConfig(_message.Message):
    __slots__ = ("task_assignments", "workers")
    TASK_ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    task_assignments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskAssignment]
    workers: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Worker]
    def __init__(self, task_assignments: _Optional[_Iterable[_Union[_resources_pb2.TaskAssignment, _Mapping]]] = ..., workers: _Optional[_Iterable[_Union[_resources_pb2.Worker, _Mapping]]] = ...) -> None: ...

class MultiTaskAssignmentResponse(_message.Message):
    __slots__ = ("status", "task_assignments")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TASK_ASSIGNMENTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    task_assignments: _containers.RepeatedCompositeFieldContainer[_resources_pb2.TaskAssignment]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., task_assignments: _Optional[_Iterable[_Union[_resources_pb2.TaskAssignment, _Mapping]]] = ...) -> None: ...

class PostLabelOrdersRequest(_message.Message):
    __slots__ = ("user_app_id", "label_orders")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    label_orders: _containers.RepeatedCompositeFieldContainer[_resources_pb2.LabelOrder]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., label_orders: _Optional[_Iterable[_Union[_resources_pb2.LabelOrder, _Mapping]]] = ...) -> None: ...

class GetLabelOrderRequest(_message.Message):
    __slots__ = ("user_app_id", "label_order_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    label_order_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., label_order_id: _Optional[str] = ...) -> None: ...

class ListLabelOrdersRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class PatchLabelOrdersRequest(_message.Message):
    __slots__ = ("user_app_id", "label_orders", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    label_orders: _containers.RepeatedCompositeFieldContainer[_resources_pb2.LabelOrder]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., label_orders: _Optional[_Iterable[_Union[_resources_pb2.LabelOrder, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteLabelOrdersRequest(_message.Message):
    __slots__ = ("user_app_id", "ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiLabelOrderResponse(_message.Message):
    __slots__ = ("status", "label_orders")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDERS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    label_orders: _containers.RepeatedCompositeFieldContainer[_resources_pb2.LabelOrder]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., label_orders: _Optional[_Iterable[_Union[_resources_pb2.LabelOrder, _Mapping]]] = ...) -> None: ...

class SingleLabelOrderResponse(_message.Message):
    __slots__ = ("status", "label_order")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDER_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    label_order: _resources_pb2.LabelOrder
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., label_order: _Optional[_Union[_resources_pb2.LabelOrder, _Mapping]] = ...) -> None: ...

class PostModelFeedbackRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "input")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    input: _resources_pb2.Input
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., input: _Optional[_Union[_resources_pb2.Input, _Mapping]] = ...) -> None: ...

class PostSearchFeedbackRequest(_message.Message):
    __slots__ = ("user_app_id", "input")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    input: _resources_pb2.Input
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., input: _Optional[_Union[_resources_pb2.Input, _Mapping]] = ...) -> None: ...

class FeedbackFilter(_message.Message):
    __slots__ = ("model_id", "model_version_id", "concept_id", "event_type", "end_user_id", "session_id", "input_id")
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    END_USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    model_id: str
    model_version_id: str
    concept_id: str
    event_type: _resources_pb2.FeedbackEventType
    end_user_id: str
    session_id: str
    input_id: str
    def __init__(self, model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., concept_id: _Optional[str] = ..., event_type: _Optional[_Union[_resources_pb2.FeedbackEventType, str]] = ..., end_user_id: _Optional[str] = ..., session_id: _Optional[str] = ..., input_id: _Optional[str] = ...) -> None: ...

class ListFeedbackRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "filter")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    filter: FeedbackFilter
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., filter: _Optional[_Union[FeedbackFilter, _Mapping]] = ...) -> None: ...

class MultiFeedbackResponse(_message.Message):
    __slots__ = ("status", "feedback")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    feedback: _containers.RepeatedCompositeFieldContainer[_resources_pb2.FeedbackEntry]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., feedback: _Optional[_Iterable[_Union[_resources_pb2.FeedbackEntry, _Mapping]]] = ...) -> None: ...

class GetFeedbackSummaryRequest(_message.Message):
    __slots__ = ("user_app_id", "filter")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    filter: FeedbackFilter
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., filter: _Optional[_Union[FeedbackFilter, _Mapping]] = ...) -> None: ...

class SingleFeedbackSummaryResponse(_message.Message):
    __slots__ = ("status", "summary")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    summary: _resources_pb2.FeedbackSummary
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., summary: _Optional[_Union[_resources_pb2.FeedbackSummary, _Mapping]] = ...) -> None: ...

class PostInputsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "searches", "pagination", "only_count")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    ONLY_COUNT_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    pagination: Pagination
    only_count: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ..., only_count: _Optional[bool] = ...) -> None: ...

class PostAnnotationsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "searches", "pagination")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    pagination: Pagination
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ...) -> None: ...

class PostSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "query", "searches", "pagination")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    query: _resources_pb2.Query
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    pagination: Pagination
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., query: _Optional[_Union[_resources_pb2.Query, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ...) -> None: ...

class PostSearchesByIDRequest(_message.Message):
    __slots__ = ("user_app_id", "id", "pagination")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    pagination: Pagination
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ...) -> None: ...

class GetSearchRequest(_message.Message):
    __slots__ = ("user_app_id", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class ListSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class PatchSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "searches", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class PatchInputsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "searches", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class PatchAnnotationsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "searches", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteSearchRequest(_message.Message):
    __slots__ = ("user_app_id", "id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class MultiSearchResponse(_message.Message):
    __slots__ = ("status", "id", "hits", "query", "searches", "hit_counts")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    HITS_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    SEARCHES_FIELD_NUMBER: _ClassVar[int]
    HIT_COUNTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    id: str
    hits: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Hit]
    query: _resources_pb2.Query
    searches: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Search]
    hit_counts: _containers.RepeatedCompositeFieldContainer[_resources_pb2.HitCount]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., id: _Optional[str] = ..., hits: _Optional[_Iterable[_Union[_resources_pb2.Hit, _Mapping]]] = ..., query: _Optional[_Union[_resources_pb2.Query, _Mapping]] = ..., searches: _Optional[_Iterable[_Union[_resources_pb2.Search, _Mapping]]] = ..., hit_counts: _Optional[_Iterable[_Union[_resources_pb2.HitCount, _Mapping]]] = ...) -> None: ...

class SingleSearchResponse(_message.Message):
    __slots__ = ("status", "search")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    search: _resources_pb2.Search
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., search: _Optional[_Union[_resources_pb2.Search, _Mapping]] = ...) -> None: ...

class ListModelTypesRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class MultiModelTypeResponse(_message.Message):
    __slots__ = ("status", "model_types")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    model_types: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ModelType]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., model_types: _Optional[_Iterable[_Union[_resources_pb2.ModelType, _Mapping]]] = ...) -> None: ...

class GetModelTypeRequest(_message.Message):
    __slots__ = ("user_app_id", "model_type_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_type_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_type_id: _Optional[str] = ...) -> None: ...

class SingleModelTypeResponse(_message.Message):
    __slots__ = ("status", "model_type")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    model_type: _resources_pb2.ModelType
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., model_type: _Optional[_Union[_resources_pb2.ModelType, _Mapping]] = ...) -> None: ...

class GetModelRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "language", "trained_before", "additional_fields")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    TRAINED_BEFORE_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    language: str
    trained_before: bool
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., language: _Optional[str] = ..., trained_before: _Optional[bool] = ..., additional_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class SingleModelResponse(_message.Message):
    __slots__ = ("status", "model", "workflow_count")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_COUNT_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    model: _resources_pb2.Model
    workflow_count: int
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., model: _Optional[_Union[_resources_pb2.Model, _Mapping]] = ..., workflow_count: _Optional[int] = ...) -> None: ...

class ListModelsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "additional_fields", "sort_ascending", "sort_by_name", "sort_by_modified_at", "sort_by_created_at", "model_type_id", "trained_only", "input_fields", "output_fields", "toolkits", "use_cases", "languages", "dont_fetch_from_main", "model_version_ids", "creator", "visibility", "search", "query", "name")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_NAME_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    TRAINED_ONLY_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    TOOLKITS_FIELD_NUMBER: _ClassVar[int]
    USE_CASES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    DONT_FETCH_FROM_MAIN_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    sort_ascending: bool
    sort_by_name: bool
    sort_by_modified_at: bool
    sort_by_created_at: bool
    model_type_id: str
    trained_only: bool
    input_fields: _containers.RepeatedScalarFieldContainer[str]
    output_fields: _containers.RepeatedScalarFieldContainer[str]
    toolkits: _containers.RepeatedScalarFieldContainer[str]
    use_cases: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    dont_fetch_from_main: bool
    model_version_ids: _containers.RepeatedScalarFieldContainer[str]
    creator: str
    visibility: _resources_pb2.Visibility
    search: str
    query: str
    name: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., additional_fields: _Optional[_Iterable[str]] = ..., sort_ascending: _Optional[bool] = ..., sort_by_name: _Optional[bool] = ..., sort_by_modified_at: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ..., model_type_id: _Optional[str] = ..., trained_only: _Optional[bool] = ..., input_fields: _Optional[_Iterable[str]] = ..., output_fields: _Optional[_Iterable[str]] = ..., toolkits: _Optional[_Iterable[str]] = ..., use_cases: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., dont_fetch_from_main: _Optional[bool] = ..., model_version_ids: _Optional[_Iterable[str]] = ..., creator: _Optional[str] = ..., visibility: _Optional[_Union[_resources_pb2.Visibility, _Mapping]] = ..., search: _Optional[str] = ..., query: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class MultiModelResponse(_message.Message):
    __slots__ = ("status", "models")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    models: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Model]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., models: _Optional[_Iterable[_Union[_resources_pb2.Model, _Mapping]]] = ...) -> None: ...

class PostModelsSearchesRequest(_message.Message):
    __slots__ = ("user_app_id", "model_query", "pagination")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_QUERY_FIELD_NUMBER: _ClassVar[int]
    PAGINATION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_query: _resources_pb2.ModelQuery
    pagination: Pagination
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_query: _Optional[_Union[_resources_pb2.ModelQuery, _Mapping]] = ..., pagination: _Optional[_Union[Pagination, _Mapping]] = ...) -> None: ...

class PostModelsRequest(_message.Message):
    __slots__ = ("user_app_id", "model", "models")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model: _resources_pb2.Model
    models: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Model]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model: _Optional[_Union[_resources_pb2.Model, _Mapping]] = ..., models: _Optional[_Iterable[_Union[_resources_pb2.Model, _Mapping]]] = ...) -> None: ...

class PatchModelsRequest(_message.Message):
    __slots__ = ("user_app_id", "models", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    models: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Model]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., models: _Optional[_Iterable[_Union[_resources_pb2.Model, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class IdUpdateSource(_message.Message):
    __slots__ = ("id", "new_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    NEW_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    new_id: str
    def __init__(self, id: _Optional[str] = ..., new_id: _Optional[str] = ...) -> None: ...

class PatchModelIdsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedCompositeFieldContainer[IdUpdateSource]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[_Union[IdUpdateSource, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteModelRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ...) -> None: ...

class DeleteModelsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "delete_all")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    DELETE_ALL_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    delete_all: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ..., delete_all: _Optional[bool] = ...) -> None: ...

class PatchModelCheckConsentsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "check_consents", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    CHECK_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    check_consents: _containers.RepeatedScalarFieldContainer[str]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., check_consents: _Optional[_Iterable[str]] = ..., action: _Optional[str] = ...) -> None: ...

class MultiModelCheckConsentResponse(_message.Message):
    __slots__ = ("status", "check_consents")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CHECK_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    check_consents: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., check_consents: _Optional[_Iterable[str]] = ...) -> None: ...

class PatchModelToolkitsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "toolkits", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    TOOLKITS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    toolkits: _containers.RepeatedScalarFieldContainer[str]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., toolkits: _Optional[_Iterable[str]] = ..., action: _Optional[str] = ...) -> None: ...

class MultiModelToolkitResponse(_message.Message):
    __slots__ = ("status", "toolkits")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TOOLKITS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    toolkits: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., toolkits: _Optional[_Iterable[str]] = ...) -> None: ...

class PatchModelUseCasesRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "usecases", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    USECASES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    usecases: _containers.RepeatedScalarFieldContainer[str]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., usecases: _Optional[_Iterable[str]] = ..., action: _Optional[str] = ...) -> None: ...

class MultiModelUseCaseResponse(_message.Message):
    __slots__ = ("status", "usecases")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USECASES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    usecases: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., usecases: _Optional[_Iterable[str]] = ...) -> None: ...

class PatchModelLanguagesRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "languages", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    languages: _containers.RepeatedScalarFieldContainer[str]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., languages: _Optional[_Iterable[str]] = ..., action: _Optional[str] = ...) -> None: ...

class MultiModelLanguageResponse(_message.Message):
    __slots__ = ("status", "languages")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    languages: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., languages: _Optional[_Iterable[str]] = ...) -> None: ...

class ListModelConceptsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "page", "per_page", "search")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    page: int
    per_page: int
    search: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., search: _Optional[str] = ...) -> None: ...

class GetModelVersionRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ...) -> None: ...

class SingleModelVersionResponse(_message.Message):
    __slots__ = ("status", "model_version")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    model_version: _resources_pb2.ModelVersion
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., model_version: _Optional[_Union[_resources_pb2.ModelVersion, _Mapping]] = ...) -> None: ...

class ListModelVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "page", "per_page", "concept_ids", "trained_only", "sort_ascending", "sort_by_status_code", "sort_by_num_inputs", "sort_by_description", "sort_by_created_at")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_IDS_FIELD_NUMBER: _ClassVar[int]
    TRAINED_ONLY_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_NUM_INPUTS_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    page: int
    per_page: int
    concept_ids: _containers.RepeatedScalarFieldContainer[str]
    trained_only: bool
    sort_ascending: bool
    sort_by_status_code: bool
    sort_by_num_inputs: bool
    sort_by_description: bool
    sort_by_created_at: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., concept_ids: _Optional[_Iterable[str]] = ..., trained_only: _Optional[bool] = ..., sort_ascending: _Optional[bool] = ..., sort_by_status_code: _Optional[bool] = ..., sort_by_num_inputs: _Optional[bool] = ..., sort_by_description: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ...) -> None: ...

class MultiModelVersionResponse(_message.Message):
    __slots__ = ("status", "model_versions")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    model_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ModelVersion]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., model_versions: _Optional[_Iterable[_Union[_resources_pb2.ModelVersion, _Mapping]]] = ...) -> None: ...

class PostModelVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "model_versions", "description", "eval_info")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    EVAL_INFO_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    model_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ModelVersion]
    description: str
    eval_info: _resources_pb2.EvalInfo
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., model_versions: _Optional[_Iterable[_Union[_resources_pb2.ModelVersion, _Mapping]]] = ..., description: _Optional[str] = ..., eval_info: _Optional[_Union[_resources_pb2.EvalInfo, _Mapping]] = ...) -> None: ...

class PatchModelVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "model_versions", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    model_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.ModelVersion]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., model_versions: _Optional[_Iterable[_Union[_resources_pb2.ModelVersion, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteModelVersionRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ...) -> None: ...

class GetModelVersionMetricsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "fields")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    fields: _resources_pb2.FieldsValue
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., fields: _Optional[_Union[_resources_pb2.FieldsValue, _Mapping]] = ...) -> None: ...

class PostModelVersionMetricsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "eval_info")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    EVAL_INFO_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    eval_info: _resources_pb2.EvalInfo
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., eval_info: _Optional[_Union[_resources_pb2.EvalInfo, _Mapping]] = ...) -> None: ...

class PostModelVersionEvaluationsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "model_version_id", "eval_metrics")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    EVAL_METRICS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    model_version_id: str
    eval_metrics: _containers.RepeatedCompositeFieldContainer[_resources_pb2.EvalMetrics]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., eval_metrics: _Optional[_Iterable[_Union[_resources_pb2.EvalMetrics, _Mapping]]] = ...) -> None: ...

class MultiEvalMetricsResponse(_message.Message):
    __slots__ = ("status", "eval_metrics")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EVAL_METRICS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    eval_metrics: _containers.RepeatedCompositeFieldContainer[_resources_pb2.EvalMetrics]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., eval_metrics: _Optional[_Iterable[_Union[_resources_pb2.EvalMetrics, _Mapping]]] = ...) -> None: ...

class ListModelVersionEvaluationsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "model_version_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    model_version_id: str
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetModelVersionEvaluationRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "model_version_id", "evaluation_id", "fields")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    model_version_id: str
    evaluation_id: str
    fields: _resources_pb2.FieldsValue
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., evaluation_id: _Optional[str] = ..., fields: _Optional[_Union[_resources_pb2.FieldsValue, _Mapping]] = ...) -> None: ...

class SingleEvalMetricsResponse(_message.Message):
    __slots__ = ("status", "eval_metrics")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EVAL_METRICS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    eval_metrics: _resources_pb2.EvalMetrics
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., eval_metrics: _Optional[_Union[_resources_pb2.EvalMetrics, _Mapping]] = ...) -> None: ...

class ListEvaluationsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "sort_ascending", "sort_by_app_id", "sort_by_roc_auc", "sort_by_f1", "sort_by_created_at", "sort_by_precision", "sort_by_recall", "sort_by_model_id", "model_type_id", "concept_ids", "show_failed_metrics")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_APP_ID_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_ROC_AUC_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_F1_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_PRECISION_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_RECALL_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_IDS_FIELD_NUMBER: _ClassVar[int]
    SHOW_FAILED_METRICS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    sort_ascending: bool
    sort_by_app_id: bool
    sort_by_roc_auc: bool
    sort_by_f1: bool
    sort_by_created_at: bool
    sort_by_precision: bool
    sort_by_recall: bool
    sort_by_model_id: bool
    model_type_id: str
    concept_ids: _containers.RepeatedScalarFieldContainer[str]
    show_failed_metrics: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., sort_ascending: _Optional[bool] = ..., sort_by_app_id: _Optional[bool] = ..., sort_by_roc_auc: _Optional[bool] = ..., sort_by_f1: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ..., sort_by_precision: _Optional[bool] = ..., sort_by_recall: _Optional[bool] = ..., sort_by_model_id: _Optional[bool] = ..., model_type_id: _Optional[str] = ..., concept_ids: _Optional[_Iterable[str]] = ..., show_failed_metrics: _Optional[bool] = ...) -> None: ...

class GetEvaluationRequest(_message.Message):
    __slots__ = ("user_app_id", "evaluation_id", "fields")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_ID_FIELD_NUMBER: _ClassVar[int]
    FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    evaluation_id: str
    fields: _resources_pb2.FieldsValue
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., evaluation_id: _Optional[str] = ..., fields: _Optional[_Union[_resources_pb2.FieldsValue, _Mapping]] = ...) -> None: ...

class PostModelOutputsRequest(_message.Message):
    __slots__ = ("user_app_id", "model_id", "version_id", "inputs", "model", "runner_selector")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    RUNNER_SELECTOR_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    model_id: str
    version_id: str
    inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Input]
    model: _resources_pb2.Model
    runner_selector: _resources_pb2.RunnerSelector
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., model_id: _Optional[str] = ..., version_id: _Optional[str] = ..., inputs: _Optional[_Iterable[_Union[_resources_pb2.Input, _Mapping]]] = ..., model: _Optional[_Union[_resources_pb2.Model, _Mapping]] = ..., runner_selector: _Optional[_Union[_resources_pb2.RunnerSelector, _Mapping]] = ...) -> None: ...

class MultiOutputResponse(_message.Message):
    __slots__ = ("status", "outputs")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    outputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Output]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., outputs: _Optional[_Iterable[_Union[_resources_pb2.Output, _Mapping]]] = ...) -> None: ...

class GetWorkflowRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "additional_fields")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., additional_fields: _Optional[_Iterable[str]] = ...) -> None: ...

class ListWorkflowsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page", "additional_fields", "sort_ascending", "sort_by_id", "sort_by_modified_at", "sort_by_created_at", "visibility", "search", "query", "id", "search_term")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    ADDITIONAL_FIELDS_FIELD_NUMBER: _ClassVar[int]
    SORT_ASCENDING_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_ID_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    SORT_BY_CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    QUERY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SEARCH_TERM_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    additional_fields: _containers.RepeatedScalarFieldContainer[str]
    sort_ascending: bool
    sort_by_id: bool
    sort_by_modified_at: bool
    sort_by_created_at: bool
    visibility: _resources_pb2.Visibility
    search: str
    query: str
    id: str
    search_term: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ..., additional_fields: _Optional[_Iterable[str]] = ..., sort_ascending: _Optional[bool] = ..., sort_by_id: _Optional[bool] = ..., sort_by_modified_at: _Optional[bool] = ..., sort_by_created_at: _Optional[bool] = ..., visibility: _Optional[_Union[_resources_pb2.Visibility, _Mapping]] = ..., search: _Optional[str] = ..., query: _Optional[str] = ..., id: _Optional[str] = ..., search_term: _Optional[str] = ...) -> None: ...

class PostWorkflowsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflows")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflows: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Workflow]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflows: _Optional[_Iterable[_Union[_resources_pb2.Workflow, _Mapping]]] = ...) -> None: ...

class PatchWorkflowsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflows", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflows: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Workflow]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflows: _Optional[_Iterable[_Union[_resources_pb2.Workflow, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class PatchWorkflowIdsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedCompositeFieldContainer[IdUpdateSource]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[_Union[IdUpdateSource, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteWorkflowRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ...) -> None: ...

class DeleteWorkflowsRequest(_message.Message):
    __slots__ = ("user_app_id", "ids", "delete_all")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    IDS_FIELD_NUMBER: _ClassVar[int]
    DELETE_ALL_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    ids: _containers.RepeatedScalarFieldContainer[str]
    delete_all: bool
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., ids: _Optional[_Iterable[str]] = ..., delete_all: _Optional[bool] = ...) -> None: ...

class SingleWorkflowResponse(_message.Message):
    __slots__ = ("status", "workflow")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workflow: _resources_pb2.Workflow
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workflow: _Optional[_Union[_resources_pb2.Workflow, _Mapping]] = ...) -> None: ...

class MultiWorkflowResponse(_message.Message):
    __slots__ = ("status", "workflows")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workflows: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Workflow]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workflows: _Optional[_Iterable[_Union[_resources_pb2.Workflow, _Mapping]]] = ...) -> None: ...

class PostWorkflowResultsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "version_id", "inputs", "output_config")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    version_id: str
    inputs: _containers.RepeatedCompositeFieldContainer[_resources_pb2.Input]
    output_config: _resources_pb2.OutputConfig
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., version_id: _Optional[str] = ..., inputs: _Optional[_Iterable[_Union[_resources_pb2.Input, _Mapping]]] = ..., output_config: _Optional[_Union[_resources_pb2.OutputConfig, _Mapping]] = ...) -> None: ...

class PostWorkflowResultsResponse(_message.Message):
    __slots__ = ("status", "workflow", "results")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workflow: _resources_pb2.Workflow
    results: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkflowResult]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workflow: _Optional[_Union[_resources_pb2.Workflow, _Mapping]] = ..., results: _Optional[_Iterable[_Union[_resources_pb2.WorkflowResult, _Mapping]]] = ...) -> None: ...

class ListWorkflowVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetWorkflowVersionRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "workflow_version_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    workflow_version_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., workflow_version_id: _Optional[str] = ...) -> None: ...

class DeleteWorkflowVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "workflow_version_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSION_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    workflow_version_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., workflow_version_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class PatchWorkflowVersionsRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "workflow_versions", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    workflow_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkflowVersion]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., workflow_versions: _Optional[_Iterable[_Union[_resources_pb2.WorkflowVersion, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class MultiWorkflowVersionResponse(_message.Message):
    __slots__ = ("status", "workflow_versions")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workflow_versions: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkflowVersion]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workflow_versions: _Optional[_Iterable[_Union[_resources_pb2.WorkflowVersion, _Mapping]]] = ...) -> None: ...

class SingleWorkflowVersionResponse(_message.Message):
    __slots__ = ("status", "workflow_version")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    workflow_version: _resources_pb2.WorkflowVersion
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., workflow_version: _Optional[_Union[_resources_pb2.WorkflowVersion, _Mapping]] = ...) -> None: ...

class PostWorkflowVersionsPublishRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "publications")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLICATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    publications: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkflowVersionPublishRequest]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., publications: _Optional[_Iterable[_Union[_resources_pb2.WorkflowVersionPublishRequest, _Mapping]]] = ...) -> None: ...

class PostWorkflowVersionsUnPublishRequest(_message.Message):
    __slots__ = ("user_app_id", "workflow_id", "publications")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    PUBLICATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    workflow_id: str
    publications: _containers.RepeatedCompositeFieldContainer[_resources_pb2.WorkflowVersionUnPublishRequest]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., workflow_id: _Optional[str] = ..., publications: _Optional[_Iterable[_Union[_resources_pb2.WorkflowVersionUnPublishRequest, _Mapping]]] = ...) -> None: ...

class PostAppDuplicationsRequest(_message.Message):
    __slots__ = ("user_app_id", "app_duplications")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    APP_DUPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    app_duplications: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AppDuplication]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., app_duplications: _Optional[_Iterable[_Union[_resources_pb2.AppDuplication, _Mapping]]] = ...) -> None: ...

class GetAppDuplicationRequest(_message.Message):
    __slots__ = ("user_app_id", "app_duplication_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    APP_DUPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    app_duplication_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., app_duplication_id: _Optional[str] = ...) -> None: ...

class ListAppDuplicationsRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class MultiAppDuplicationsResponse(_message.Message):
    __slots__ = ("status", "app_duplications")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APP_DUPLICATIONS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    app_duplications: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AppDuplication]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., app_duplications: _Optional[_Iterable[_Union[_resources_pb2.AppDuplication, _Mapping]]] = ...) -> None: ...

class SingleAppDuplicationResponse(_message.Message):
    __slots__ = ("status", "app_duplication")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    APP_DUPLICATION_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    app_duplication: _resources_pb2.AppDuplication
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., app_duplication: _Optional[_Union[_resources_pb2.AppDuplication, _Mapping]] = ...) -> None: ...

class GetResourceCountsRequest(_message.Message):
    __slots__ = ("user_app_id",)
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ...) -> None: ...

class GetResourceCountsResponse(_message.Message):
    __slots__ = ("status", "datasets", "models", "workflows", "inputs", "pipelines")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASETS_FIELD_NUMBER: _ClassVar[int]
    MODELS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    PIPELINES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    datasets: int
    models: int
    workflows: int
    inputs: int
    pipelines: int
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., datasets: _Optional[int] = ..., models: _Optional[int] = ..., workflows: _Optional[int] = ..., inputs: _Optional[int] = ..., pipelines: _Optional[int] = ...) -> None: ...

class PostStatValuesRequest(_message.Message):
    __slots__ = ("user_app_id", "stat_values")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUES_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    stat_values: _containers.RepeatedCompositeFieldContainer[_resources_pb2.StatValue]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., stat_values: _Optional[_Iterable[_Union[_resources_pb2.StatValue, _Mapping]]] = ...) -> None: ...

class MultiStatValueResponse(_message.Message):
    __slots__ = ("status", "stat_values")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUES_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    stat_values: _containers.RepeatedCompositeFieldContainer[_resources_pb2.StatValue]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., stat_values: _Optional[_Iterable[_Union[_resources_pb2.StatValue, _Mapping]]] = ...) -> None: ...

class PostStatValuesAggregateRequest(_message.Message):
    __slots__ = ("user_app_id", "stat_value_aggregate_queries")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUE_AGGREGATE_QUERIES_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    stat_value_aggregate_queries: _containers.RepeatedCompositeFieldContainer[_resources_pb2.StatValueAggregateQuery]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., stat_value_aggregate_queries: _Optional[_Iterable[_Union[_resources_pb2.StatValueAggregateQuery, _Mapping]]] = ...) -> None: ...

class MultiStatValueAggregateResponse(_message.Message):
    __slots__ = ("status", "stat_value_aggregate_results")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUE_AGGREGATE_RESULTS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    stat_value_aggregate_results: _containers.RepeatedCompositeFieldContainer[_resources_pb2.StatValueAggregateResult]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., stat_value_aggregate_results: _Optional[_Iterable[_Union[_resources_pb2.StatValueAggregateResult, _Mapping]]] = ...) -> None: ...

class ListAnnotationFiltersRequest(_message.Message):
    __slots__ = ("user_app_id", "page", "per_page")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_FIELD_NUMBER: _ClassVar[int]
    PER_PAGE_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    page: int
    per_page: int
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., page: _Optional[int] = ..., per_page: _Optional[int] = ...) -> None: ...

class GetAnnotationFilterRequest(_message.Message):
    __slots__ = ("user_app_id", "annotation_filter_id")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTER_ID_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotation_filter_id: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotation_filter_id: _Optional[str] = ...) -> None: ...

class PostAnnotationFiltersRequest(_message.Message):
    __slots__ = ("user_app_id", "annotation_filters")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTERS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotation_filters: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AnnotationFilter]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotation_filters: _Optional[_Iterable[_Union[_resources_pb2.AnnotationFilter, _Mapping]]] = ...) -> None: ...

class PatchAnnotationFiltersRequest(_message.Message):
    __slots__ = ("user_app_id", "annotation_filters", "action")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTERS_FIELD_NUMBER: _ClassVar[int]
    ACTION_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotation_filters: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AnnotationFilter]
    action: str
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotation_filters: _Optional[_Iterable[_Union[_resources_pb2.AnnotationFilter, _Mapping]]] = ..., action: _Optional[str] = ...) -> None: ...

class DeleteAnnotationFiltersRequest(_message.Message):
    __slots__ = ("user_app_id", "annotation_filter_ids")
    USER_APP_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTER_IDS_FIELD_NUMBER: _ClassVar[int]
    user_app_id: _resources_pb2.UserAppIDSet
    annotation_filter_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, user_app_id: _Optional[_Union[_resources_pb2.UserAppIDSet, _Mapping]] = ..., annotation_filter_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class MultiAnnotationFilterResponse(_message.Message):
    __slots__ = ("status", "annotation_filters")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTERS_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    annotation_filters: _containers.RepeatedCompositeFieldContainer[_resources_pb2.AnnotationFilter]
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., annotation_filters: _Optional[_Iterable[_Union[_resources_pb2.AnnotationFilter, _Mapping]]] = ...) -> None: ...

class SingleAnnotationFilterResponse(_message.Message):
    __slots__ = ("status", "annotation_filter")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTER_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    annotation_filter: _resources_pb2.AnnotationFilter
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., annotation_filter: _Optional[_Union[_resources_pb2.AnnotationFilter, _Mapping]] = ...) -> None: ...
