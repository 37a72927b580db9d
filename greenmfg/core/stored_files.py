"""One shape for every uploaded file the portal keeps: the same fields, one path rule, one fill.

The content was checked before it gets here (``applications.uploads.check_upload`` returns a
``CheckedFile``); this module only knows what such a checked file offers, so the bottom layer
does not import an app above it.
"""

from typing import Protocol

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckedContent(Protocol):
    """What a checked upload offers (``applications.uploads.CheckedFile``)."""

    original_name: str
    extension: str
    content_type: str
    size: int
    sha256: str
    pages: int | None

    def store(self, field_file) -> None: ...


def upload_path(instance: "StoredFileContent", filename: str) -> str:
    """``upload_to`` of every stored file: the model's folder, then a name of no user input.

    ``filename`` (the uploader's name for the file) is ignored on purpose: it is kept in
    ``original_name`` for display; a download is named from its stem and the checked type
    (``greenmfg.core.files.download_name``).
    """
    return instance.stored_path()


class StoredFileContent(models.Model):
    """The file and what is known of its content, without who uploaded it.

    A concrete model says where its files go with ``upload_folder`` (and, if a version number
    belongs in the name, ``upload_stem``): ``str.format`` templates filled from the row as
    ``self``, e.g. ``"opinions/{self.request_id}"``. Only ids, choice values, version numbers and
    the checksum may appear in them, never text a user typed.
    """

    upload_folder: str = "files"
    upload_stem: str = "{self.sha256}"

    file = models.FileField(_("文件"), upload_to=upload_path, max_length=300)
    original_name = models.CharField(_("原文件名"), max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    pages = models.PositiveIntegerField(_("页数"), null=True, blank=True)

    class Meta:
        abstract = True

    def stored_path(self) -> str:
        folder = self.upload_folder.format(self=self)
        stem = self.upload_stem.format(self=self)
        return f"{folder}/{stem}.{self.extension}"

    def fill_from(self, checked: CheckedContent):
        """Copy what the check found into the row and put the content in storage (the row
        itself is not saved: the caller saves it with the rest of its fields)."""
        self.original_name = checked.original_name
        self.extension = checked.extension
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.pages = checked.pages
        # After the fields: the stored name is built from the checksum and extension.
        checked.store(self.file)
        return self


class StoredFile(StoredFileContent):
    """A stored file with who uploaded it and when: the shape of every upload row."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True

    def fill_from(self, checked: CheckedContent, *, uploaded_by):
        self.uploaded_by = uploaded_by
        return super().fill_from(checked)
