import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from polyglot.common.v1 import metadata_pb2 as _metadata_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class EmailType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    EMAIL_TYPE_UNSPECIFIED: _ClassVar[EmailType]
    EMAIL_TYPE_WELCOME: _ClassVar[EmailType]
    EMAIL_TYPE_ORDER_CONFIRMATION: _ClassVar[EmailType]
    EMAIL_TYPE_SHIPPING_NOTIFICATION: _ClassVar[EmailType]
    EMAIL_TYPE_PROMOTIONAL: _ClassVar[EmailType]
    EMAIL_TYPE_ORDER_CANCELLED: _ClassVar[EmailType]
    EMAIL_TYPE_EMAIL_CHANGED: _ClassVar[EmailType]

class SMSType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SMS_TYPE_UNSPECIFIED: _ClassVar[SMSType]
    SMS_TYPE_VERIFICATION: _ClassVar[SMSType]
    SMS_TYPE_ORDER_UPDATE: _ClassVar[SMSType]
    SMS_TYPE_PROMOTIONAL: _ClassVar[SMSType]
EMAIL_TYPE_UNSPECIFIED: EmailType
EMAIL_TYPE_WELCOME: EmailType
EMAIL_TYPE_ORDER_CONFIRMATION: EmailType
EMAIL_TYPE_SHIPPING_NOTIFICATION: EmailType
EMAIL_TYPE_PROMOTIONAL: EmailType
EMAIL_TYPE_ORDER_CANCELLED: EmailType
EMAIL_TYPE_EMAIL_CHANGED: EmailType
SMS_TYPE_UNSPECIFIED: SMSType
SMS_TYPE_VERIFICATION: SMSType
SMS_TYPE_ORDER_UPDATE: SMSType
SMS_TYPE_PROMOTIONAL: SMSType

class EmailSentEvent(_message.Message):
    __slots__ = ("user_id", "email_address", "template_id", "email_type", "template_variables", "sent_timestamp", "event_metadata", "subject", "order_id")
    class TemplateVariablesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_TYPE_FIELD_NUMBER: _ClassVar[int]
    TEMPLATE_VARIABLES_FIELD_NUMBER: _ClassVar[int]
    SENT_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    SUBJECT_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    email_address: str
    template_id: str
    email_type: EmailType
    template_variables: _containers.ScalarMap[str, str]
    sent_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    subject: str
    order_id: str
    def __init__(self, user_id: _Optional[str] = ..., email_address: _Optional[str] = ..., template_id: _Optional[str] = ..., email_type: _Optional[_Union[EmailType, str]] = ..., template_variables: _Optional[_Mapping[str, str]] = ..., sent_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., subject: _Optional[str] = ..., order_id: _Optional[str] = ...) -> None: ...

class SMSSentEvent(_message.Message):
    __slots__ = ("user_id", "phone_number", "message_content", "sms_type", "sent_timestamp", "event_metadata", "order_id")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_CONTENT_FIELD_NUMBER: _ClassVar[int]
    SMS_TYPE_FIELD_NUMBER: _ClassVar[int]
    SENT_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    phone_number: str
    message_content: str
    sms_type: SMSType
    sent_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    order_id: str
    def __init__(self, user_id: _Optional[str] = ..., phone_number: _Optional[str] = ..., message_content: _Optional[str] = ..., sms_type: _Optional[_Union[SMSType, str]] = ..., sent_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., order_id: _Optional[str] = ...) -> None: ...
