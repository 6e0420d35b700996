"""Issue 8's notifications: shipping (e-mail, and SMS when the user has a phone), cancellation,
and the notice of a changed e-mail address; each once per triggering event."""

from __future__ import annotations

from notification.runtime import Runtime
from notification.sms.local import LocalSmsProvider
from notification.topics import NOTIFICATION_EVENTS
from polyglot.events.v1 import notification_events_pb2 as notification_events
from polyglot.events.v1 import order_events_pb2 as order_events
from polyglot.events.v1 import user_events_pb2 as user_events
from tests.smtp_sink.outbox import read_outbox
from tests.support import (
    FakePublisher,
    SinkThread,
    demo_order,
    headers_of,
    order_record,
    record_of,
    signup,
    signup_record,
)


def shipped(user_id: str = "u-1") -> order_events.OrderShippedEvent:
    return order_events.OrderShippedEvent(order_id="o-1", user_id=user_id, tracking_number="TRK-42", carrier="DHL")


def sms_messages(runtime: Runtime) -> list[dict[str, str]]:
    return LocalSmsProvider(runtime.settings.sms_outbox_path).messages()


def produced_types(publisher: FakePublisher) -> list[str]:
    return [headers_of(r)["ce_type"] for r in publisher.on(NOTIFICATION_EVENTS)]


async def test_shipping_sends_mail_and_sms_once(runtime: Runtime, publisher: FakePublisher, sink: SinkThread) -> None:
    await runtime.process(signup_record(signup(phone_number="+4915112345678")))
    record = record_of("order-events", shipped(), key="u-1", event_id="evt-ship", correlation_id="corr-ship")
    await runtime.process(record)
    await runtime.process(record)  # redelivered

    mails = read_outbox(sink.maildir)
    assert [m.subject for m in mails][1:] == ["Your order o-1 is on its way"]
    assert "Tracking number: TRK-42" in mails[1].text and mails[1].recipients == ("ada@example.com",)
    [sms] = sms_messages(runtime)
    assert sms["to"] == "+4915112345678"
    assert sms["text"] == "Kafka Polyglot: your order o-1 has shipped with DHL, tracking TRK-42."
    assert produced_types(publisher) == [
        "polyglot.events.v1.EmailSentEvent",
        "polyglot.events.v1.EmailSentEvent",
        "polyglot.events.v1.SMSSentEvent",
    ]
    sms_record = publisher.on(NOTIFICATION_EVENTS)[2]
    event = notification_events.SMSSentEvent.FromString(sms_record.value)
    assert (event.phone_number, event.order_id, event.sms_type) == (
        "+4915112345678",
        "o-1",
        notification_events.SMS_TYPE_ORDER_UPDATE,
    )
    assert event.message_content == sms["text"]
    assert event.event_metadata.causation_id == "evt-ship"
    assert headers_of(sms_record)["ce_correlationid"] == "corr-ship"
    assert sms_record.key == b"u-1"


async def test_shipping_without_phone_sends_no_sms(runtime: Runtime, publisher: FakePublisher) -> None:
    await runtime.process(signup_record(signup()))
    await runtime.process(record_of("order-events", shipped(), key="u-1"))
    assert sms_messages(runtime) == []
    email = notification_events.EmailSentEvent.FromString(publisher.on(NOTIFICATION_EVENTS)[1].value)
    assert email.email_type == notification_events.EMAIL_TYPE_SHIPPING_NOTIFICATION
    assert email.template_variables["tracking_number"] == "TRK-42"


async def test_cancellation_sends_notice_with_reason(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    await runtime.process(signup_record(signup()))
    cancelled = order_events.OrderCancelledEvent(order_id="o-9", user_id="u-1", reason="payment declined <card>")
    await runtime.process(record_of("order-events", cancelled, key="u-1"))
    mail = read_outbox(sink.maildir)[1]
    assert mail.subject == "Your order o-9 was cancelled"
    assert "Reason: payment declined <card>" in mail.text
    assert "payment declined &lt;card&gt;" in mail.html
    email = notification_events.EmailSentEvent.FromString(publisher.on(NOTIFICATION_EVENTS)[1].value)
    assert email.email_type == notification_events.EMAIL_TYPE_ORDER_CANCELLED
    assert email.order_id == "o-9"


async def test_changed_address_is_told_to_the_old_one_and_used_after(
    runtime: Runtime, publisher: FakePublisher, sink: SinkThread
) -> None:
    await runtime.process(signup_record(signup(email="old@example.com")))
    update = user_events.UserUpdatedEvent(
        user_id="u-1",
        email="new@example.com",
        name="Ada Lovelace",
        updated_fields=["email"],
        previous_email="old@example.com",
    )
    await runtime.process(record_of("user-events", update, key="u-1"))
    await runtime.process(order_record(demo_order()))

    mails = read_outbox(sink.maildir)
    assert [(m.recipients, m.subject) for m in mails] == [
        (("old@example.com",), "Welcome to Kafka Polyglot, Ada Lovelace!"),
        (("old@example.com",), "Your Kafka Polyglot e-mail address was changed"),
        (("new@example.com",), "Your order o-1 is pending"),
    ]
    assert "from old@example.com to new@example.com" in mails[1].text
    changed = notification_events.EmailSentEvent.FromString(publisher.on(NOTIFICATION_EVENTS)[1].value)
    assert changed.email_type == notification_events.EMAIL_TYPE_EMAIL_CHANGED
    assert changed.email_address == "old@example.com"


async def test_update_without_new_address_sends_nothing(runtime: Runtime, publisher: FakePublisher) -> None:
    await runtime.process(signup_record(signup()))
    update = user_events.UserUpdatedEvent(
        user_id="u-1", email="ada@example.com", name="Ada K.", updated_fields=["name"]
    )
    await runtime.process(record_of("user-events", update, key="u-1"))
    assert len(publisher.on(NOTIFICATION_EVENTS)) == 1
    user = await runtime.database.get_user("u-1")
    assert user is not None and user.name == "Ada K."


async def test_shipping_before_signup_is_parked(runtime: Runtime, publisher: FakePublisher) -> None:
    await runtime.process(record_of("order-events", shipped(user_id="later"), key="later", event_id="evt-s"))
    assert publisher.records == []
    assert [p.event_id for p in await runtime.database.parked()] == ["evt-s"]
