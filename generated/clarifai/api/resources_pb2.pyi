import datetime

from clarifai.api.status import status_pb2 as _status_pb2
from clarifai.api.utils import extensions_pb2 as _extensions_pb2
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

class Input(_message.Message):
    __slots__ = ("id", "data", "created_at", "modified_at", "status", "dataset_ids")
    ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_IDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    data: Data
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    status: _status_pb2.Status
    dataset_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Data(_message.Message):
    __slots__ = ("image", "video", "concepts", "metadata", "geo", "regions", "text", "audio")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    GEO_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    image: Image
    video: Video
    concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    metadata: _struct_pb2.Struct
    geo: Geo
    regions: _containers.RepeatedCompositeFieldContainer[Region]
    text: Text
    audio: Audio
    def __init__(self, image: _Optional[_Union[Image, _Mapping]] = ..., video: _Optional[_Union[Video, _Mapping]] = ..., concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., geo: _Optional[_Union[Geo, _Mapping]] = ..., regions: _Optional[_Iterable[_Union[Region, _Mapping]]] = ..., text: _Optional[_Union[Text, _Mapping]] = ..., audio: _Optional[_Union[Audio, _Mapping]] = ...) -> None: ...

class Image(_message.Message):
    __slots__ = ("url", "base64", "allow_duplicate_url", "hosted", "image_info")
    URL_FIELD_NUMBER: _ClassVar[int]
    BASE64_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_URL_FIELD_NUMBER: _ClassVar[int]
    HOSTED_FIELD_NUMBER: _ClassVar[int]
    IMAGE_INFO_FIELD_NUMBER: _ClassVar[int]
    url: str
    base64: bytes
    allow_duplicate_url: bool
    hosted: HostedURL
    image_info: ImageInfo
    def __init__(self, url: _Optional[str] = ..., base64: _Optional[bytes] = ..., allow_duplicate_url: _Optional[bool] = ..., hosted: _Optional[_Union[HostedURL, _Mapping]] = ..., image_info: _Optional[_Union[ImageInfo, _Mapping]] = ...) -> None: ...

class Video(_message.Message):
    __slots__ = ("url", "base64", "allow_duplicate_url", "hosted")
    URL_FIELD_NUMBER: _ClassVar[int]
    BASE64_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_URL_FIELD_NUMBER: _ClassVar[int]
    HOSTED_FIELD_NUMBER: _ClassVar[int]
    url: str
    base64: bytes
    allow_duplicate_url: bool
    hosted: HostedURL
    def __init__(self, url: _Optional[str] = ..., base64: _Optional[bytes] = ..., allow_duplicate_url: _Optional[bool] = ..., hosted: _Optional[_Union[HostedURL, _Mapping]] = ...) -> None: ...

class Audio(_message.Message):
    __slots__ = ("url", "base64", "allow_duplicate_url", "hosted")
    URL_FIELD_NUMBER: _ClassVar[int]
    BASE64_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_URL_FIELD_NUMBER: _ClassVar[int]
    HOSTED_FIELD_NUMBER: _ClassVar[int]
    url: str
    base64: bytes
    allow_duplicate_url: bool
    hosted: HostedURL
    def __init__(self, url: _Optional[str] = ..., base64: _Optional[bytes] = ..., allow_duplicate_url: _Optional[bool] = ..., hosted: _Optional[_Union[HostedURL, _Mapping]] = ...) -> None: ...

class Text(_message.Message):
    __slots__ = ("raw", "url", "allow_duplicate_url", "hosted")
    RAW_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    ALLOW_DUPLICATE_URL_FIELD_NUMBER: _ClassVar[int]
    HOSTED_FIELD_NUMBER: _ClassVar[int]
    raw: str
    url: str
    allow_duplicate_url: bool
    hosted: HostedURL
    def __init__(self, raw: _Optional[str] = ..., url: _Optional[str] = ..., allow_duplicate_url: _Optional[bool] = ..., hosted: _Optional[_Union[HostedURL, _Mapping]] = ...) -> None: ...

class HostedURL(_message.Message):
    __slots__ = ("prefix", "suffix", "sizes", "crossorigin")
    PREFIX_FIELD_NUMBER: _ClassVar[int]
    SUFFIX_FIELD_NUMBER: _ClassVar[int]
    SIZES_FIELD_NUMBER: _ClassVar[int]
    CROSSORIGIN_FIELD_NUMBER: _ClassVar[int]
    prefix: str
    suffix: str
    sizes: _containers.RepeatedScalarFieldContainer[str]
    crossorigin: str
    def __init__(self, prefix: _Optional[str] = ..., suffix: _Optional[str] = ..., sizes: _Optional[_Iterable[str]] = ..., crossorigin: _Optional[str] = ...) -> None: ...

