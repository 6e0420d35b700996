"""Settings of the SMTP sink, read once from the environment at start-up."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from notification.config import LogLevel


class SinkSettings(BaseSettings):
    model_config = SettingsConfigDict(env_ignore_empty=True, extra="ignore", frozen=True)

    smtp_sink_host: str = "127.0.0.1"
    # 0 binds any free port (tests).
    smtp_sink_port: int = Field(default=2525, ge=0, le=65535)
    data_dir: Path = Path(".polyglot/data/smtp-sink")
    log_level: LogLevel = "INFO"

    @property
    def maildir(self) -> Path:
        return self.data_dir / "maildir"
