import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from polyglot.common.v1 import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SignupSource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SIGNUP_SOURCE_UNSPECIFIED: _ClassVar[SignupSource]
    SIGNUP_SOURCE_WEB: _ClassVar[SignupSource]
    SIGNUP_SOURCE_MOBILE: _ClassVar[SignupSource]
    SIGNUP_SOURCE_API: _ClassVar[SignupSource]
    SIGNUP_SOURCE_SOCIAL: _ClassVar[SignupSource]
SIGNUP_SOURCE_UNSPECIFIED: SignupSource
SIGNUP_SOURCE_WEB: SignupSource
SIGNUP_SOURCE_MOBILE: SignupSource
SIGNUP_SOURCE_API: SignupSource
SIGNUP_SOURCE_SOCIAL: SignupSource

class UserSignupEvent(_message.Message):
    __slots__ = ("user_id", "email", "name", "signup_timestamp", "source", "metadata", "event_metadata", "phone_number")
    class MetadataEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    SIGNUP_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    METADATA_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email: str
    name: str
    signup_timestamp: _timestamp_pb2.Timestamp
    source: SignupSource
    metadata: _containers.ScalarMap[str, str]
    event_metadata: _metadata_pb2.EventMetadata
    phone_number: str
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., signup_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., source: _Optional[_Union[SignupSource, str]] = ..., metadata: _Optional[_Mapping[str, str]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., phone_number: _Optional[str] = ...) -> None: ...

class UserUpdatedEvent(_message.Message):
    __slots__ = ("user_id", "email", "name", "updated_timestamp", "updated_fields", "event_metadata", "phone_number", "previous_email")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    UPDATED_FIELDS_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_EMAIL_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email: str
    name: str
    updated_timestamp: _timestamp_pb2.Timestamp
    updated_fields: _containers.RepeatedScalarFieldContainer[str]
    event_metadata: _metadata_pb2.EventMetadata
    phone_number: str
    previous_email: str
    def __init__(self, user_id: _Optional[str] = ..., email: _Optional[str] = ..., name: _Optional[str] = ..., updated_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_fields: _Optional[_Iterable[str]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., phone_number: _Optional[str] = ..., previous_email: _Optional[str] = ...) -> None: ...
