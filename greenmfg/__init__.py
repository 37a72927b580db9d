"""绿色制造名单管理平台 (greenmfg)."""

from greenmfg.celery import app as celery_app

__all__ = ["celery_app"]
