"""Shared arrangements of the application tests: a 洛阳 batch, clean facts, a real PDF."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from applications.facts import applicant_specs, reference_specs
from greenmfg.directory.models import Jurisdiction, Organisation
from tests.factories import BatchFactory
from tests.rules.facts import clean_facts


def city_batch(city_key: str = "410300", policy: str = "luoyang-2024", **kwargs):
    authority = Organisation.objects.get(kind=Organisation.Kind.BUREAU, jurisdiction__key=city_key)
    return BatchFactory(
        authority=authority, jurisdiction=authority.jurisdiction, policy=policy, **kwargs
    )


def split_facts(policy: str, unit_type: str) -> tuple[dict, dict]:
    """Clean facts split into the applicant's part and the county's reference part."""
    facts = clean_facts(policy, unit_type)
    mine = {spec.key for spec in applicant_specs(policy, unit_type)}
    reference = {spec.key for spec in reference_specs(policy, unit_type)}
    return (
        {k: v for k, v in facts.items() if k in mine},
        {k: v for k, v in facts.items() if k in reference},
    )


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name: str = "自评价报告.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def county(key: str) -> Jurisdiction:
    return Jurisdiction.objects.get(key=key)
