import datetime

from clarifai.api.status import status_pb2 as _status_pb2
from clarifai.api.status import status_code_pb2 as _status_code_pb2
from clarifai.api.utils import extensions_pb2 as _extensions_pb2
from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import wrappers_pb2 as _wrappers_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class FeedbackEventType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    undefined: _ClassVar[FeedbackEventType]
    search_click: _ClassVar[FeedbackEventType]
    annotation: _ClassVar[FeedbackEventType]

class RegionFeedback(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    accurate: _ClassVar[RegionFeedback]
    misplaced: _ClassVar[RegionFeedback]
    not_detected: _ClassVar[RegionFeedback]
    false_positive: _ClassVar[RegionFeedback]

class InputIDConflictResolution(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    INPUT_ID_CONFLICT_RESOLUTION_NOT_SET: _ClassVar[InputIDConflictResolution]
    SKIP: _ClassVar[InputIDConflictResolution]
    SUFFIX: _ClassVar[InputIDConflictResolution]

class DatasetVersionMetricsGroupType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET: _ClassVar[DatasetVersionMetricsGroupType]
    INPUT_TYPE: _ClassVar[DatasetVersionMetricsGroupType]
    CONCEPT_ID: _ClassVar[DatasetVersionMetricsGroupType]
    CONCEPTS_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    BOUNDING_BOXES_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    POLYGONS_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    POINTS_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    MASKS_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    PIXELS_COUNT: _ClassVar[DatasetVersionMetricsGroupType]
    ASPECT_RATIO: _ClassVar[DatasetVersionMetricsGroupType]

class DatasetVersionRequestOrigin(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATASET_VERSION_REQUEST_ORIGIN_NOT_SET: _ClassVar[DatasetVersionRequestOrigin]
    MANUAL: _ClassVar[DatasetVersionRequestOrigin]
    TRAINING: _ClassVar[DatasetVersionRequestOrigin]
    EVAL_GROUND_TRUTH: _ClassVar[DatasetVersionRequestOrigin]
    EVAL_PREDICTIONS: _ClassVar[DatasetVersionRequestOrigin]

class DatasetVersionExportFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DATASET_VERSION_EXPORT_FORMAT_NOT_SET: _ClassVar[DatasetVersionExportFormat]
    CLARIFAI_DATA_PROTOBUF: _ClassVar[DatasetVersionExportFormat]
    CLARIFAI_DATA_JSON: _ClassVar[DatasetVersionExportFormat]
    COCO: _ClassVar[DatasetVersionExportFormat]

class EvaluationType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    Undefined: _ClassVar[EvaluationType]
    Classification: _ClassVar[EvaluationType]
    Detection: _ClassVar[EvaluationType]
    Segmentation: _ClassVar[EvaluationType]
    Clustering: _ClassVar[EvaluationType]
    Tracker: _ClassVar[EvaluationType]
    Generation: _ClassVar[EvaluationType]

class StatValueAggType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SUM: _ClassVar[StatValueAggType]
    AVG: _ClassVar[StatValueAggType]

class StatTimeAggType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    NO_TIME_AGG: _ClassVar[StatTimeAggType]
    YEAR: _ClassVar[StatTimeAggType]
    MONTH: _ClassVar[StatTimeAggType]
    WEEK: _ClassVar[StatTimeAggType]
    DAY: _ClassVar[StatTimeAggType]
    HOUR: _ClassVar[StatTimeAggType]
    MINUTE: _ClassVar[StatTimeAggType]
undefined: FeedbackEventType
search_click: FeedbackEventType
annotation: FeedbackEventType
accurate: RegionFeedback
misplaced: RegionFeedback
not_detected: RegionFeedback
false_positive: RegionFeedback
INPUT_ID_CONFLICT_RESOLUTION_NOT_SET: InputIDConflictResolution
SKIP: InputIDConflictResolution
SUFFIX: InputIDConflictResolution
DATASET_VERSION_METRICS_GROUP_TYPE_NOT_SET: DatasetVersionMetricsGroupType
INPUT_TYPE: DatasetVersionMetricsGroupType
CONCEPT_ID: DatasetVersionMetricsGroupType
CONCEPTS_COUNT: DatasetVersionMetricsGroupType
BOUNDING_BOXES_COUNT: DatasetVersionMetricsGroupType
POLYGONS_COUNT: DatasetVersionMetricsGroupType
POINTS_COUNT: DatasetVersionMetricsGroupType
MASKS_COUNT: DatasetVersionMetricsGroupType
PIXELS_COUNT: DatasetVersionMetricsGroupType
ASPECT_RATIO: DatasetVersionMetricsGroupType
DATASET_VERSION_REQUEST_ORIGIN_NOT_SET: DatasetVersionRequestOrigin
MANUAL: DatasetVersionRequestOrigin
TRAINING: DatasetVersionRequestOrigin
EVAL_GROUND_TRUTH: DatasetVersionRequestOrigin
EVAL_PREDICTIONS: DatasetVersionRequestOrigin
DATASET_VERSION_EXPORT_FORMAT_NOT_SET: DatasetVersionExportFormat
CLARIFAI_DATA_PROTOBUF: DatasetVersionExportFormat
CLARIFAI_DATA_JSON: DatasetVersionExportFormat
COCO: DatasetVersionExportFormat
Undefined: EvaluationType
Classification: EvaluationType
Detection: EvaluationType
Segmentation: EvaluationType
Clustering: EvaluationType
Tracker: EvaluationType
Generation: EvaluationType
SUM: StatValueAggType
AVG: StatValueAggType
NO_TIME_AGG: StatTimeAggType
YEAR: StatTimeAggType
MONTH: StatTimeAggType
WEEK: StatTimeAggType
DAY: StatTimeAggType
HOUR: StatTimeAggType
MINUTE: StatTimeAggType

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
    __slots__ = ("id", "name", "default_language", "default_workflow_id", "default_workflow", "user_id", "created_at", "modified_at", "metadata", "description", "sample_ms", "visibility", "notes")
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
    DEFAULT_WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_WORKFLOW_FIELD_NUMBER: _ClassVar[int]
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
    default_workflow_id: str
    default_workflow: Workflow
    user_id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    metadata: _struct_pb2.Struct
    description: str
    sample_ms: int
    visibility: Visibility
    notes: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., default_language: _Optional[str] = ..., default_workflow_id: _Optional[str] = ..., default_workflow: _Optional[_Union[Workflow, _Mapping]] = ..., user_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., description: _Optional[str] = ..., sample_ms: _Optional[int] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., notes: _Optional[str] = ...) -> None: ...

class Workflow(_message.Message):
    __slots__ = ("id", "app_id", "created_at", "nodes", "metadata", "visibility", "user_id", "modified_at", "version", "description", "notes", "use_cases", "check_consents")
    ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    USE_CASES_FIELD_NUMBER: _ClassVar[int]
    CHECK_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    id: str
    app_id: str
    created_at: _timestamp_pb2.Timestamp
    nodes: _containers.RepeatedCompositeFieldContainer[WorkflowNode]
    metadata: _struct_pb2.Struct
    visibility: Visibility
    user_id: str
    modified_at: _timestamp_pb2.Timestamp
    version: WorkflowVersion
    description: str
    notes: str
    use_cases: _containers.RepeatedScalarFieldContainer[str]
    check_consents: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, id: _Optional[str] = ..., app_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., nodes: _Optional[_Iterable[_Union[WorkflowNode, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., user_id: _Optional[str] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[_Union[WorkflowVersion, _Mapping]] = ..., description: _Optional[str] = ..., notes: _Optional[str] = ..., use_cases: _Optional[_Iterable[str]] = ..., check_consents: _Optional[_Iterable[str]] = ...) -> None: ...

class WorkflowVersion(_message.Message):
    __slots__ = ("id", "workflow_id", "created_at", "modified_at", "visibility", "nodes", "metadata", "app_id", "user_id", "description", "license", "is_deprecated")
    ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    NODES_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    LICENSE_FIELD_NUMBER: _ClassVar[int]
    IS_DEPRECATED_FIELD_NUMBER: _ClassVar[int]
    id: str
    workflow_id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    visibility: Visibility
    nodes: _containers.RepeatedCompositeFieldContainer[WorkflowNode]
    metadata: _struct_pb2.Struct
    app_id: str
    user_id: str
    description: str
    license: str
    is_deprecated: bool
    def __init__(self, id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., nodes: _Optional[_Iterable[_Union[WorkflowNode, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., app_id: _Optional[str] = ..., user_id: _Optional[str] = ..., description: _Optional[str] = ..., license: _Optional[str] = ..., is_deprecated: _Optional[bool] = ...) -> None: ...

class WorkflowNode(_message.Message):
    __slots__ = ("id", "model", "node_inputs", "suppress_output", "output_info_override")
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    NODE_INPUTS_FIELD_NUMBER: _ClassVar[int]
    SUPPRESS_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INFO_OVERRIDE_FIELD_NUMBER: _ClassVar[int]
    id: str
    model: Model
    node_inputs: _containers.RepeatedCompositeFieldContainer[NodeInput]
    suppress_output: bool
    output_info_override: OutputInfo
    def __init__(self, id: _Optional[str] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., node_inputs: _Optional[_Iterable[_Union[NodeInput, _Mapping]]] = ..., suppress_output: _Optional[bool] = ..., output_info_override: _Optional[_Union[OutputInfo, _Mapping]] = ...) -> None: ...

class NodeInput(_message.Message):
    __slots__ = ("node_id",)
    NODE_ID_FIELD_NUMBER: _ClassVar[int]
    node_id: str
    def __init__(self, node_id: _Optional[str] = ...) -> None: ...

class WorkflowResult(_message.Message):
    __slots__ = ("id", "status", "created_at", "input", "outputs", "suppress_output")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUTS_FIELD_NUMBER: _ClassVar[int]
    SUPPRESS_OUTPUT_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: _status_pb2.Status
    created_at: _timestamp_pb2.Timestamp
    input: Input
    outputs: _containers.RepeatedCompositeFieldContainer[Output]
    suppress_output: bool
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., outputs: _Optional[_Iterable[_Union[Output, _Mapping]]] = ..., suppress_output: _Optional[bool] = ...) -> None: ...

class WorkflowVersionPublishRequest(_message.Message):
    __slots__ = ("version_id",)
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    def __init__(self, version_id: _Optional[str] = ...) -> None: ...

class WorkflowVersionUnPublishRequest(_message.Message):
    __slots__ = ("version_id",)
    VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    version_id: str
    def __init__(self, version_id: _Optional[str] = ...) -> None: ...

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
    __slots__ = ("id", "data", "created_at", "modified_at", "status", "dataset_ids", "feedback_info")
    ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DATASET_IDS_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_INFO_FIELD_NUMBER: _ClassVar[int]
    id: str
    data: Data
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    status: _status_pb2.Status
    dataset_ids: _containers.RepeatedScalarFieldContainer[str]
    feedback_info: FeedbackInfo
    def __init__(self, id: _Optional[str] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., dataset_ids: _Optional[_Iterable[str]] = ..., feedback_info: _Optional[_Union[FeedbackInfo, _Mapping]] = ...) -> None: ...

class Data(_message.Message):
    __slots__ = ("image", "video", "concepts", "metadata", "geo", "embeddings", "regions", "frames", "text", "audio")
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    VIDEO_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    GEO_FIELD_NUMBER: _ClassVar[int]
    EMBEDDINGS_FIELD_NUMBER: _ClassVar[int]
    REGIONS_FIELD_NUMBER: _ClassVar[int]
    FRAMES_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    image: Image
    video: Video
    concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    metadata: _struct_pb2.Struct
    geo: Geo
    embeddings: _containers.RepeatedCompositeFieldContainer[Embedding]
    regions: _containers.RepeatedCompositeFieldContainer[Region]
    frames: _containers.RepeatedCompositeFieldContainer[Frame]
    text: Text
    audio: Audio
    def __init__(self, image: _Optional[_Union[Image, _Mapping]] = ..., video: _Optional[_Union[Video, _Mapping]] = ..., concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., geo: _Optional[_Union[Geo, _Mapping]] = ..., embeddings: _Optional[_Iterable[_Union[Embedding, _Mapping]]] = ..., regions: _Optional[_Iterable[_Union[Region, _Mapping]]] = ..., frames: _Optional[_Iterable[_Union[Frame, _Mapping]]] = ..., text: _Optional[_Union[Text, _Mapping]] = ..., audio: _Optional[_Union[Audio, _Mapping]] = ...) -> None: ...

class Embedding(_message.Message):
    __slots__ = ("vector", "num_dimensions")
    VECTOR_FIELD_NUMBER: _ClassVar[int]
    NUM_DIMENSIONS_FIELD_NUMBER: _ClassVar[int]
    vector: _containers.RepeatedScalarFieldContainer[float]
    num_dimensions: int
    def __init__(self, vector: _Optional[_Iterable[float]] = ..., num_dimensions: _Optional[int] = ...) -> None: ...

class Frame(_message.Message):
    __slots__ = ("frame_info", "data", "id")
    FRAME_INFO_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    frame_info: FrameInfo
    data: Data
    id: str
    def __init__(self, frame_info: _Optional[_Union[FrameInfo, _Mapping]] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., id: _Optional[str] = ...) -> None: ...

class FrameInfo(_message.Message):
    __slots__ = ("index", "time", "number")
    INDEX_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    index: int
    time: int
    number: int
    def __init__(self, index: _Optional[int] = ..., time: _Optional[int] = ..., number: _Optional[int] = ...) -> None: ...

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
    __slots__ = ("bounding_box", "mask", "polygon", "point", "span", "token", "feedback")
    BOUNDING_BOX_FIELD_NUMBER: _ClassVar[int]
    MASK_FIELD_NUMBER: _ClassVar[int]
    POLYGON_FIELD_NUMBER: _ClassVar[int]
    POINT_FIELD_NUMBER: _ClassVar[int]
    SPAN_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    bounding_box: BoundingBox
    mask: Mask
    polygon: Polygon
    point: Point
    span: Span
    token: Token
    feedback: RegionFeedback
    def __init__(self, bounding_box: _Optional[_Union[BoundingBox, _Mapping]] = ..., mask: _Optional[_Union[Mask, _Mapping]] = ..., polygon: _Optional[_Union[Polygon, _Mapping]] = ..., point: _Optional[_Union[Point, _Mapping]] = ..., span: _Optional[_Union[Span, _Mapping]] = ..., token: _Optional[_Union[Token, _Mapping]] = ..., feedback: _Optional[_Union[RegionFeedback, str]] = ...) -> None: ...

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
    __slots__ = ("row", "col", "z", "visibility")
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
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    row: float
    col: float
    z: float
    visibility: Point.Visibility
    def __init__(self, row: _Optional[float] = ..., col: _Optional[float] = ..., z: _Optional[float] = ..., visibility: _Optional[_Union[Point.Visibility, str]] = ...) -> None: ...

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
    __slots__ = ("geo_point", "geo_limit", "geo_box")
    GEO_POINT_FIELD_NUMBER: _ClassVar[int]
    GEO_LIMIT_FIELD_NUMBER: _ClassVar[int]
    GEO_BOX_FIELD_NUMBER: _ClassVar[int]
    geo_point: GeoPoint
    geo_limit: GeoLimit
    geo_box: _containers.RepeatedCompositeFieldContainer[GeoBoxedPoint]
    def __init__(self, geo_point: _Optional[_Union[GeoPoint, _Mapping]] = ..., geo_limit: _Optional[_Union[GeoLimit, _Mapping]] = ..., geo_box: _Optional[_Iterable[_Union[GeoBoxedPoint, _Mapping]]] = ...) -> None: ...

class GeoLimit(_message.Message):
    __slots__ = ("type", "value")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    type: str
    value: float
    def __init__(self, type: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...

class GeoBoxedPoint(_message.Message):
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
    __slots__ = ("id", "input_id", "data", "annotation_info", "user_id", "model_version_id", "status", "created_at", "modified_at", "input_level", "task_id", "worker", "trusted")
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
    TRUSTED_FIELD_NUMBER: _ClassVar[int]
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
    trusted: bool
    def __init__(self, id: _Optional[str] = ..., input_id: _Optional[str] = ..., data: _Optional[_Union[Data, _Mapping]] = ..., annotation_info: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., user_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input_level: _Optional[bool] = ..., task_id: _Optional[str] = ..., worker: _Optional[_Union[Worker, _Mapping]] = ..., trusted: _Optional[bool] = ...) -> None: ...

class Worker(_message.Message):
    __slots__ = ("user", "model", "workflow")
    USER_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    user: User
    model: Model
    workflow: Workflow
    def __init__(self, user: _Optional[_Union[User, _Mapping]] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., workflow: _Optional[_Union[Workflow, _Mapping]] = ...) -> None: ...

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

class Task(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "type", "description", "worker", "concept_ids", "input_source", "sample_ms", "review", "status", "name", "app_id", "user_id", "label_order_id", "concepts", "delete_previous_annotations", "metrics", "priority", "metadata")
    class TaskType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        TYPE_NOT_SET: _ClassVar[Task.TaskType]
        CONCEPTS_CLASSIFICATION: _ClassVar[Task.TaskType]
        BOUNDING_BOX_DETECTION: _ClassVar[Task.TaskType]
        POLYGON_DETECTION: _ClassVar[Task.TaskType]
    TYPE_NOT_SET: Task.TaskType
    CONCEPTS_CLASSIFICATION: Task.TaskType
    BOUNDING_BOX_DETECTION: Task.TaskType
    POLYGON_DETECTION: Task.TaskType
    class TaskPriority(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        TASK_PRIORITY_NOT_SET: _ClassVar[Task.TaskPriority]
        LOW: _ClassVar[Task.TaskPriority]
        MEDIUM: _ClassVar[Task.TaskPriority]
        HIGH: _ClassVar[Task.TaskPriority]
    TASK_PRIORITY_NOT_SET: Task.TaskPriority
    LOW: Task.TaskPriority
    MEDIUM: Task.TaskPriority
    HIGH: Task.TaskPriority
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_IDS_FIELD_NUMBER: _ClassVar[int]
    INPUT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_MS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    LABEL_ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    DELETE_PREVIOUS_ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    PRIORITY_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    type: Task.TaskType
    description: str
    worker: TaskWorker
    concept_ids: _containers.RepeatedScalarFieldContainer[str]
    input_source: TaskInputSource
    sample_ms: int
    review: TaskReview
    status: _status_pb2.Status
    name: str
    app_id: str
    user_id: str
    label_order_id: str
    concepts: _containers.RepeatedCompositeFieldContainer[TaskConcept]
    delete_previous_annotations: bool
    metrics: TaskMetrics
    priority: Task.TaskPriority
    metadata: _struct_pb2.Struct
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., type: _Optional[_Union[Task.TaskType, str]] = ..., description: _Optional[str] = ..., worker: _Optional[_Union[TaskWorker, _Mapping]] = ..., concept_ids: _Optional[_Iterable[str]] = ..., input_source: _Optional[_Union[TaskInputSource, _Mapping]] = ..., sample_ms: _Optional[int] = ..., review: _Optional[_Union[TaskReview, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., name: _Optional[str] = ..., app_id: _Optional[str] = ..., user_id: _Optional[str] = ..., label_order_id: _Optional[str] = ..., concepts: _Optional[_Iterable[_Union[TaskConcept, _Mapping]]] = ..., delete_previous_annotations: _Optional[bool] = ..., metrics: _Optional[_Union[TaskMetrics, _Mapping]] = ..., priority: _Optional[_Union[Task.TaskPriority, str]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class TaskWorker(_message.Message):
    __slots__ = ("strategy", "user_ids", "users", "partitioned_strategy_info", "workers", "type")
    class TaskWorkerStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        WORKER_STRATEGY_NOT_SET: _ClassVar[TaskWorker.TaskWorkerStrategy]
        PARTITIONED: _ClassVar[TaskWorker.TaskWorkerStrategy]
        FULL: _ClassVar[TaskWorker.TaskWorkerStrategy]
        DYNAMIC: _ClassVar[TaskWorker.TaskWorkerStrategy]
    WORKER_STRATEGY_NOT_SET: TaskWorker.TaskWorkerStrategy
    PARTITIONED: TaskWorker.TaskWorkerStrategy
    FULL: TaskWorker.TaskWorkerStrategy
    DYNAMIC: TaskWorker.TaskWorkerStrategy
    class WorkerType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        WORKER_TYPE_NOT_SET: _ClassVar[TaskWorker.WorkerType]
        WORKER_HUMAN: _ClassVar[TaskWorker.WorkerType]
        WORKER_AUTO: _ClassVar[TaskWorker.WorkerType]
    WORKER_TYPE_NOT_SET: TaskWorker.WorkerType
    WORKER_HUMAN: TaskWorker.WorkerType
    WORKER_AUTO: TaskWorker.WorkerType
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    PARTITIONED_STRATEGY_INFO_FIELD_NUMBER: _ClassVar[int]
    WORKERS_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    strategy: TaskWorker.TaskWorkerStrategy
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    users: _containers.RepeatedCompositeFieldContainer[User]
    partitioned_strategy_info: TaskWorkerPartitionedStrategyInfo
    workers: _containers.RepeatedCompositeFieldContainer[Worker]
    type: TaskWorker.WorkerType
    def __init__(self, strategy: _Optional[_Union[TaskWorker.TaskWorkerStrategy, str]] = ..., user_ids: _Optional[_Iterable[str]] = ..., users: _Optional[_Iterable[_Union[User, _Mapping]]] = ..., partitioned_strategy_info: _Optional[_Union[TaskWorkerPartitionedStrategyInfo, _Mapping]] = ..., workers: _Optional[_Iterable[_Union[Worker, _Mapping]]] = ..., type: _Optional[_Union[TaskWorker.WorkerType, str]] = ...) -> None: ...

class TaskReview(_message.Message):
    __slots__ = ("strategy", "user_ids", "users", "manual_strategy_info", "consensus_strategy_info")
    class TaskReviewStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        TASK_REVIEW_STRATEGY_NOT_SET: _ClassVar[TaskReview.TaskReviewStrategy]
        NONE: _ClassVar[TaskReview.TaskReviewStrategy]
        MANUAL: _ClassVar[TaskReview.TaskReviewStrategy]
        CONSENSUS: _ClassVar[TaskReview.TaskReviewStrategy]
    TASK_REVIEW_STRATEGY_NOT_SET: TaskReview.TaskReviewStrategy
    NONE: TaskReview.TaskReviewStrategy
    MANUAL: TaskReview.TaskReviewStrategy
    CONSENSUS: TaskReview.TaskReviewStrategy
    STRATEGY_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    MANUAL_STRATEGY_INFO_FIELD_NUMBER: _ClassVar[int]
    CONSENSUS_STRATEGY_INFO_FIELD_NUMBER: _ClassVar[int]
    strategy: TaskReview.TaskReviewStrategy
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    users: _containers.RepeatedCompositeFieldContainer[User]
    manual_strategy_info: TaskReviewManualStrategyInfo
    consensus_strategy_info: TaskReviewConsensusStrategyInfo
    def __init__(self, strategy: _Optional[_Union[TaskReview.TaskReviewStrategy, str]] = ..., user_ids: _Optional[_Iterable[str]] = ..., users: _Optional[_Iterable[_Union[User, _Mapping]]] = ..., manual_strategy_info: _Optional[_Union[TaskReviewManualStrategyInfo, _Mapping]] = ..., consensus_strategy_info: _Optional[_Union[TaskReviewConsensusStrategyInfo, _Mapping]] = ...) -> None: ...

class TaskInputSource(_message.Message):
    __slots__ = ("type", "id")
    class TaskInputSourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        INPUT_SOURCE_TYPE_NOT_SET: _ClassVar[TaskInputSource.TaskInputSourceType]
        ALL_INPUTS: _ClassVar[TaskInputSource.TaskInputSourceType]
        SAVED_SEARCH: _ClassVar[TaskInputSource.TaskInputSourceType]
        DATASET: _ClassVar[TaskInputSource.TaskInputSourceType]
        INPUT: _ClassVar[TaskInputSource.TaskInputSourceType]
    INPUT_SOURCE_TYPE_NOT_SET: TaskInputSource.TaskInputSourceType
    ALL_INPUTS: TaskInputSource.TaskInputSourceType
    SAVED_SEARCH: TaskInputSource.TaskInputSourceType
    DATASET: TaskInputSource.TaskInputSourceType
    INPUT: TaskInputSource.TaskInputSourceType
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    type: TaskInputSource.TaskInputSourceType
    id: str
    def __init__(self, type: _Optional[_Union[TaskInputSource.TaskInputSourceType, str]] = ..., id: _Optional[str] = ...) -> None: ...

class TaskWorkerPartitionedStrategyInfo(_message.Message):
    __slots__ = ("type", "workers_per_input", "weights")
    class TaskWorkerPartitionedStrategy(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        PARTITIONED_WORKER_STRATEGY_NOT_SET: _ClassVar[TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy]
        EVENLY: _ClassVar[TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy]
        WEIGHTED: _ClassVar[TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy]
    PARTITIONED_WORKER_STRATEGY_NOT_SET: TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy
    EVENLY: TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy
    WEIGHTED: TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy
    TYPE_FIELD_NUMBER: _ClassVar[int]
    WORKERS_PER_INPUT_FIELD_NUMBER: _ClassVar[int]
    WEIGHTS_FIELD_NUMBER: _ClassVar[int]
    type: TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy
    workers_per_input: int
    weights: _struct_pb2.Struct
    def __init__(self, type: _Optional[_Union[TaskWorkerPartitionedStrategyInfo.TaskWorkerPartitionedStrategy, str]] = ..., workers_per_input: _Optional[int] = ..., weights: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class TaskReviewManualStrategyInfo(_message.Message):
    __slots__ = ("sample_percentage", "approval_threshold")
    SAMPLE_PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    sample_percentage: float
    approval_threshold: int
    def __init__(self, sample_percentage: _Optional[float] = ..., approval_threshold: _Optional[int] = ...) -> None: ...

class TaskReviewConsensusStrategyInfo(_message.Message):
    __slots__ = ("approval_threshold", "approval_threshold_labelers", "approval_threshold_reviewers")
    APPROVAL_THRESHOLD_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_THRESHOLD_LABELERS_FIELD_NUMBER: _ClassVar[int]
    APPROVAL_THRESHOLD_REVIEWERS_FIELD_NUMBER: _ClassVar[int]
    approval_threshold: int
    approval_threshold_labelers: int
    approval_threshold_reviewers: int
    def __init__(self, approval_threshold: _Optional[int] = ..., approval_threshold_labelers: _Optional[int] = ..., approval_threshold_reviewers: _Optional[int] = ...) -> None: ...

class TaskConcept(_message.Message):
    __slots__ = ("concept", "auto_annotation_config")
    CONCEPT_FIELD_NUMBER: _ClassVar[int]
    AUTO_ANNOTATION_CONFIG_FIELD_NUMBER: _ClassVar[int]
    concept: Concept
    auto_annotation_config: TaskConceptAutoAnnotationConfig
    def __init__(self, concept: _Optional[_Union[Concept, _Mapping]] = ..., auto_annotation_config: _Optional[_Union[TaskConceptAutoAnnotationConfig, _Mapping]] = ...) -> None: ...

class TaskConceptAutoAnnotationConfig(_message.Message):
    __slots__ = ("annotation_data_types", "threshold_range", "status_code")
    ANNOTATION_DATA_TYPES_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_RANGE_FIELD_NUMBER: _ClassVar[int]
    STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    annotation_data_types: int
    threshold_range: ThresholdRange
    status_code: _status_code_pb2.StatusCode
    def __init__(self, annotation_data_types: _Optional[int] = ..., threshold_range: _Optional[_Union[ThresholdRange, _Mapping]] = ..., status_code: _Optional[_Union[_status_code_pb2.StatusCode, str]] = ...) -> None: ...

class ThresholdRange(_message.Message):
    __slots__ = ("is_lower_inclusive", "is_upper_inclusive", "lower", "upper")
    IS_LOWER_INCLUSIVE_FIELD_NUMBER: _ClassVar[int]
    IS_UPPER_INCLUSIVE_FIELD_NUMBER: _ClassVar[int]
    LOWER_FIELD_NUMBER: _ClassVar[int]
    UPPER_FIELD_NUMBER: _ClassVar[int]
    is_lower_inclusive: bool
    is_upper_inclusive: bool
    lower: float
    upper: float
    def __init__(self, is_lower_inclusive: _Optional[bool] = ..., is_upper_inclusive: _Optional[bool] = ..., lower: _Optional[float] = ..., upper: _Optional[float] = ...) -> None: ...

class TaskAssignment(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "worker", "input", "status")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    worker: Worker
    input: Input
    status: _status_pb2.Status
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., worker: _Optional[_Union[Worker, _Mapping]] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class TaskStatusCountPerUser(_message.Message):
    __slots__ = ("user_id", "pending", "awaiting_review", "success", "review_denied", "awaiting_consensus_review", "worker")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PENDING_FIELD_NUMBER: _ClassVar[int]
    AWAITING_REVIEW_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_FIELD_NUMBER: _ClassVar[int]
    REVIEW_DENIED_FIELD_NUMBER: _ClassVar[int]
    AWAITING_CONSENSUS_REVIEW_FIELD_NUMBER: _ClassVar[int]
    WORKER_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    pending: int
    awaiting_review: int
    success: int
    review_denied: int
    awaiting_consensus_review: int
    worker: Worker
    def __init__(self, user_id: _Optional[str] = ..., pending: _Optional[int] = ..., awaiting_review: _Optional[int] = ..., success: _Optional[int] = ..., review_denied: _Optional[int] = ..., awaiting_consensus_review: _Optional[int] = ..., worker: _Optional[_Union[Worker, _Mapping]] = ...) -> None: ...

class TaskMetrics(_message.Message):
    __slots__ = ("work", "review", "input_source")
    WORK_FIELD_NUMBER: _ClassVar[int]
    REVIEW_FIELD_NUMBER: _ClassVar[int]
    INPUT_SOURCE_FIELD_NUMBER: _ClassVar[int]
    work: TaskWorkMetrics
    review: TaskReviewMetrics
    input_source: TaskInputSourceMetrics
    def __init__(self, work: _Optional[_Union[TaskWorkMetrics, _Mapping]] = ..., review: _Optional[_Union[TaskReviewMetrics, _Mapping]] = ..., input_source: _Optional[_Union[TaskInputSourceMetrics, _Mapping]] = ...) -> None: ...

class TaskWorkMetrics(_message.Message):
    __slots__ = ("inputs_count_estimated", "inputs_percent_estimated")
    INPUTS_COUNT_ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_PERCENT_ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    inputs_count_estimated: int
    inputs_percent_estimated: int
    def __init__(self, inputs_count_estimated: _Optional[int] = ..., inputs_percent_estimated: _Optional[int] = ...) -> None: ...

class TaskReviewMetrics(_message.Message):
    __slots__ = ("inputs_count_estimated", "inputs_percent_estimated", "inputs_count_estimated_per_reviewer", "inputs_reviewable_count_estimated_per_reviewer", "inputs_percent_estimated_per_reviewer")
    INPUTS_COUNT_ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_PERCENT_ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    INPUTS_COUNT_ESTIMATED_PER_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    INPUTS_REVIEWABLE_COUNT_ESTIMATED_PER_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    INPUTS_PERCENT_ESTIMATED_PER_REVIEWER_FIELD_NUMBER: _ClassVar[int]
    inputs_count_estimated: int
    inputs_percent_estimated: int
    inputs_count_estimated_per_reviewer: _containers.RepeatedScalarFieldContainer[int]
    inputs_reviewable_count_estimated_per_reviewer: _containers.RepeatedScalarFieldContainer[int]
    inputs_percent_estimated_per_reviewer: _containers.RepeatedScalarFieldContainer[int]
    def __init__(self, inputs_count_estimated: _Optional[int] = ..., inputs_percent_estimated: _Optional[int] = ..., inputs_count_estimated_per_reviewer: _Optional[_Iterable[int]] = ..., inputs_reviewable_count_estimated_per_reviewer: _Optional[_Iterable[int]] = ..., inputs_percent_estimated_per_reviewer: _Optional[_Iterable[int]] = ...) -> None: ...

class TaskInputSourceMetrics(_message.Message):
    __slots__ = ("inputs_count_estimated",)
    INPUTS_COUNT_ESTIMATED_FIELD_NUMBER: _ClassVar[int]
    inputs_count_estimated: int
    def __init__(self, inputs_count_estimated: _Optional[int] = ...) -> None: ...

class WorkerIDSet(_message.Message):
    __slots__ = ("user_id", "app_id", "model_id", "model_version_id", "workflow_id", "workflow_version_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    app_id: str
    model_id: str
    model_version_id: str
    workflow_id: str
    workflow_version_id: str
    def __init__(self, user_id: _Optional[str] = ..., app_id: _Optional[str] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., workflow_id: _Optional[str] = ..., workflow_version_id: _Optional[str] = ...) -> None: ...

class LabelOrder(_message.Message):
    __slots__ = ("id", "name", "status", "auto_release", "allow_empty_tag", "desired_fulfill_time", "estimate_fulfill_time", "task", "created_at", "modified_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AUTO_RELEASE_FIELD_NUMBER: _ClassVar[int]
    ALLOW_EMPTY_TAG_FIELD_NUMBER: _ClassVar[int]
    DESIRED_FULFILL_TIME_FIELD_NUMBER: _ClassVar[int]
    ESTIMATE_FULFILL_TIME_FIELD_NUMBER: _ClassVar[int]
    TASK_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    status: _status_pb2.Status
    auto_release: bool
    allow_empty_tag: bool
    desired_fulfill_time: _timestamp_pb2.Timestamp
    estimate_fulfill_time: _timestamp_pb2.Timestamp
    task: Task
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., auto_release: _Optional[bool] = ..., allow_empty_tag: _Optional[bool] = ..., desired_fulfill_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., estimate_fulfill_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., task: _Optional[_Union[Task, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FeedbackInfo(_message.Message):
    __slots__ = ("end_user_id", "session_id", "event_type", "output_id", "search_id")
    END_USER_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCH_ID_FIELD_NUMBER: _ClassVar[int]
    end_user_id: str
    session_id: str
    event_type: FeedbackEventType
    output_id: str
    search_id: str
    def __init__(self, end_user_id: _Optional[str] = ..., session_id: _Optional[str] = ..., event_type: _Optional[_Union[FeedbackEventType, str]] = ..., output_id: _Optional[str] = ..., search_id: _Optional[str] = ...) -> None: ...

class FeedbackEntry(_message.Message):
    __slots__ = ("id", "created_at", "model_id", "model_version_id", "input", "user_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODEL_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    model_id: str
    model_version_id: str
    input: Input
    user_id: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., model_id: _Optional[str] = ..., model_version_id: _Optional[str] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., user_id: _Optional[str] = ...) -> None: ...

class FeedbackCount(_message.Message):
    __slots__ = ("key", "total", "positive", "negative")
    KEY_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    POSITIVE_FIELD_NUMBER: _ClassVar[int]
    NEGATIVE_FIELD_NUMBER: _ClassVar[int]
    key: str
    total: int
    positive: int
    negative: int
    def __init__(self, key: _Optional[str] = ..., total: _Optional[int] = ..., positive: _Optional[int] = ..., negative: _Optional[int] = ...) -> None: ...

class FeedbackSummary(_message.Message):
    __slots__ = ("total", "by_model", "by_concept", "by_event_type", "by_end_user", "by_region_feedback")
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    BY_MODEL_FIELD_NUMBER: _ClassVar[int]
    BY_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    BY_EVENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    BY_END_USER_FIELD_NUMBER: _ClassVar[int]
    BY_REGION_FEEDBACK_FIELD_NUMBER: _ClassVar[int]
    total: int
    by_model: _containers.RepeatedCompositeFieldContainer[FeedbackCount]
    by_concept: _containers.RepeatedCompositeFieldContainer[FeedbackCount]
    by_event_type: _containers.RepeatedCompositeFieldContainer[FeedbackCount]
    by_end_user: _containers.RepeatedCompositeFieldContainer[FeedbackCount]
    by_region_feedback: _containers.RepeatedCompositeFieldContainer[FeedbackCount]
    def __init__(self, total: _Optional[int] = ..., by_model: _Optional[_Iterable[_Union[FeedbackCount, _Mapping]]] = ..., by_concept: _Optional[_Iterable[_Union[FeedbackCount, _Mapping]]] = ..., by_event_type: _Optional[_Iterable[_Union[FeedbackCount, _Mapping]]] = ..., by_end_user: _Optional[_Iterable[_Union[FeedbackCount, _Mapping]]] = ..., by_region_feedback: _Optional[_Iterable[_Union[FeedbackCount, _Mapping]]] = ...) -> None: ...

class ConceptCount(_message.Message):
    __slots__ = ("id", "name", "concept_type_count", "detail_concept_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_TYPE_COUNT_FIELD_NUMBER: _ClassVar[int]
    DETAIL_CONCEPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    concept_type_count: ConceptTypeCount
    detail_concept_count: DetailConceptCount
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., concept_type_count: _Optional[_Union[ConceptTypeCount, _Mapping]] = ..., detail_concept_count: _Optional[_Union[DetailConceptCount, _Mapping]] = ...) -> None: ...

class ConceptTypeCount(_message.Message):
    __slots__ = ("positive", "negative")
    POSITIVE_FIELD_NUMBER: _ClassVar[int]
    NEGATIVE_FIELD_NUMBER: _ClassVar[int]
    positive: int
    negative: int
    def __init__(self, positive: _Optional[int] = ..., negative: _Optional[int] = ...) -> None: ...

class DetailConceptCount(_message.Message):
    __slots__ = ("processed", "to_process", "errors", "processing")
    PROCESSED_FIELD_NUMBER: _ClassVar[int]
    TO_PROCESS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_FIELD_NUMBER: _ClassVar[int]
    processed: ConceptTypeCount
    to_process: ConceptTypeCount
    errors: ConceptTypeCount
    processing: ConceptTypeCount
    def __init__(self, processed: _Optional[_Union[ConceptTypeCount, _Mapping]] = ..., to_process: _Optional[_Union[ConceptTypeCount, _Mapping]] = ..., errors: _Optional[_Union[ConceptTypeCount, _Mapping]] = ..., processing: _Optional[_Union[ConceptTypeCount, _Mapping]] = ...) -> None: ...

class ConceptQuery(_message.Message):
    __slots__ = ("name", "language", "workflow_id", "model", "workflow", "ignore_app_concepts")
    NAME_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_FIELD_NUMBER: _ClassVar[int]
    IGNORE_APP_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    name: str
    language: str
    workflow_id: str
    model: Model
    workflow: Workflow
    ignore_app_concepts: bool
    def __init__(self, name: _Optional[str] = ..., language: _Optional[str] = ..., workflow_id: _Optional[str] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., workflow: _Optional[_Union[Workflow, _Mapping]] = ..., ignore_app_concepts: _Optional[bool] = ...) -> None: ...

class ConceptRelation(_message.Message):
    __slots__ = ("id", "subject_concept", "object_concept", "predicate")
    ID_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    OBJECT_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    PREDICATE_FIELD_NUMBER: _ClassVar[int]
    id: str
    subject_concept: Concept
    object_concept: Concept
    predicate: str
    def __init__(self, id: _Optional[str] = ..., subject_concept: _Optional[_Union[Concept, _Mapping]] = ..., object_concept: _Optional[_Union[Concept, _Mapping]] = ..., predicate: _Optional[str] = ...) -> None: ...

class ConceptLanguage(_message.Message):
    __slots__ = ("id", "name", "definition")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DEFINITION_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    definition: str
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., definition: _Optional[str] = ...) -> None: ...

class InputCount(_message.Message):
    __slots__ = ("processed", "to_process", "errors", "processing", "reindexed", "to_reindex", "reindex_errors", "reindexing")
    PROCESSED_FIELD_NUMBER: _ClassVar[int]
    TO_PROCESS_FIELD_NUMBER: _ClassVar[int]
    ERRORS_FIELD_NUMBER: _ClassVar[int]
    PROCESSING_FIELD_NUMBER: _ClassVar[int]
    REINDEXED_FIELD_NUMBER: _ClassVar[int]
    TO_REINDEX_FIELD_NUMBER: _ClassVar[int]
    REINDEX_ERRORS_FIELD_NUMBER: _ClassVar[int]
    REINDEXING_FIELD_NUMBER: _ClassVar[int]
    processed: int
    to_process: int
    errors: int
    processing: int
    reindexed: int
    to_reindex: int
    reindex_errors: int
    reindexing: int
    def __init__(self, processed: _Optional[int] = ..., to_process: _Optional[int] = ..., errors: _Optional[int] = ..., processing: _Optional[int] = ..., reindexed: _Optional[int] = ..., to_reindex: _Optional[int] = ..., reindex_errors: _Optional[int] = ..., reindexing: _Optional[int] = ...) -> None: ...

class InputsAddJob(_message.Message):
    __slots__ = ("id", "progress", "created_at", "modified_at", "extraction_jobs", "uploads", "status")
    ID_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    EXTRACTION_JOBS_FIELD_NUMBER: _ClassVar[int]
    UPLOADS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    id: str
    progress: InputsAddJobProgress
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    extraction_jobs: _containers.RepeatedCompositeFieldContainer[InputsExtractionJob]
    uploads: _containers.RepeatedCompositeFieldContainer[Upload]
    status: _status_pb2.Status
    def __init__(self, id: _Optional[str] = ..., progress: _Optional[_Union[InputsAddJobProgress, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., extraction_jobs: _Optional[_Iterable[_Union[InputsExtractionJob, _Mapping]]] = ..., uploads: _Optional[_Iterable[_Union[Upload, _Mapping]]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ...) -> None: ...

class InputsAddJobProgress(_message.Message):
    __slots__ = ("pending_count", "in_progress_count", "success_count", "failed_count")
    PENDING_COUNT_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_COUNT_FIELD_NUMBER: _ClassVar[int]
    SUCCESS_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_COUNT_FIELD_NUMBER: _ClassVar[int]
    pending_count: int
    in_progress_count: int
    success_count: int
    failed_count: int
    def __init__(self, pending_count: _Optional[int] = ..., in_progress_count: _Optional[int] = ..., success_count: _Optional[int] = ..., failed_count: _Optional[int] = ...) -> None: ...

class InputsExtractionJob(_message.Message):
    __slots__ = ("status", "id", "url", "progress", "created_at", "modified_at", "input_id_conflict_resolution", "input_template")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_CONFLICT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    id: str
    url: str
    progress: InputsExtractionJobProgress
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    input_id_conflict_resolution: InputIDConflictResolution
    input_template: Input
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., id: _Optional[str] = ..., url: _Optional[str] = ..., progress: _Optional[_Union[InputsExtractionJobProgress, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input_id_conflict_resolution: _Optional[_Union[InputIDConflictResolution, str]] = ..., input_template: _Optional[_Union[Input, _Mapping]] = ...) -> None: ...

class InputsExtractionJobProgress(_message.Message):
    __slots__ = ("audio_inputs_count", "image_inputs_count", "video_inputs_count", "text_inputs_count", "pending_archives_count", "in_progress_archives_count", "completed_archives_count", "failed_archives_count")
    AUDIO_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    IMAGE_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    VIDEO_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    TEXT_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    PENDING_ARCHIVES_COUNT_FIELD_NUMBER: _ClassVar[int]
    IN_PROGRESS_ARCHIVES_COUNT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_ARCHIVES_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_ARCHIVES_COUNT_FIELD_NUMBER: _ClassVar[int]
    audio_inputs_count: int
    image_inputs_count: int
    video_inputs_count: int
    text_inputs_count: int
    pending_archives_count: int
    in_progress_archives_count: int
    completed_archives_count: int
    failed_archives_count: int
    def __init__(self, audio_inputs_count: _Optional[int] = ..., image_inputs_count: _Optional[int] = ..., video_inputs_count: _Optional[int] = ..., text_inputs_count: _Optional[int] = ..., pending_archives_count: _Optional[int] = ..., in_progress_archives_count: _Optional[int] = ..., completed_archives_count: _Optional[int] = ..., failed_archives_count: _Optional[int] = ...) -> None: ...

class InputsDataSource(_message.Message):
    __slots__ = ("inputs_add_job_id", "url", "input_id_conflict_resolution", "input_template")
    INPUTS_ADD_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_CONFLICT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    inputs_add_job_id: str
    url: DataSourceURL
    input_id_conflict_resolution: InputIDConflictResolution
    input_template: Input
    def __init__(self, inputs_add_job_id: _Optional[str] = ..., url: _Optional[_Union[DataSourceURL, _Mapping]] = ..., input_id_conflict_resolution: _Optional[_Union[InputIDConflictResolution, str]] = ..., input_template: _Optional[_Union[Input, _Mapping]] = ...) -> None: ...

class InputsUpload(_message.Message):
    __slots__ = ("inputs_add_job_id", "upload", "input_id_conflict_resolution", "input_template")
    INPUTS_ADD_JOB_ID_FIELD_NUMBER: _ClassVar[int]
    UPLOAD_FIELD_NUMBER: _ClassVar[int]
    INPUT_ID_CONFLICT_RESOLUTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_TEMPLATE_FIELD_NUMBER: _ClassVar[int]
    inputs_add_job_id: str
    upload: Upload
    input_id_conflict_resolution: InputIDConflictResolution
    input_template: Input
    def __init__(self, inputs_add_job_id: _Optional[str] = ..., upload: _Optional[_Union[Upload, _Mapping]] = ..., input_id_conflict_resolution: _Optional[_Union[InputIDConflictResolution, str]] = ..., input_template: _Optional[_Union[Input, _Mapping]] = ...) -> None: ...

class DataSourceURL(_message.Message):
    __slots__ = ("url", "credentials")
    URL_FIELD_NUMBER: _ClassVar[int]
    CREDENTIALS_FIELD_NUMBER: _ClassVar[int]
    url: str
    credentials: DataSourceCredentials
    def __init__(self, url: _Optional[str] = ..., credentials: _Optional[_Union[DataSourceCredentials, _Mapping]] = ...) -> None: ...

class DataSourceCredentials(_message.Message):
    __slots__ = ("s3_creds", "gcp_creds", "azure_blob_creds")
    S3_CREDS_FIELD_NUMBER: _ClassVar[int]
    GCP_CREDS_FIELD_NUMBER: _ClassVar[int]
    AZURE_BLOB_CREDS_FIELD_NUMBER: _ClassVar[int]
    s3_creds: AWSCreds
    gcp_creds: bytes
    azure_blob_creds: AzureBlobCreds
    def __init__(self, s3_creds: _Optional[_Union[AWSCreds, _Mapping]] = ..., gcp_creds: _Optional[bytes] = ..., azure_blob_creds: _Optional[_Union[AzureBlobCreds, _Mapping]] = ...) -> None: ...

class AWSCreds(_message.Message):
    __slots__ = ("region", "id", "secret", "token")
    REGION_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    SECRET_FIELD_NUMBER: _ClassVar[int]
    TOKEN_FIELD_NUMBER: _ClassVar[int]
    region: str
    id: str
    secret: str
    token: str
    def __init__(self, region: _Optional[str] = ..., id: _Optional[str] = ..., secret: _Optional[str] = ..., token: _Optional[str] = ...) -> None: ...

class AzureBlobCreds(_message.Message):
    __slots__ = ("account_name", "account_key")
    ACCOUNT_NAME_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_KEY_FIELD_NUMBER: _ClassVar[int]
    account_name: str
    account_key: str
    def __init__(self, account_name: _Optional[str] = ..., account_key: _Optional[str] = ...) -> None: ...

class Upload(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "expires_at", "status", "content_name", "content_length", "content_url")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONTENT_NAME_FIELD_NUMBER: _ClassVar[int]
    CONTENT_LENGTH_FIELD_NUMBER: _ClassVar[int]
    CONTENT_URL_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    expires_at: _timestamp_pb2.Timestamp
    status: _status_pb2.Status
    content_name: str
    content_length: int
    content_url: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., content_name: _Optional[str] = ..., content_length: _Optional[int] = ..., content_url: _Optional[str] = ...) -> None: ...

class UploadContentPart(_message.Message):
    __slots__ = ("range_start", "part_number", "data")
    RANGE_START_FIELD_NUMBER: _ClassVar[int]
    PART_NUMBER_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    range_start: int
    part_number: int
    data: bytes
    def __init__(self, range_start: _Optional[int] = ..., part_number: _Optional[int] = ..., data: _Optional[bytes] = ...) -> None: ...

class BulkOperation(_message.Message):
    __slots__ = ("id", "input_ids", "search", "dataset", "annotation_search", "operation", "app_id", "status", "progress", "created_by", "created_at", "last_modified_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    DATASET_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_SEARCH_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    CREATED_BY_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    input_ids: InputIDs
    search: Search
    dataset: Dataset
    annotation_search: Search
    operation: Operation
    app_id: str
    status: _status_pb2.Status
    progress: Progress
    created_by: str
    created_at: _timestamp_pb2.Timestamp
    last_modified_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., input_ids: _Optional[_Union[InputIDs, _Mapping]] = ..., search: _Optional[_Union[Search, _Mapping]] = ..., dataset: _Optional[_Union[Dataset, _Mapping]] = ..., annotation_search: _Optional[_Union[Search, _Mapping]] = ..., operation: _Optional[_Union[Operation, _Mapping]] = ..., app_id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., progress: _Optional[_Union[Progress, _Mapping]] = ..., created_by: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class InputIDs(_message.Message):
    __slots__ = ("input_ids",)
    INPUT_IDS_FIELD_NUMBER: _ClassVar[int]
    input_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, input_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class Progress(_message.Message):
    __slots__ = ("processed", "last_processed_id")
    PROCESSED_FIELD_NUMBER: _ClassVar[int]
    LAST_PROCESSED_ID_FIELD_NUMBER: _ClassVar[int]
    processed: int
    last_processed_id: str
    def __init__(self, processed: _Optional[int] = ..., last_processed_id: _Optional[str] = ...) -> None: ...

class Operation(_message.Message):
    __slots__ = ("add_concepts", "delete_concepts", "add_metadata", "delete_metadata", "overwrite_geo", "delete_geo", "delete_from_dataset", "add_to_dataset", "split_into_datasets", "delete_annotations")
    ADD_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    DELETE_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    ADD_METADATA_FIELD_NUMBER: _ClassVar[int]
    DELETE_METADATA_FIELD_NUMBER: _ClassVar[int]
    OVERWRITE_GEO_FIELD_NUMBER: _ClassVar[int]
    DELETE_GEO_FIELD_NUMBER: _ClassVar[int]
    DELETE_FROM_DATASET_FIELD_NUMBER: _ClassVar[int]
    ADD_TO_DATASET_FIELD_NUMBER: _ClassVar[int]
    SPLIT_INTO_DATASETS_FIELD_NUMBER: _ClassVar[int]
    DELETE_ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    add_concepts: AddConcepts
    delete_concepts: DeleteConcepts
    add_metadata: AddMetadata
    delete_metadata: DeleteMetadata
    overwrite_geo: OverwriteGeo
    delete_geo: DeleteGeo
    delete_from_dataset: DeleteFromDataset
    add_to_dataset: AddToDataset
    split_into_datasets: SplitIntoDatasets
    delete_annotations: DeleteAnnotations
    def __init__(self, add_concepts: _Optional[_Union[AddConcepts, _Mapping]] = ..., delete_concepts: _Optional[_Union[DeleteConcepts, _Mapping]] = ..., add_metadata: _Optional[_Union[AddMetadata, _Mapping]] = ..., delete_metadata: _Optional[_Union[DeleteMetadata, _Mapping]] = ..., overwrite_geo: _Optional[_Union[OverwriteGeo, _Mapping]] = ..., delete_geo: _Optional[_Union[DeleteGeo, _Mapping]] = ..., delete_from_dataset: _Optional[_Union[DeleteFromDataset, _Mapping]] = ..., add_to_dataset: _Optional[_Union[AddToDataset, _Mapping]] = ..., split_into_datasets: _Optional[_Union[SplitIntoDatasets, _Mapping]] = ..., delete_annotations: _Optional[_Union[DeleteAnnotations, _Mapping]] = ...) -> None: ...

class AddConcepts(_message.Message):
    __slots__ = ("concepts",)
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    def __init__(self, concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ...) -> None: ...

class DeleteConcepts(_message.Message):
    __slots__ = ("concepts", "user_ids")
    CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    USER_IDS_FIELD_NUMBER: _ClassVar[int]
    concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    user_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ..., user_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class AddMetadata(_message.Message):
    __slots__ = ("metadata",)
    METADATA_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class DeleteMetadata(_message.Message):
    __slots__ = ("metadata",)
    METADATA_FIELD_NUMBER: _ClassVar[int]
    metadata: _struct_pb2.Struct
    def __init__(self, metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class OverwriteGeo(_message.Message):
    __slots__ = ("geo",)
    GEO_FIELD_NUMBER: _ClassVar[int]
    geo: Geo
    def __init__(self, geo: _Optional[_Union[Geo, _Mapping]] = ...) -> None: ...

class DeleteGeo(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class AddToDataset(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class DeleteFromDataset(_message.Message):
    __slots__ = ("dataset_id",)
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    dataset_id: str
    def __init__(self, dataset_id: _Optional[str] = ...) -> None: ...

class SplitIntoDatasets(_message.Message):
    __slots__ = ("dataset_splits", "method")
    class DatasetSplitMethod(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        NOT_SET: _ClassVar[SplitIntoDatasets.DatasetSplitMethod]
        RANDOM_PERCENTAGE_SPLIT: _ClassVar[SplitIntoDatasets.DatasetSplitMethod]
    NOT_SET: SplitIntoDatasets.DatasetSplitMethod
    RANDOM_PERCENTAGE_SPLIT: SplitIntoDatasets.DatasetSplitMethod
    DATASET_SPLITS_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    dataset_splits: _containers.RepeatedCompositeFieldContainer[DatasetSplit]
    method: SplitIntoDatasets.DatasetSplitMethod
    def __init__(self, dataset_splits: _Optional[_Iterable[_Union[DatasetSplit, _Mapping]]] = ..., method: _Optional[_Union[SplitIntoDatasets.DatasetSplitMethod, str]] = ...) -> None: ...

class DatasetSplit(_message.Message):
    __slots__ = ("dataset", "percentage")
    DATASET_FIELD_NUMBER: _ClassVar[int]
    PERCENTAGE_FIELD_NUMBER: _ClassVar[int]
    dataset: Dataset
    percentage: int
    def __init__(self, dataset: _Optional[_Union[Dataset, _Mapping]] = ..., percentage: _Optional[int] = ...) -> None: ...

class DeleteAnnotations(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Dataset(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "app_id", "user_id", "description", "metadata", "visibility", "default_annotation_filter", "notes", "version", "image")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_ANNOTATION_FILTER_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    IMAGE_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    app_id: str
    user_id: str
    description: str
    metadata: _struct_pb2.Struct
    visibility: Visibility
    default_annotation_filter: AnnotationFilter
    notes: str
    version: DatasetVersion
    image: Image
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., app_id: _Optional[str] = ..., user_id: _Optional[str] = ..., description: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., default_annotation_filter: _Optional[_Union[AnnotationFilter, _Mapping]] = ..., notes: _Optional[str] = ..., version: _Optional[_Union[DatasetVersion, _Mapping]] = ..., image: _Optional[_Union[Image, _Mapping]] = ...) -> None: ...

class DatasetInput(_message.Message):
    __slots__ = ("created_at", "input")
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    created_at: _timestamp_pb2.Timestamp
    input: Input
    def __init__(self, created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., input: _Optional[_Union[Input, _Mapping]] = ...) -> None: ...

class DatasetVersion(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "app_id", "user_id", "dataset_id", "annotation_filter_config", "status", "description", "metrics", "export_info", "metadata", "visibility", "request_origin")
    class MetricsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: DatasetVersionMetrics
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[DatasetVersionMetrics, _Mapping]] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DATASET_ID_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FILTER_CONFIG_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    EXPORT_INFO_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ORIGIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    app_id: str
    user_id: str
    dataset_id: str
    annotation_filter_config: AnnotationFilterConfig
    status: _status_pb2.Status
    description: str
    metrics: _containers.MessageMap[str, DatasetVersionMetrics]
    export_info: DatasetVersionExportInfo
    metadata: _struct_pb2.Struct
    visibility: Visibility
    request_origin: DatasetVersionRequestOrigin
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., app_id: _Optional[str] = ..., user_id: _Optional[str] = ..., dataset_id: _Optional[str] = ..., annotation_filter_config: _Optional[_Union[AnnotationFilterConfig, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., description: _Optional[str] = ..., metrics: _Optional[_Mapping[str, DatasetVersionMetrics]] = ..., export_info: _Optional[_Union[DatasetVersionExportInfo, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., request_origin: _Optional[_Union[DatasetVersionRequestOrigin, str]] = ...) -> None: ...

class AnnotationFilter(_message.Message):
    __slots__ = ("id", "created_at", "modified_at", "user_id", "app_id", "search")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    SEARCH_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    user_id: str
    app_id: str
    search: Search
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user_id: _Optional[str] = ..., app_id: _Optional[str] = ..., search: _Optional[_Union[Search, _Mapping]] = ...) -> None: ...

class AnnotationFilterConfig(_message.Message):
    __slots__ = ("annotation_filter", "ignore_empty_inputs")
    ANNOTATION_FILTER_FIELD_NUMBER: _ClassVar[int]
    IGNORE_EMPTY_INPUTS_FIELD_NUMBER: _ClassVar[int]
    annotation_filter: AnnotationFilter
    ignore_empty_inputs: bool
    def __init__(self, annotation_filter: _Optional[_Union[AnnotationFilter, _Mapping]] = ..., ignore_empty_inputs: _Optional[bool] = ...) -> None: ...

class DatasetVersionMetrics(_message.Message):
    __slots__ = ("inputs_count", "unlabeled_inputs_count", "inputs_with_metadata_count", "inputs_with_geo_count", "regions_count", "bounding_boxes_count", "polygons_count", "points_count", "masks_count", "region_inputs_count", "positive_input_tags_count", "positive_region_tags_count")
    INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    UNLABELED_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    INPUTS_WITH_METADATA_COUNT_FIELD_NUMBER: _ClassVar[int]
    INPUTS_WITH_GEO_COUNT_FIELD_NUMBER: _ClassVar[int]
    REGIONS_COUNT_FIELD_NUMBER: _ClassVar[int]
    BOUNDING_BOXES_COUNT_FIELD_NUMBER: _ClassVar[int]
    POLYGONS_COUNT_FIELD_NUMBER: _ClassVar[int]
    POINTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    MASKS_COUNT_FIELD_NUMBER: _ClassVar[int]
    REGION_INPUTS_COUNT_FIELD_NUMBER: _ClassVar[int]
    POSITIVE_INPUT_TAGS_COUNT_FIELD_NUMBER: _ClassVar[int]
    POSITIVE_REGION_TAGS_COUNT_FIELD_NUMBER: _ClassVar[int]
    inputs_count: _wrappers_pb2.UInt64Value
    unlabeled_inputs_count: _wrappers_pb2.UInt64Value
    inputs_with_metadata_count: _wrappers_pb2.UInt64Value
    inputs_with_geo_count: _wrappers_pb2.UInt64Value
    regions_count: _wrappers_pb2.UInt64Value
    bounding_boxes_count: _wrappers_pb2.UInt64Value
    polygons_count: _wrappers_pb2.UInt64Value
    points_count: _wrappers_pb2.UInt64Value
    masks_count: _wrappers_pb2.UInt64Value
    region_inputs_count: _wrappers_pb2.UInt64Value
    positive_input_tags_count: _wrappers_pb2.UInt64Value
    positive_region_tags_count: _wrappers_pb2.UInt64Value
    def __init__(self, inputs_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., unlabeled_inputs_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., inputs_with_metadata_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., inputs_with_geo_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., regions_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., bounding_boxes_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., polygons_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., points_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., masks_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., region_inputs_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., positive_input_tags_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ..., positive_region_tags_count: _Optional[_Union[_wrappers_pb2.UInt64Value, _Mapping]] = ...) -> None: ...

class DatasetVersionMetricsGroup(_message.Message):
    __slots__ = ("parent_path", "type", "value", "metrics")
    PARENT_PATH_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    parent_path: str
    type: DatasetVersionMetricsGroupType
    value: _struct_pb2.Value
    metrics: DatasetVersionMetrics
    def __init__(self, parent_path: _Optional[str] = ..., type: _Optional[_Union[DatasetVersionMetricsGroupType, str]] = ..., value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., metrics: _Optional[_Union[DatasetVersionMetrics, _Mapping]] = ...) -> None: ...

class DatasetVersionExport(_message.Message):
    __slots__ = ("format", "status", "url", "size")
    FORMAT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SIZE_FIELD_NUMBER: _ClassVar[int]
    format: DatasetVersionExportFormat
    status: _status_pb2.Status
    url: str
    size: int
    def __init__(self, format: _Optional[_Union[DatasetVersionExportFormat, str]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., url: _Optional[str] = ..., size: _Optional[int] = ...) -> None: ...

class DatasetVersionExportInfo(_message.Message):
    __slots__ = ("clarifai_data_protobuf", "clarifai_data_json", "coco")
    CLARIFAI_DATA_PROTOBUF_FIELD_NUMBER: _ClassVar[int]
    CLARIFAI_DATA_JSON_FIELD_NUMBER: _ClassVar[int]
    COCO_FIELD_NUMBER: _ClassVar[int]
    clarifai_data_protobuf: DatasetVersionExport
    clarifai_data_json: DatasetVersionExport
    coco: DatasetVersionExport
    def __init__(self, clarifai_data_protobuf: _Optional[_Union[DatasetVersionExport, _Mapping]] = ..., clarifai_data_json: _Optional[_Union[DatasetVersionExport, _Mapping]] = ..., coco: _Optional[_Union[DatasetVersionExport, _Mapping]] = ...) -> None: ...

class InputBatch(_message.Message):
    __slots__ = ("inputs",)
    INPUTS_FIELD_NUMBER: _ClassVar[int]
    inputs: _containers.RepeatedCompositeFieldContainer[Input]
    def __init__(self, inputs: _Optional[_Iterable[_Union[Input, _Mapping]]] = ...) -> None: ...

class Model(_message.Message):
    __slots__ = ("id", "name", "created_at", "modified_at", "app_id", "output_info", "model_version", "display_name", "user_id", "model_type_id", "visibility", "description", "metadata", "presets", "notes", "toolkits", "use_cases", "languages", "check_consents", "workflow_recommended", "creator", "version_count")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INFO_FIELD_NUMBER: _ClassVar[int]
    MODEL_VERSION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    PRESETS_FIELD_NUMBER: _ClassVar[int]
    NOTES_FIELD_NUMBER: _ClassVar[int]
    TOOLKITS_FIELD_NUMBER: _ClassVar[int]
    USE_CASES_FIELD_NUMBER: _ClassVar[int]
    LANGUAGES_FIELD_NUMBER: _ClassVar[int]
    CHECK_CONSENTS_FIELD_NUMBER: _ClassVar[int]
    WORKFLOW_RECOMMENDED_FIELD_NUMBER: _ClassVar[int]
    CREATOR_FIELD_NUMBER: _ClassVar[int]
    VERSION_COUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    app_id: str
    output_info: OutputInfo
    model_version: ModelVersion
    display_name: str
    user_id: str
    model_type_id: str
    visibility: Visibility
    description: str
    metadata: _struct_pb2.Struct
    presets: _struct_pb2.Struct
    notes: str
    toolkits: _containers.RepeatedScalarFieldContainer[str]
    use_cases: _containers.RepeatedScalarFieldContainer[str]
    languages: _containers.RepeatedScalarFieldContainer[str]
    check_consents: _containers.RepeatedScalarFieldContainer[str]
    workflow_recommended: _wrappers_pb2.BoolValue
    creator: str
    version_count: int
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., app_id: _Optional[str] = ..., output_info: _Optional[_Union[OutputInfo, _Mapping]] = ..., model_version: _Optional[_Union[ModelVersion, _Mapping]] = ..., display_name: _Optional[str] = ..., user_id: _Optional[str] = ..., model_type_id: _Optional[str] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., description: _Optional[str] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., presets: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., notes: _Optional[str] = ..., toolkits: _Optional[_Iterable[str]] = ..., use_cases: _Optional[_Iterable[str]] = ..., languages: _Optional[_Iterable[str]] = ..., check_consents: _Optional[_Iterable[str]] = ..., workflow_recommended: _Optional[_Union[_wrappers_pb2.BoolValue, _Mapping]] = ..., creator: _Optional[str] = ..., version_count: _Optional[int] = ...) -> None: ...

class ModelVersion(_message.Message):
    __slots__ = ("id", "created_at", "status", "active_concept_count", "metrics", "total_input_count", "completed_at", "description", "visibility", "app_id", "user_id", "modified_at", "metadata", "license", "output_info", "input_info", "train_info", "train_log")
    ID_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ACTIVE_CONCEPT_COUNT_FIELD_NUMBER: _ClassVar[int]
    METRICS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_INPUT_COUNT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    VISIBILITY_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    LICENSE_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_INFO_FIELD_NUMBER: _ClassVar[int]
    INPUT_INFO_FIELD_NUMBER: _ClassVar[int]
    TRAIN_INFO_FIELD_NUMBER: _ClassVar[int]
    TRAIN_LOG_FIELD_NUMBER: _ClassVar[int]
    id: str
    created_at: _timestamp_pb2.Timestamp
    status: _status_pb2.Status
    active_concept_count: int
    metrics: EvalMetrics
    total_input_count: int
    completed_at: _timestamp_pb2.Timestamp
    description: str
    visibility: Visibility
    app_id: str
    user_id: str
    modified_at: _timestamp_pb2.Timestamp
    metadata: _struct_pb2.Struct
    license: str
    output_info: OutputInfo
    input_info: InputInfo
    train_info: TrainInfo
    train_log: str
    def __init__(self, id: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., active_concept_count: _Optional[int] = ..., metrics: _Optional[_Union[EvalMetrics, _Mapping]] = ..., total_input_count: _Optional[int] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., description: _Optional[str] = ..., visibility: _Optional[_Union[Visibility, _Mapping]] = ..., app_id: _Optional[str] = ..., user_id: _Optional[str] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., metadata: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., license: _Optional[str] = ..., output_info: _Optional[_Union[OutputInfo, _Mapping]] = ..., input_info: _Optional[_Union[InputInfo, _Mapping]] = ..., train_info: _Optional[_Union[TrainInfo, _Mapping]] = ..., train_log: _Optional[str] = ...) -> None: ...

class OutputInfo(_message.Message):
    __slots__ = ("data", "output_config", "message", "fields_map", "params", "params_specs")
    DATA_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_CONFIG_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    FIELDS_MAP_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    PARAMS_SPECS_FIELD_NUMBER: _ClassVar[int]
    data: Data
    output_config: OutputConfig
    message: str
    fields_map: _struct_pb2.Struct
    params: _struct_pb2.Struct
    params_specs: _containers.RepeatedCompositeFieldContainer[ModelTypeField]
    def __init__(self, data: _Optional[_Union[Data, _Mapping]] = ..., output_config: _Optional[_Union[OutputConfig, _Mapping]] = ..., message: _Optional[str] = ..., fields_map: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., params_specs: _Optional[_Iterable[_Union[ModelTypeField, _Mapping]]] = ...) -> None: ...

class OutputConfig(_message.Message):
    __slots__ = ("concepts_mutually_exclusive", "language", "max_concepts", "min_value", "select_concepts", "training_timeout", "sample_ms", "hyper_params", "embed_model_version_id", "fail_on_missing_positive_examples")
    CONCEPTS_MUTUALLY_EXCLUSIVE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    MAX_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    SELECT_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    TRAINING_TIMEOUT_FIELD_NUMBER: _ClassVar[int]
    SAMPLE_MS_FIELD_NUMBER: _ClassVar[int]
    HYPER_PARAMS_FIELD_NUMBER: _ClassVar[int]
    EMBED_MODEL_VERSION_ID_FIELD_NUMBER: _ClassVar[int]
    FAIL_ON_MISSING_POSITIVE_EXAMPLES_FIELD_NUMBER: _ClassVar[int]
    concepts_mutually_exclusive: bool
    language: str
    max_concepts: int
    min_value: float
    select_concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    training_timeout: int
    sample_ms: int
    hyper_params: _struct_pb2.Struct
    embed_model_version_id: str
    fail_on_missing_positive_examples: bool
    def __init__(self, concepts_mutually_exclusive: _Optional[bool] = ..., language: _Optional[str] = ..., max_concepts: _Optional[int] = ..., min_value: _Optional[float] = ..., select_concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ..., training_timeout: _Optional[int] = ..., sample_ms: _Optional[int] = ..., hyper_params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., embed_model_version_id: _Optional[str] = ..., fail_on_missing_positive_examples: _Optional[bool] = ...) -> None: ...

class InputInfo(_message.Message):
    __slots__ = ("fields_map", "params", "base_embed_model")
    FIELDS_MAP_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    BASE_EMBED_MODEL_FIELD_NUMBER: _ClassVar[int]
    fields_map: _struct_pb2.Struct
    params: _struct_pb2.Struct
    base_embed_model: Model
    def __init__(self, fields_map: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., base_embed_model: _Optional[_Union[Model, _Mapping]] = ...) -> None: ...

class TrainInfo(_message.Message):
    __slots__ = ("params", "dataset")
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    DATASET_FIELD_NUMBER: _ClassVar[int]
    params: _struct_pb2.Struct
    dataset: Dataset
    def __init__(self, params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., dataset: _Optional[_Union[Dataset, _Mapping]] = ...) -> None: ...

class ModelQuery(_message.Message):
    __slots__ = ("name", "model_type_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    model_type_id: str
    def __init__(self, name: _Optional[str] = ..., model_type_id: _Optional[str] = ...) -> None: ...

class ModelType(_message.Message):
    __slots__ = ("id", "title", "description", "input_fields", "output_fields", "trainable", "creatable", "internal_only", "model_type_fields", "requires_sequential_frames", "evaluation_type")
    ID_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELDS_FIELD_NUMBER: _ClassVar[int]
    TRAINABLE_FIELD_NUMBER: _ClassVar[int]
    CREATABLE_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_FIELDS_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_SEQUENTIAL_FRAMES_FIELD_NUMBER: _ClassVar[int]
    EVALUATION_TYPE_FIELD_NUMBER: _ClassVar[int]
    id: str
    title: str
    description: str
    input_fields: _containers.RepeatedScalarFieldContainer[str]
    output_fields: _containers.RepeatedScalarFieldContainer[str]
    trainable: bool
    creatable: bool
    internal_only: bool
    model_type_fields: _containers.RepeatedCompositeFieldContainer[ModelTypeField]
    requires_sequential_frames: bool
    evaluation_type: EvaluationType
    def __init__(self, id: _Optional[str] = ..., title: _Optional[str] = ..., description: _Optional[str] = ..., input_fields: _Optional[_Iterable[str]] = ..., output_fields: _Optional[_Iterable[str]] = ..., trainable: _Optional[bool] = ..., creatable: _Optional[bool] = ..., internal_only: _Optional[bool] = ..., model_type_fields: _Optional[_Iterable[_Union[ModelTypeField, _Mapping]]] = ..., requires_sequential_frames: _Optional[bool] = ..., evaluation_type: _Optional[_Union[EvaluationType, str]] = ...) -> None: ...

class ModelTypeField(_message.Message):
    __slots__ = ("path", "field_type", "default_value", "description", "placeholder", "model_type_enum_options", "internal_only", "required", "model_type_range_info")
    class ModelTypeFieldType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        INVALID_MODEL_TYPE_FIELD_TYPE: _ClassVar[ModelTypeField.ModelTypeFieldType]
        BOOLEAN: _ClassVar[ModelTypeField.ModelTypeFieldType]
        STRING: _ClassVar[ModelTypeField.ModelTypeFieldType]
        NUMBER: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_CONCEPTS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_CONCEPTS_WITH_THRESHOLD: _ClassVar[ModelTypeField.ModelTypeFieldType]
        RANGE: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ENUM: _ClassVar[ModelTypeField.ModelTypeFieldType]
        COLLABORATORS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        JSON: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_NUMBERS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        WORKFLOW_EMBED_MODELS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_STRINGS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        RECURSIVE_ENUM: _ClassVar[ModelTypeField.ModelTypeFieldType]
        PYTHON_CODE: _ClassVar[ModelTypeField.ModelTypeFieldType]
        DATASET_ID: _ClassVar[ModelTypeField.ModelTypeFieldType]
        DATASET_VERSION_ID: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_MODEL_CONCEPTS: _ClassVar[ModelTypeField.ModelTypeFieldType]
        DATASET: _ClassVar[ModelTypeField.ModelTypeFieldType]
        DATASET_VERSION: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ENCRYPTED_STRING: _ClassVar[ModelTypeField.ModelTypeFieldType]
        CHECKPOINT_MODEL: _ClassVar[ModelTypeField.ModelTypeFieldType]
        ARRAY_OF_SECRETS: _ClassVar[ModelTypeField.ModelTypeFieldType]
    INVALID_MODEL_TYPE_FIELD_TYPE: ModelTypeField.ModelTypeFieldType
    BOOLEAN: ModelTypeField.ModelTypeFieldType
    STRING: ModelTypeField.ModelTypeFieldType
    NUMBER: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_CONCEPTS: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_CONCEPTS_WITH_THRESHOLD: ModelTypeField.ModelTypeFieldType
    RANGE: ModelTypeField.ModelTypeFieldType
    ENUM: ModelTypeField.ModelTypeFieldType
    COLLABORATORS: ModelTypeField.ModelTypeFieldType
    JSON: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_NUMBERS: ModelTypeField.ModelTypeFieldType
    WORKFLOW_EMBED_MODELS: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_STRINGS: ModelTypeField.ModelTypeFieldType
    RECURSIVE_ENUM: ModelTypeField.ModelTypeFieldType
    PYTHON_CODE: ModelTypeField.ModelTypeFieldType
    DATASET_ID: ModelTypeField.ModelTypeFieldType
    DATASET_VERSION_ID: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_MODEL_CONCEPTS: ModelTypeField.ModelTypeFieldType
    DATASET: ModelTypeField.ModelTypeFieldType
    DATASET_VERSION: ModelTypeField.ModelTypeFieldType
    ENCRYPTED_STRING: ModelTypeField.ModelTypeFieldType
    CHECKPOINT_MODEL: ModelTypeField.ModelTypeFieldType
    ARRAY_OF_SECRETS: ModelTypeField.ModelTypeFieldType
    PATH_FIELD_NUMBER: _ClassVar[int]
    FIELD_TYPE_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_VALUE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    PLACEHOLDER_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_ENUM_OPTIONS_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_RANGE_INFO_FIELD_NUMBER: _ClassVar[int]
    path: str
    field_type: ModelTypeField.ModelTypeFieldType
    default_value: _struct_pb2.Value
    description: str
    placeholder: str
    model_type_enum_options: _containers.RepeatedCompositeFieldContainer[ModelTypeEnumOption]
    internal_only: bool
    required: bool
    model_type_range_info: ModelTypeRangeInfo
    def __init__(self, path: _Optional[str] = ..., field_type: _Optional[_Union[ModelTypeField.ModelTypeFieldType, str]] = ..., default_value: _Optional[_Union[_struct_pb2.Value, _Mapping]] = ..., description: _Optional[str] = ..., placeholder: _Optional[str] = ..., model_type_enum_options: _Optional[_Iterable[_Union[ModelTypeEnumOption, _Mapping]]] = ..., internal_only: _Optional[bool] = ..., required: _Optional[bool] = ..., model_type_range_info: _Optional[_Union[ModelTypeRangeInfo, _Mapping]] = ...) -> None: ...

class ModelTypeEnumOption(_message.Message):
    __slots__ = ("id", "aliases", "description", "model_type_fields", "internal_only", "recommended")
    ID_FIELD_NUMBER: _ClassVar[int]
    ALIASES_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    MODEL_TYPE_FIELDS_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_ONLY_FIELD_NUMBER: _ClassVar[int]
    RECOMMENDED_FIELD_NUMBER: _ClassVar[int]
    id: str
    aliases: _containers.RepeatedCompositeFieldContainer[ModelTypeEnumOptionAlias]
    description: str
    model_type_fields: _containers.RepeatedCompositeFieldContainer[ModelTypeField]
    internal_only: bool
    recommended: bool
    def __init__(self, id: _Optional[str] = ..., aliases: _Optional[_Iterable[_Union[ModelTypeEnumOptionAlias, _Mapping]]] = ..., description: _Optional[str] = ..., model_type_fields: _Optional[_Iterable[_Union[ModelTypeField, _Mapping]]] = ..., internal_only: _Optional[bool] = ..., recommended: _Optional[bool] = ...) -> None: ...

class ModelTypeEnumOptionAlias(_message.Message):
    __slots__ = ("id_int", "wildcard_string")
    ID_INT_FIELD_NUMBER: _ClassVar[int]
    WILDCARD_STRING_FIELD_NUMBER: _ClassVar[int]
    id_int: int
    wildcard_string: str
    def __init__(self, id_int: _Optional[int] = ..., wildcard_string: _Optional[str] = ...) -> None: ...

class ModelTypeRangeInfo(_message.Message):
    __slots__ = ("min", "max", "step")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    STEP_FIELD_NUMBER: _ClassVar[int]
    min: float
    max: float
    step: float
    def __init__(self, min: _Optional[float] = ..., max: _Optional[float] = ..., step: _Optional[float] = ...) -> None: ...

class RunnerSelector(_message.Message):
    __slots__ = ("deployment",)
    DEPLOYMENT_FIELD_NUMBER: _ClassVar[int]
    deployment: Deployment
    def __init__(self, deployment: _Optional[_Union[Deployment, _Mapping]] = ...) -> None: ...

class Deployment(_message.Message):
    __slots__ = ("id", "user_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class Output(_message.Message):
    __slots__ = ("id", "status", "created_at", "model", "input", "data")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: _status_pb2.Status
    created_at: _timestamp_pb2.Timestamp
    model: Model
    input: Input
    data: Data
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., data: _Optional[_Union[Data, _Mapping]] = ...) -> None: ...

class EvalMetrics(_message.Message):
    __slots__ = ("status", "user_id", "app_id", "id", "model", "ground_truth_dataset", "summary", "confusion_matrix", "label_counts", "binary_metrics", "test_set", "metrics_by_class", "eval_info")
    STATUS_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    MODEL_FIELD_NUMBER: _ClassVar[int]
    GROUND_TRUTH_DATASET_FIELD_NUMBER: _ClassVar[int]
    SUMMARY_FIELD_NUMBER: _ClassVar[int]
    CONFUSION_MATRIX_FIELD_NUMBER: _ClassVar[int]
    LABEL_COUNTS_FIELD_NUMBER: _ClassVar[int]
    BINARY_METRICS_FIELD_NUMBER: _ClassVar[int]
    TEST_SET_FIELD_NUMBER: _ClassVar[int]
    METRICS_BY_CLASS_FIELD_NUMBER: _ClassVar[int]
    EVAL_INFO_FIELD_NUMBER: _ClassVar[int]
    status: _status_pb2.Status
    user_id: str
    app_id: str
    id: str
    model: Model
    ground_truth_dataset: Dataset
    summary: MetricsSummary
    confusion_matrix: ConfusionMatrix
    label_counts: LabelDistribution
    binary_metrics: _containers.RepeatedCompositeFieldContainer[BinaryMetrics]
    test_set: _containers.RepeatedCompositeFieldContainer[EvalTestSetEntry]
    metrics_by_class: _containers.RepeatedCompositeFieldContainer[BinaryMetrics]
    eval_info: EvalInfo
    def __init__(self, status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., user_id: _Optional[str] = ..., app_id: _Optional[str] = ..., id: _Optional[str] = ..., model: _Optional[_Union[Model, _Mapping]] = ..., ground_truth_dataset: _Optional[_Union[Dataset, _Mapping]] = ..., summary: _Optional[_Union[MetricsSummary, _Mapping]] = ..., confusion_matrix: _Optional[_Union[ConfusionMatrix, _Mapping]] = ..., label_counts: _Optional[_Union[LabelDistribution, _Mapping]] = ..., binary_metrics: _Optional[_Iterable[_Union[BinaryMetrics, _Mapping]]] = ..., test_set: _Optional[_Iterable[_Union[EvalTestSetEntry, _Mapping]]] = ..., metrics_by_class: _Optional[_Iterable[_Union[BinaryMetrics, _Mapping]]] = ..., eval_info: _Optional[_Union[EvalInfo, _Mapping]] = ...) -> None: ...

class EvalInfo(_message.Message):
    __slots__ = ("params",)
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    params: _struct_pb2.Struct
    def __init__(self, params: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ...) -> None: ...

class FieldsValue(_message.Message):
    __slots__ = ("confusion_matrix", "cooccurrence_matrix", "label_counts", "binary_metrics", "test_set", "metrics_by_area", "metrics_by_class")
    CONFUSION_MATRIX_FIELD_NUMBER: _ClassVar[int]
    COOCCURRENCE_MATRIX_FIELD_NUMBER: _ClassVar[int]
    LABEL_COUNTS_FIELD_NUMBER: _ClassVar[int]
    BINARY_METRICS_FIELD_NUMBER: _ClassVar[int]
    TEST_SET_FIELD_NUMBER: _ClassVar[int]
    METRICS_BY_AREA_FIELD_NUMBER: _ClassVar[int]
    METRICS_BY_CLASS_FIELD_NUMBER: _ClassVar[int]
    confusion_matrix: bool
    cooccurrence_matrix: bool
    label_counts: bool
    binary_metrics: bool
    test_set: bool
    metrics_by_area: bool
    metrics_by_class: bool
    def __init__(self, confusion_matrix: _Optional[bool] = ..., cooccurrence_matrix: _Optional[bool] = ..., label_counts: _Optional[bool] = ..., binary_metrics: _Optional[bool] = ..., test_set: _Optional[bool] = ..., metrics_by_area: _Optional[bool] = ..., metrics_by_class: _Optional[bool] = ...) -> None: ...

class MetricsSummary(_message.Message):
    __slots__ = ("top1_accuracy", "top5_accuracy", "macro_avg_roc_auc", "macro_std_roc_auc", "macro_avg_f1_score", "macro_std_f1_score", "macro_avg_precision", "macro_avg_recall", "mean_avg_precision_iou_50", "mean_avg_precision_iou_range")
    TOP1_ACCURACY_FIELD_NUMBER: _ClassVar[int]
    TOP5_ACCURACY_FIELD_NUMBER: _ClassVar[int]
    MACRO_AVG_ROC_AUC_FIELD_NUMBER: _ClassVar[int]
    MACRO_STD_ROC_AUC_FIELD_NUMBER: _ClassVar[int]
    MACRO_AVG_F1_SCORE_FIELD_NUMBER: _ClassVar[int]
    MACRO_STD_F1_SCORE_FIELD_NUMBER: _ClassVar[int]
    MACRO_AVG_PRECISION_FIELD_NUMBER: _ClassVar[int]
    MACRO_AVG_RECALL_FIELD_NUMBER: _ClassVar[int]
    MEAN_AVG_PRECISION_IOU_50_FIELD_NUMBER: _ClassVar[int]
    MEAN_AVG_PRECISION_IOU_RANGE_FIELD_NUMBER: _ClassVar[int]
    top1_accuracy: float
    top5_accuracy: float
    macro_avg_roc_auc: float
    macro_std_roc_auc: float
    macro_avg_f1_score: float
    macro_std_f1_score: float
    macro_avg_precision: float
    macro_avg_recall: float
    mean_avg_precision_iou_50: float
    mean_avg_precision_iou_range: float
    def __init__(self, top1_accuracy: _Optional[float] = ..., top5_accuracy: _Optional[float] = ..., macro_avg_roc_auc: _Optional[float] = ..., macro_std_roc_auc: _Optional[float] = ..., macro_avg_f1_score: _Optional[float] = ..., macro_std_f1_score: _Optional[float] = ..., macro_avg_precision: _Optional[float] = ..., macro_avg_recall: _Optional[float] = ..., mean_avg_precision_iou_50: _Optional[float] = ..., mean_avg_precision_iou_range: _Optional[float] = ...) -> None: ...

class ConfusionMatrix(_message.Message):
    __slots__ = ("matrix", "concept_ids")
    MATRIX_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_IDS_FIELD_NUMBER: _ClassVar[int]
    matrix: _containers.RepeatedCompositeFieldContainer[ConfusionMatrixEntry]
    concept_ids: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, matrix: _Optional[_Iterable[_Union[ConfusionMatrixEntry, _Mapping]]] = ..., concept_ids: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfusionMatrixEntry(_message.Message):
    __slots__ = ("predicted", "actual", "value", "predicted_concept", "actual_concept")
    PREDICTED_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    PREDICTED_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    ACTUAL_CONCEPT_FIELD_NUMBER: _ClassVar[int]
    predicted: str
    actual: str
    value: float
    predicted_concept: Concept
    actual_concept: Concept
    def __init__(self, predicted: _Optional[str] = ..., actual: _Optional[str] = ..., value: _Optional[float] = ..., predicted_concept: _Optional[_Union[Concept, _Mapping]] = ..., actual_concept: _Optional[_Union[Concept, _Mapping]] = ...) -> None: ...

class LabelDistribution(_message.Message):
    __slots__ = ("positive_label_counts",)
    POSITIVE_LABEL_COUNTS_FIELD_NUMBER: _ClassVar[int]
    positive_label_counts: _containers.RepeatedCompositeFieldContainer[LabelCount]
    def __init__(self, positive_label_counts: _Optional[_Iterable[_Union[LabelCount, _Mapping]]] = ...) -> None: ...

class LabelCount(_message.Message):
    __slots__ = ("concept_name", "count", "concept")
    CONCEPT_NAME_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_FIELD_NUMBER: _ClassVar[int]
    concept_name: str
    count: int
    concept: Concept
    def __init__(self, concept_name: _Optional[str] = ..., count: _Optional[int] = ..., concept: _Optional[_Union[Concept, _Mapping]] = ...) -> None: ...

class BinaryMetrics(_message.Message):
    __slots__ = ("num_pos", "num_neg", "num_tot", "roc_auc", "f1", "concept", "roc_curve", "precision_recall_curve", "avg_precision")
    NUM_POS_FIELD_NUMBER: _ClassVar[int]
    NUM_NEG_FIELD_NUMBER: _ClassVar[int]
    NUM_TOT_FIELD_NUMBER: _ClassVar[int]
    ROC_AUC_FIELD_NUMBER: _ClassVar[int]
    F1_FIELD_NUMBER: _ClassVar[int]
    CONCEPT_FIELD_NUMBER: _ClassVar[int]
    ROC_CURVE_FIELD_NUMBER: _ClassVar[int]
    PRECISION_RECALL_CURVE_FIELD_NUMBER: _ClassVar[int]
    AVG_PRECISION_FIELD_NUMBER: _ClassVar[int]
    num_pos: int
    num_neg: int
    num_tot: int
    roc_auc: float
    f1: float
    concept: Concept
    roc_curve: ROC
    precision_recall_curve: PrecisionRecallCurve
    avg_precision: float
    def __init__(self, num_pos: _Optional[int] = ..., num_neg: _Optional[int] = ..., num_tot: _Optional[int] = ..., roc_auc: _Optional[float] = ..., f1: _Optional[float] = ..., concept: _Optional[_Union[Concept, _Mapping]] = ..., roc_curve: _Optional[_Union[ROC, _Mapping]] = ..., precision_recall_curve: _Optional[_Union[PrecisionRecallCurve, _Mapping]] = ..., avg_precision: _Optional[float] = ...) -> None: ...

class ROC(_message.Message):
    __slots__ = ("fpr", "tpr", "thresholds")
    FPR_FIELD_NUMBER: _ClassVar[int]
    TPR_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    fpr: _containers.RepeatedScalarFieldContainer[float]
    tpr: _containers.RepeatedScalarFieldContainer[float]
    thresholds: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, fpr: _Optional[_Iterable[float]] = ..., tpr: _Optional[_Iterable[float]] = ..., thresholds: _Optional[_Iterable[float]] = ...) -> None: ...

class PrecisionRecallCurve(_message.Message):
    __slots__ = ("recall", "precision", "thresholds")
    RECALL_FIELD_NUMBER: _ClassVar[int]
    PRECISION_FIELD_NUMBER: _ClassVar[int]
    THRESHOLDS_FIELD_NUMBER: _ClassVar[int]
    recall: _containers.RepeatedScalarFieldContainer[float]
    precision: _containers.RepeatedScalarFieldContainer[float]
    thresholds: _containers.RepeatedScalarFieldContainer[float]
    def __init__(self, recall: _Optional[_Iterable[float]] = ..., precision: _Optional[_Iterable[float]] = ..., thresholds: _Optional[_Iterable[float]] = ...) -> None: ...

class EvalTestSetEntry(_message.Message):
    __slots__ = ("input", "predicted_concepts", "ground_truth_concepts")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    PREDICTED_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    GROUND_TRUTH_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    input: Input
    predicted_concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    ground_truth_concepts: _containers.RepeatedCompositeFieldContainer[Concept]
    def __init__(self, input: _Optional[_Union[Input, _Mapping]] = ..., predicted_concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ..., ground_truth_concepts: _Optional[_Iterable[_Union[Concept, _Mapping]]] = ...) -> None: ...

class Search(_message.Message):
    __slots__ = ("query", "id", "application_id", "name", "as_of", "created_at", "modified_at", "algorithm", "save", "min_value", "metric")
    class Metric(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
        __slots__ = ()
        METRIC_NOT_SET: _ClassVar[Search.Metric]
        EUCLIDEAN_DISTANCE: _ClassVar[Search.Metric]
        COSINE_DISTANCE: _ClassVar[Search.Metric]
    METRIC_NOT_SET: Search.Metric
    EUCLIDEAN_DISTANCE: Search.Metric
    COSINE_DISTANCE: Search.Metric
    QUERY_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    APPLICATION_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    AS_OF_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    ALGORITHM_FIELD_NUMBER: _ClassVar[int]
    SAVE_FIELD_NUMBER: _ClassVar[int]
    MIN_VALUE_FIELD_NUMBER: _ClassVar[int]
    METRIC_FIELD_NUMBER: _ClassVar[int]
    query: Query
    id: str
    application_id: str
    name: str
    as_of: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    modified_at: _timestamp_pb2.Timestamp
    algorithm: str
    save: bool
    min_value: float
    metric: Search.Metric
    def __init__(self, query: _Optional[_Union[Query, _Mapping]] = ..., id: _Optional[str] = ..., application_id: _Optional[str] = ..., name: _Optional[str] = ..., as_of: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., algorithm: _Optional[str] = ..., save: _Optional[bool] = ..., min_value: _Optional[float] = ..., metric: _Optional[_Union[Search.Metric, str]] = ...) -> None: ...

class Query(_message.Message):
    __slots__ = ("ands", "language", "filters", "ranks")
    ANDS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    FILTERS_FIELD_NUMBER: _ClassVar[int]
    RANKS_FIELD_NUMBER: _ClassVar[int]
    ands: _containers.RepeatedCompositeFieldContainer[And]
    language: str
    filters: _containers.RepeatedCompositeFieldContainer[Filter]
    ranks: _containers.RepeatedCompositeFieldContainer[Rank]
    def __init__(self, ands: _Optional[_Iterable[_Union[And, _Mapping]]] = ..., language: _Optional[str] = ..., filters: _Optional[_Iterable[_Union[Filter, _Mapping]]] = ..., ranks: _Optional[_Iterable[_Union[Rank, _Mapping]]] = ...) -> None: ...

class And(_message.Message):
    __slots__ = ("input", "output", "negate", "annotation")
    INPUT_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_FIELD_NUMBER: _ClassVar[int]
    NEGATE_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    input: Input
    output: Output
    negate: bool
    annotation: Annotation
    def __init__(self, input: _Optional[_Union[Input, _Mapping]] = ..., output: _Optional[_Union[Output, _Mapping]] = ..., negate: _Optional[bool] = ..., annotation: _Optional[_Union[Annotation, _Mapping]] = ...) -> None: ...

class Filter(_message.Message):
    __slots__ = ("negate", "annotation", "input", "last_updated_time_range")
    NEGATE_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    LAST_UPDATED_TIME_RANGE_FIELD_NUMBER: _ClassVar[int]
    negate: bool
    annotation: Annotation
    input: Input
    last_updated_time_range: TimeRange
    def __init__(self, negate: _Optional[bool] = ..., annotation: _Optional[_Union[Annotation, _Mapping]] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., last_updated_time_range: _Optional[_Union[TimeRange, _Mapping]] = ...) -> None: ...

class Rank(_message.Message):
    __slots__ = ("negate", "annotation")
    NEGATE_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    negate: bool
    annotation: Annotation
    def __init__(self, negate: _Optional[bool] = ..., annotation: _Optional[_Union[Annotation, _Mapping]] = ...) -> None: ...

class TimeRange(_message.Message):
    __slots__ = ("start_time", "end_time")
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Hit(_message.Message):
    __slots__ = ("score", "input", "annotation", "user_id", "app_id")
    SCORE_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    ANNOTATION_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    APP_ID_FIELD_NUMBER: _ClassVar[int]
    score: float
    input: Input
    annotation: Annotation
    user_id: str
    app_id: str
    def __init__(self, score: _Optional[float] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., annotation: _Optional[_Union[Annotation, _Mapping]] = ..., user_id: _Optional[str] = ..., app_id: _Optional[str] = ...) -> None: ...

class HitCount(_message.Message):
    __slots__ = ("estimated_total",)
    ESTIMATED_TOTAL_FIELD_NUMBER: _ClassVar[int]
    estimated_total: int
    def __init__(self, estimated_total: _Optional[int] = ...) -> None: ...

class AppDuplication(_message.Message):
    __slots__ = ("id", "destination_app", "existing_app_id", "new_app_id", "new_app_name", "status", "created_at", "last_modified_at", "filter", "progress")
    ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_APP_FIELD_NUMBER: _ClassVar[int]
    EXISTING_APP_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_APP_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_APP_NAME_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    LAST_MODIFIED_AT_FIELD_NUMBER: _ClassVar[int]
    FILTER_FIELD_NUMBER: _ClassVar[int]
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    id: str
    destination_app: App
    existing_app_id: str
    new_app_id: str
    new_app_name: str
    status: _status_pb2.Status
    created_at: _timestamp_pb2.Timestamp
    last_modified_at: _timestamp_pb2.Timestamp
    filter: AppDuplicationFilters
    progress: _containers.RepeatedCompositeFieldContainer[AppCopyProgress]
    def __init__(self, id: _Optional[str] = ..., destination_app: _Optional[_Union[App, _Mapping]] = ..., existing_app_id: _Optional[str] = ..., new_app_id: _Optional[str] = ..., new_app_name: _Optional[str] = ..., status: _Optional[_Union[_status_pb2.Status, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., last_modified_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., filter: _Optional[_Union[AppDuplicationFilters, _Mapping]] = ..., progress: _Optional[_Iterable[_Union[AppCopyProgress, _Mapping]]] = ...) -> None: ...

class AppCopyProgress(_message.Message):
    __slots__ = ("field", "value")
    FIELD_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    field: str
    value: int
    def __init__(self, field: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...

class AppDuplicationFilters(_message.Message):
    __slots__ = ("copy_inputs", "copy_concepts", "copy_annotations", "copy_models", "copy_workflows")
    COPY_INPUTS_FIELD_NUMBER: _ClassVar[int]
    COPY_CONCEPTS_FIELD_NUMBER: _ClassVar[int]
    COPY_ANNOTATIONS_FIELD_NUMBER: _ClassVar[int]
    COPY_MODELS_FIELD_NUMBER: _ClassVar[int]
    COPY_WORKFLOWS_FIELD_NUMBER: _ClassVar[int]
    copy_inputs: bool
    copy_concepts: bool
    copy_annotations: bool
    copy_models: bool
    copy_workflows: bool
    def __init__(self, copy_inputs: _Optional[bool] = ..., copy_concepts: _Optional[bool] = ..., copy_annotations: _Optional[bool] = ..., copy_models: _Optional[bool] = ..., copy_workflows: _Optional[bool] = ...) -> None: ...

class StatValue(_message.Message):
    __slots__ = ("time", "value", "tags")
    TIME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    value: float
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., value: _Optional[float] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class StatValueAggregateResult(_message.Message):
    __slots__ = ("stat_value_aggregates", "stat_value_aggregate_query")
    STAT_VALUE_AGGREGATES_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUE_AGGREGATE_QUERY_FIELD_NUMBER: _ClassVar[int]
    stat_value_aggregates: _containers.RepeatedCompositeFieldContainer[StatValueAggregate]
    stat_value_aggregate_query: StatValueAggregateQuery
    def __init__(self, stat_value_aggregates: _Optional[_Iterable[_Union[StatValueAggregate, _Mapping]]] = ..., stat_value_aggregate_query: _Optional[_Union[StatValueAggregateQuery, _Mapping]] = ...) -> None: ...

class StatValueAggregate(_message.Message):
    __slots__ = ("time", "aggregate_value", "count", "tags")
    TIME_FIELD_NUMBER: _ClassVar[int]
    AGGREGATE_VALUE_FIELD_NUMBER: _ClassVar[int]
    COUNT_FIELD_NUMBER: _ClassVar[int]
    TAGS_FIELD_NUMBER: _ClassVar[int]
    time: _timestamp_pb2.Timestamp
    aggregate_value: float
    count: int
    tags: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., aggregate_value: _Optional[float] = ..., count: _Optional[int] = ..., tags: _Optional[_Iterable[str]] = ...) -> None: ...

class StatValueAggregateQuery(_message.Message):
    __slots__ = ("tags", "tag_groups", "stat_value_agg_type", "stat_time_agg_type", "start_time", "end_time")
    TAGS_FIELD_NUMBER: _ClassVar[int]
    TAG_GROUPS_FIELD_NUMBER: _ClassVar[int]
    STAT_VALUE_AGG_TYPE_FIELD_NUMBER: _ClassVar[int]
    STAT_TIME_AGG_TYPE_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    END_TIME_FIELD_NUMBER: _ClassVar[int]
    tags: _containers.RepeatedScalarFieldContainer[str]
    tag_groups: _containers.RepeatedScalarFieldContainer[str]
    stat_value_agg_type: StatValueAggType
    stat_time_agg_type: StatTimeAggType
    start_time: _timestamp_pb2.Timestamp
    end_time: _timestamp_pb2.Timestamp
    def __init__(self, tags: _Optional[_Iterable[str]] = ..., tag_groups: _Optional[_Iterable[str]] = ..., stat_value_agg_type: _Optional[_Union[StatValueAggType, str]] = ..., stat_time_agg_type: _Optional[_Union[StatTimeAggType, str]] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