class ImageInfo(_message.Message):
    __slots__ = ("width", "height", "format", "color_mode")
    WIDTH_FIELD_NUMBER: _ClassVar[int]
    HEIGHT_FIELD_NUMBER: _ClassVar[int]
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    COLOR_MODE_FIELD_NUMBER: _ClassVar[int]
    width: int
    height: int
    format: str
    color_mode: str
    def __init__(self, width: _Optional[int] = ..., height: _Optional[int] = ..., format: _Optional[str] = ..., color_mode: _Optional[str] = ...) -> None: ...

class Concept(_message.Message):
    __slots__ = ("id", "name", "value", "created_at", "language", "app_id", "definition", "vocab_id", "visibility", "user_id", "metadata")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    VOCAB_ID_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    value: float
    created_at: _timestamp_pb2.Timestamp
    language: str
    app_id: str
    definition: str
    vocab_id: str
    visibility: Visibility
    user_id: str
    metadata: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., value: _Optional[float] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., language: _Optional[str] = ..., app_id: _Optional[str] = ..., definition: _Optional[str] = ..., vocab_id: _Optional[str] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., user_id: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class Region(_message.Message):
    __slots__ = ("id", "region_info", "data", "value")
    ID_FIELD_NUMBER: _ClassVar[int]
    REGION_INFO_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    id: str
    region_info: RegionInfo
    data: Data
    value: float
    def __init__(self, id: _Optional[str] = ..., region_info: _Optional[_Union[RegionInfo, _Mapping]] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., value: _Optional[float] = ...) -> None: ...

