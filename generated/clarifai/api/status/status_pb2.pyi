from clarifai.api.status import status_code_pb2 as _status_code_pb2
from clarifai.auth.util import extension_pb2 as _extension_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Status(_message.Message):
    __slots__ = ("code", "description", "details", "stack_trace", "percent_completed", "time_remaining", "req_id", "internal_details", "redirect_info", "developer_notes", "http_status_code")
    CODE_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DETAILS_FIELD_NUMBER: _ClassVar[int]
    STACK_TRACE_FIELD_NUMBER: _ClassVar[int]
    PERCENT_COMPLETED_FIELD_NUMBER: _ClassVar[int]
    TIME_REMAINING_FIELD_NUMBER: _ClassVar[int]
    REQ_ID_FIELD_NUMBER: _ClassVar[int]
    INTERNAL_DETAILS_FIELD_NUMBER: _ClassVar[int]
    REDIRECT_INFO_FIELD_NUMBER: _ClassVar[int]
    DEVELOPER_NOTES_FIELD_NUMBER: _ClassVar[int]
    HTTP_STATUS_CODE_FIELD_NUMBER: _ClassVar[int]
    code: _status_code_pb2.StatusCode
    description: str
    details: str
    stack_trace: _containers.RepeatedScalarFieldContainer[str]
    percent_completed: int
    time_remaining: int
    req_id: str
    internal_details: str
    redirect_info: RedirectInfo
    developer_notes: str
    http_status_code: int
    def __init__(self, code: _Optional[_Union[_status_code_pb2.StatusCode, str]] = ..., description: _Optional[str] = ..., details: _Optional[str] = ..., stack_trace: _Optional[_Iterable[str]] = ..., percent_completed: _Optional[int] = ..., time_remaining: _Optional[int] = ..., req_id: _Optional[str] = ..., internal_details: _Optional[str] = ..., redirect_info: _Optional[_Union[RedirectInfo, _Mapping]] = ..., developer_notes: _Optional[str] = ..., http_status_code: _Optional[int] = ...) -> None: ...

class RedirectInfo(_message.Message):
    __slots__ = ("url", "resource_type", "old_resource_id", "new_resource_id")
    URL_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    OLD_RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    NEW_RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    url: str
    resource_type: str
    old_resource_id: str
    new_resource_id: str
    def __init__(self, url: _Optional[str] = ..., resource_type: _Optional[str] = ..., old_resource_id: _Optional[str] = ..., new_resource_id: _Optional[str] = ...) -> None: ...

class BaseResponse(_message.Message):
    __slots__ = ("status",)
    STATUS_FIELD_NUMBER: _ClassVar[int]
    status: Status
    def __init__(self, status: _Optional[_Union[Status, _Mapping]] = ...) -> None: ...
