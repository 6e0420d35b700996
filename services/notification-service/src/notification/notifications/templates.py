"""E-mail templates: Jinja2 files (subject, plain text, HTML), HTML autoescaped."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from notification.notifications.models import NotificationType, RenderedEmail


class TemplateRenderer:
    """Renders `<type>.subject.txt`, `<type>.txt` and `<type>.html` from the package's templates folder."""

    def __init__(self) -> None:
        self._env = Environment(
            loader=PackageLoader("notification.notifications", "templates"),
            # Only .html is escaped: user-supplied names must not inject markup into the HTML part,
            # while the plain-text part shows them as written.
            autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=False),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def render_text(self, kind: NotificationType, variables: Mapping[str, Any]) -> str:
        """A plain-text message (an SMS) from `<type>.txt`, on one line."""
        return " ".join(self._env.get_template(f"{kind.value}.txt").render(variables).split())

    def render(self, kind: NotificationType, variables: Mapping[str, Any]) -> RenderedEmail:
        name = kind.value
        subject = self._env.get_template(f"{name}.subject.txt").render(variables)
        return RenderedEmail(
            # A header must stay on one line whatever a variable holds.
            subject=" ".join(subject.split()),
            text=self._env.get_template(f"{name}.txt").render(variables),
            html=self._env.get_template(f"{name}.html").render(variables),
        )
