"""The API documentation pages (Swagger UI at /api/docs/, ReDoc at /api/redoc/) under the
Content-Security-Policy, each relaxing it for itself only, with django-csp's decorators.

- **Swagger UI**: its page's inline start-up script and inline ``<style>`` carry the request's
  nonce (``core/api_swagger.html``); the policy's ``script-src`` has the nonce already, this
  page adds it to ``style-src``.
- **ReDoc** draws with styled-components, which writes ``<style>`` elements as it goes and takes
  no nonce from us: its page alone allows inline styles, and a ``blob:`` worker for its search.
  Its script is the sidecar's file, no inline script either (no ``REDOC_UI_SETTINGS``).
"""

from csp.constants import NONCE, UNSAFE_INLINE
from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerView

SWAGGER_POLICY = {"style-src": [NONCE]}
REDOC_POLICY = {"style-src": [UNSAFE_INLINE], "worker-src": ["blob:"]}


@method_decorator(csp_update(SWAGGER_POLICY), name="get")
class SwaggerPage(SpectacularSwaggerView):
    template_name = "core/api_swagger.html"


@method_decorator(csp_update(REDOC_POLICY), name="get")
class RedocPage(SpectacularRedocView):
    template_name = "core/api_redoc.html"
