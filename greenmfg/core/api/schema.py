"""The portal's OpenAPI schema class (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

Each concern is a mixin of its own module: the error responses (``errors``), the operations'
documentation (``docs``); what a request body and its parameters are is decided here.
"""

from drf_spectacular.openapi import AutoSchema

from greenmfg.core.api.docs import DocumentedOperations
from greenmfg.core.api.errors import ErrorResponses


class PortalAutoSchema(ErrorResponses, DocumentedOperations, AutoSchema):
    """drf-spectacular's AutoSchema, with the portal's errors, documentation and bodies."""
