"""Templates render the seed's variables, escape HTML in the HTML part and only there."""

from __future__ import annotations

import jinja2
import pytest

from notification.notifications.models import NotificationType
from notification.notifications.templates import TemplateRenderer


@pytest.fixture(scope="module")
def renderer() -> TemplateRenderer:
    return TemplateRenderer()


def test_render_welcome_uses_the_variables(renderer: TemplateRenderer) -> None:
    mail = renderer.render(
        NotificationType.WELCOME, {"user_name": "Zoë 山田", "email": "zoe@example.com", "signup_source": "web"}
    )
    assert mail.subject == "Welcome to Kafka Polyglot, Zoë 山田!"
    assert "Hello Zoë 山田," in mail.text
    assert "zoe@example.com" in mail.text
    assert "You signed up through: web." in mail.text
    assert "<strong>zoe@example.com</strong>" in mail.html
    assert "Hello Zoë 山田," in mail.html


def test_render_escapes_html_in_the_html_part_only(renderer: TemplateRenderer) -> None:
    name = '<script>alert("x")</script> & Co'
    mail = renderer.render(NotificationType.WELCOME, {"user_name": name, "email": "a@b.c", "signup_source": "api"})
    assert "<script>" not in mail.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in mail.html
    assert f"Hello {name}," in mail.text
    assert name in mail.subject


def test_render_subject_stays_on_one_line(renderer: TemplateRenderer) -> None:
    mail = renderer.render(
        NotificationType.WELCOME,
        {"user_name": "Eve\r\nBcc: victim@example.com", "email": "e@x", "signup_source": "web"},
    )
    assert "\n" not in mail.subject and "\r" not in mail.subject


def test_render_order_confirmation_lists_lines_and_total(renderer: TemplateRenderer) -> None:
    mail = renderer.render(
        NotificationType.ORDER_CONFIRMATION,
        {
            "user_name": "Ada",
            "order_id": "o-42",
            "order_status": "pending",
            "total_amount": "USD 109.97",
            "items": "2x Mug at USD 29.99, 1x prod_2 at USD 49.99",
            "lines": [
                {"product": "Mug <b>", "quantity": 2, "unit_price": "USD 29.99", "line_total": "USD 59.98"},
                {"product": "prod_2", "quantity": 1, "unit_price": "USD 49.99", "line_total": "USD 49.99"},
            ],
        },
    )
    assert mail.subject == "Your order o-42 is pending"
    assert "2 x Mug <b> at USD 29.99 = USD 59.98" in mail.text
    assert "1 x prod_2 at USD 49.99 = USD 49.99" in mail.text
    assert "Total: USD 109.97" in mail.text
    assert "<td>Mug &lt;b&gt;</td><td>2</td><td>USD 29.99</td><td>USD 59.98</td>" in mail.html
    assert "<strong>USD 109.97</strong>" in mail.html


def test_render_missing_variable_fails(renderer: TemplateRenderer) -> None:
    with pytest.raises(jinja2.UndefinedError):
        renderer.render(NotificationType.WELCOME, {"user_name": "Ada"})
