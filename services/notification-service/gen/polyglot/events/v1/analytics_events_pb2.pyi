import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from polyglot.common.v1 import metadata_pb2 as _metadata_pb2
from polyglot.common.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AnalyticsUpdate(_message.Message):
    __slots__ = ("metric_name", "value", "previous_value", "labels", "updated_timestamp", "event_metadata", "trigger_event_id")
    class LabelsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    METRIC_NAME_FIELD_NUMBER: _ClassVar[int]
    VALUE_FIELD_NUMBER: _ClassVar[int]
    PREVIOUS_VALUE_FIELD_NUMBER: _ClassVar[int]
    LABELS_FIELD_NUMBER: _ClassVar[int]
    UPDATED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    TRIGGER_EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    metric_name: str
    value: float
    previous_value: float
    labels: _containers.ScalarMap[str, str]
    updated_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    trigger_event_id: str
    def __init__(self, metric_name: _Optional[str] = ..., value: _Optional[float] = ..., previous_value: _Optional[float] = ..., labels: _Optional[_Mapping[str, str]] = ..., updated_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., trigger_event_id: _Optional[str] = ...) -> None: ...

class MetricsCollected(_message.Message):
    __slots__ = ("collected_timestamp", "user_signups", "orders_created", "emails_sent", "sms_sent", "payments_declined", "total_revenue", "signups_by_source", "orders_by_status", "events_by_type", "interval_seconds", "event_metadata")
    class SignupsBySourceEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class OrdersByStatusEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    class EventsByTypeEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: int
        def __init__(self, key: _Optional[str] = ..., value: _Optional[int] = ...) -> None: ...
    COLLECTED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    USER_SIGNUPS_FIELD_NUMBER: _ClassVar[int]
    ORDERS_CREATED_FIELD_NUMBER: _ClassVar[int]
    EMAILS_SENT_FIELD_NUMBER: _ClassVar[int]
    SMS_SENT_FIELD_NUMBER: _ClassVar[int]
    PAYMENTS_DECLINED_FIELD_NUMBER: _ClassVar[int]
    TOTAL_REVENUE_FIELD_NUMBER: _ClassVar[int]
    SIGNUPS_BY_SOURCE_FIELD_NUMBER: _ClassVar[int]
    ORDERS_BY_STATUS_FIELD_NUMBER: _ClassVar[int]
    EVENTS_BY_TYPE_FIELD_NUMBER: _ClassVar[int]
    INTERVAL_SECONDS_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    collected_timestamp: _timestamp_pb2.Timestamp
    user_signups: int
    orders_created: int
    emails_sent: int
    sms_sent: int
    payments_declined: int
    total_revenue: _money_pb2.Money
    signups_by_source: _containers.ScalarMap[str, int]
    orders_by_status: _containers.ScalarMap[str, int]
    events_by_type: _containers.ScalarMap[str, int]
    interval_seconds: int
    event_metadata: _metadata_pb2.EventMetadata
    def __init__(self, collected_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., user_signups: _Optional[int] = ..., orders_created: _Optional[int] = ..., emails_sent: _Optional[int] = ..., sms_sent: _Optional[int] = ..., payments_declined: _Optional[int] = ..., total_revenue: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., signups_by_source: _Optional[_Mapping[str, int]] = ..., orders_by_status: _Optional[_Mapping[str, int]] = ..., events_by_type: _Optional[_Mapping[str, int]] = ..., interval_seconds: _Optional[int] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ...) -> None: ...
