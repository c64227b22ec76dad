from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
CL_SHOW_IF_EMPTY_FIELD_NUMBER: _ClassVar[int]
cl_show_if_empty: _descriptor.FieldDescriptor
CL_MORETAGS_FIELD_NUMBER: _ClassVar[int]
cl_moretags: _descriptor.FieldDescriptor
CL_DEFAULT_FLOAT_FIELD_NUMBER: _ClassVar[int]
cl_default_float: _descriptor.FieldDescriptor
DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
description: _descriptor.FieldDescriptor
