import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from polyglot.common.v1 import metadata_pb2 as _metadata_pb2
from polyglot.common.v1 import money_pb2 as _money_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_STATUS_UNSPECIFIED: _ClassVar[OrderStatus]
    ORDER_STATUS_PENDING: _ClassVar[OrderStatus]
    ORDER_STATUS_CONFIRMED: _ClassVar[OrderStatus]
    ORDER_STATUS_PROCESSING: _ClassVar[OrderStatus]
    ORDER_STATUS_SHIPPED: _ClassVar[OrderStatus]
    ORDER_STATUS_DELIVERED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCELLED: _ClassVar[OrderStatus]

class PaymentStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PAYMENT_STATUS_UNSPECIFIED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_APPROVED: _ClassVar[PaymentStatus]
    PAYMENT_STATUS_DECLINED: _ClassVar[PaymentStatus]
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_STATUS_PENDING: OrderStatus
ORDER_STATUS_CONFIRMED: OrderStatus
ORDER_STATUS_PROCESSING: OrderStatus
ORDER_STATUS_SHIPPED: OrderStatus
ORDER_STATUS_DELIVERED: OrderStatus
ORDER_STATUS_CANCELLED: OrderStatus
PAYMENT_STATUS_UNSPECIFIED: PaymentStatus
PAYMENT_STATUS_APPROVED: PaymentStatus
PAYMENT_STATUS_DECLINED: PaymentStatus

class OrderCreatedEvent(_message.Message):
    __slots__ = ("order_id", "user_id", "total_amount", "currency", "status", "items", "created_timestamp", "event_metadata", "total_money")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    ITEMS_FIELD_NUMBER: _ClassVar[int]
    CREATED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    TOTAL_MONEY_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    user_id: str
    total_amount: float
    currency: str
    status: OrderStatus
    items: _containers.RepeatedCompositeFieldContainer[OrderItem]
    created_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    total_money: _money_pb2.Money
    def __init__(self, order_id: _Optional[str] = ..., user_id: _Optional[str] = ..., total_amount: _Optional[float] = ..., currency: _Optional[str] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., items: _Optional[_Iterable[_Union[OrderItem, _Mapping]]] = ..., created_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ..., total_money: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...

class OrderShippedEvent(_message.Message):
    __slots__ = ("order_id", "user_id", "tracking_number", "carrier", "shipped_timestamp", "event_metadata")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    TRACKING_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CARRIER_FIELD_NUMBER: _ClassVar[int]
    SHIPPED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    user_id: str
    tracking_number: str
    carrier: str
    shipped_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    def __init__(self, order_id: _Optional[str] = ..., user_id: _Optional[str] = ..., tracking_number: _Optional[str] = ..., carrier: _Optional[str] = ..., shipped_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ...) -> None: ...

class PaymentProcessedEvent(_message.Message):
    __slots__ = ("order_id", "user_id", "payment_id", "amount", "status", "decline_reason", "provider", "processed_timestamp", "event_metadata")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DECLINE_REASON_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    PROCESSED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    user_id: str
    payment_id: str
    amount: _money_pb2.Money
    status: PaymentStatus
    decline_reason: str
    provider: str
    processed_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    def __init__(self, order_id: _Optional[str] = ..., user_id: _Optional[str] = ..., payment_id: _Optional[str] = ..., amount: _Optional[_Union[_money_pb2.Money, _Mapping]] = ..., status: _Optional[_Union[PaymentStatus, str]] = ..., decline_reason: _Optional[str] = ..., provider: _Optional[str] = ..., processed_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ...) -> None: ...

class OrderCancelledEvent(_message.Message):
    __slots__ = ("order_id", "user_id", "reason", "cancelled_timestamp", "event_metadata")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CANCELLED_TIMESTAMP_FIELD_NUMBER: _ClassVar[int]
    EVENT_METADATA_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    user_id: str
    reason: str
    cancelled_timestamp: _timestamp_pb2.Timestamp
    event_metadata: _metadata_pb2.EventMetadata
    def __init__(self, order_id: _Optional[str] = ..., user_id: _Optional[str] = ..., reason: _Optional[str] = ..., cancelled_timestamp: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., event_metadata: _Optional[_Union[_metadata_pb2.EventMetadata, _Mapping]] = ...) -> None: ...

class OrderItem(_message.Message):
    __slots__ = ("product_id", "product_name", "quantity", "unit_price", "unit_price_money")
    PRODUCT_ID_FIELD_NUMBER: _ClassVar[int]
    PRODUCT_NAME_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_FIELD_NUMBER: _ClassVar[int]
    UNIT_PRICE_MONEY_FIELD_NUMBER: _ClassVar[int]
    product_id: str
    product_name: str
    quantity: int
    unit_price: float
    unit_price_money: _money_pb2.Money
    def __init__(self, product_id: _Optional[str] = ..., product_name: _Optional[str] = ..., quantity: _Optional[int] = ..., unit_price: _Optional[float] = ..., unit_price_money: _Optional[_Union[_money_pb2.Money, _Mapping]] = ...) -> None: ...
