from clarifai.auth.scope import scope_pb2 as _scope_pb2
from clarifai.auth.types import types_pb2 as _types_pb2
from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
CL_PRIVATE_FIELD_FIELD_NUMBER: _ClassVar[int]
cl_private_field: _descriptor.FieldDescriptor
CL_PRIVATE_RPC_FIELD_NUMBER: _ClassVar[int]
cl_private_rpc: _descriptor.FieldDescriptor
CL_DEPENDING_SCOPES_FIELD_NUMBER: _ClassVar[int]
cl_depending_scopes: _descriptor.FieldDescriptor
CL_AUTH_TYPE_FIELD_NUMBER: _ClassVar[int]
cl_auth_type: _descriptor.FieldDescriptor
CL_PRIVATE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
cl_private_message: _descriptor.FieldDescriptor