class RegionInfo(_message.Message):
    __slots__ = ("bounding_box", "mask", "polygon", "point", "span", "token")
    BOUNDING_BOX_FIELD_NUMBER: _ClassVar[int]
    MASK_FIELD_NUMBER: _ClassVar[int]
    POLYGON_FIELD_NUMBER: _ClassVar[int]
    POINT_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    bounding_box: BoundingBox
    mask: Mask
    polygon: Polygon
    point: Point
    span: Span
    token: Token
    def __init__(self, bounding_box: _Optional[_Union[BoundingBox, _Mapping]] = ..., mask: _Optional[_Union[Mask, _Mapping]] = ..., polygon: _Optional[_Union[Polygon, _Mapping]] = ..., point: _Optional[_Union[Point, _Mapping]] = ..., span: _Optional[_Union[Span, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ...) -> None: ...

class BoundingBox(_message.Message):
    __slots__ = ("top_row", "left_col", "bottom_row", "right_col")
    TOP_ROW_FIELD_NUMBER: _ClassVar[int]
    LEFT_COL_FIELD_NUMBER: _ClassVar[int]
    BOTTOM_ROW_FIELD_NUMBER: _ClassVar[int]
    RIGHT_COL_FIELD_NUMBER: _ClassVar[int]
    top_row: float
    left_col: float
    bottom_row: float
    right_col: float
    def __init__(self, top_row: _Optional[float] = ..., left_col: _Optional[float] = ..., bottom_row: _Optional[float] = ..., right_col: _Optional[float] = ...) -> None: ...

class Polygon(_message.Message):
    __slots__ = ("points",)
    POINTS_FIELD_NUMBER: _ClassVar[int]
    points: _containers.RepeatedCompositeFieldContainer[Point]
    def __init__(self, points: _Optional[_Iterable[_Union[Point, _Mapping]]] = ...) -> None: ...

class Point(_message.Message):
    __slots__ = ("row", "col", "z")
    class Visibility(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        NOT_SET: _ClassVar[Point.Visibility]
        VISIBLE: _ClassVar[Point.Visibility]
        NOT_VISIBLE: _ClassVar[Point.Visibility]
        NOT_PRESENT: _ClassVar[Point.Visibility]
    NOT_SET: Point.Visibility
    VISIBLE: Point.Visibility
    NOT_VISIBLE: Point.Visibility
    NOT_PRESENT: Point.Visibility
    ROW_FIELD_NUMBER: _ClassVar[int]
    COL_FIELD_NUMBER: _ClassVar[int]
    Z_FIELD_NUMBER: _ClassVar[int]
    row: float
    col: float
    z: float
    def __init__(self, row: _Optional[float] = ..., col: _Optional[float] = ..., z: _Optional[float] = ...) -> None: ...

class Mask(_message.Message):
    __slots__ = ("image",)
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    image: Image
    def __init__(self, image: _Optional[_Union[Image, _Mapping]] = ...) -> None: ...

class Span(_message.Message):
    __slots__ = ("char_start", "char_end", "raw_text")
    CHAR_START_FIELD_NUMBER: _ClassVar[int]
    CHAR_END_FIELD_NUMBER: _ClassVar[int]
    RAW_TEXT_FIELD_NUMBER: _ClassVar[int]
    char_start: int
    char_end: int
    raw_text: str
    def __init__(self, char_start: _Optional[int] = ..., char_end: _Optional[int] = ..., raw_text: _Optional[str] = ...) -> None: ...

class Token(_message.Message):
    __slots__ = ("char_start", "char_end", "raw_text")
    CHAR_START_FIELD_NUMBER: _ClassVar[int]
    CHAR_END_FIELD_NUMBER: _ClassVar[int]
    RAW_TEXT_FIELD_NUMBER: _ClassVar[int]
    char_start: int
    char_end: int
    raw_text: str
    def __init__(self, char_start: _Optional[int] = ..., char_end: _Optional[int] = ..., raw_text: _Optional[str] = ...) -> None: ...

class Geo(_message.Message):
    __slots__ = ("geo_point",)
    GEO_POINT_FIELD_NUMBER: _ClassVar[int]
    geo_point: GeoPoint
    def __init__(self, geo_point: _Optional[_Union[GeoPoint, _Mapping]] = ...) -> None: ...

class GeoPoint(_message.Message):
    __slots__ = ("longitude", "latitude")
    LONGITUDE_FIELD_NUMBER: _ClassVar[int]
    LATITUDE_FIELD_NUMBER: _ClassVar[int]
    longitude: float
    latitude: float
    def __init__(self, longitude: _Optional[float] = ..., latitude: _Optional[float] = ...) -> None: ...

class Annotation(_message.Message):
    __slots__ = ("id", "input_id", "data", "annotation_info", "user_id", "model_version_id", "status", "created_at", "modified_at", "input_level", "task_id", "worker")
    ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_INFO_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    INPUT_LEVEL_FIELD_NUMBER: _ClassVar[int]
    TASK_ID_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    id: str
    input_id: str
    data: Data
    annotation_info: _struct_pb2.Struct
    user_id: str
    model_version_id: str
    status: _status_pb2.Status
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    input_level: bool
    task_id: str
    worker: Worker
    def __init__(self, id: _Optional[str] = ..., input_id: _Optional[str] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., annotation_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., user_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input_level: _Optional[bool] = ..., task_id: _Optional[str] = ..., worker: _Optional[_Union[Worker, _Mapping]] = ...) -> None: ...

class Worker(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: User
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ...) -> None: ...

class Collector(_message.Message):
    __slots__ = ("id", "description", "created_at", "pre_queue_workflow_id", "pre_queue_random_sample", "post_queue_workflow_id", "collector_source", "status", "collect_outputs")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    PRE_QUEUE_WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    PRE_QUEUE_RANDOM_SAMPLE_FIELD_NUMBER: _ClassVar[int]
    POST_QUEUE_WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    COLLECTOR_SOURCE_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COLLECT_OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    description: str
    created_at: _timestamp_pb2.Timestamp
    pre_queue_workflow_id: str
    pre_queue_random_sample: float
    post_queue_workflow_id: str
    collector_source: CollectorSource
    status: _status_pb2.Status
    collect_outputs: bool
    def __init__(self, id: _Optional[str] = ..., description: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., pre_queue_workflow_id: _Optional[str] = ..., pre_queue_random_sample: _Optional[float] = ..., post_queue_workflow_id: _Optional[str] = ..., collector_source: _Optional[_Union[CollectorSource, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., collect_outputs: _Optional[bool] = ...) -> None: ...

class CollectorSource(_message.Message):
    __slots__ = ("api_post_model_outputs_collector_source",)
    API_POST_MODEL_OUTPUTS_COLLECTOR_SOURCE_FIELD_NUMBER: _ClassVar[int]
    api_post_model_outputs_collector_source: APIPostModelOutputsCollectorSource
    def __init__(self, api_post_model_outputs_collector_source: _Optional[_Union[APIPostModelOutputsCollectorSource, _Mapping]] = ...) -> None: ...

class APIPostModelOutputsCollectorSource(_message.Message):
    __slots__ = ("model_user_id", "model_app_id", "model_id", "model_version_id", "post_inputs_key_id", "caller_user_id")
    MODEL_USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    POST_INPUTS_KEY_ID_FIELD_NUMBER: _ClassVar[int]
    CALLER_USER_ID_FIELD_NUMBER: _ClassVar[int]
    model_user_id: str
    model_app_id: str
    model_id: str
    model_version_id: str
    post_inputs_key_id: str
    caller_user_id: str
    def __init__(self, model_user_id: _Optional[str] = ..., model_app_id: _Optional[str] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., post_inputs_key_id: _Optional[str] = ..., caller_user_id: _Optional[str] = ...) -> None: ...
