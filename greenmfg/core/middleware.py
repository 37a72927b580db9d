from itertools import chain

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _

from greenmfg.core.api.errors import problem_json_response


class PortalLocaleMiddleware:
    """Chinese unless the user chose another language with the switcher.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show an
    English-language browser a half-translated government portal; here only an explicit choice
    (the language cookie set by ``set_language``) changes the language.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = dict(settings.LANGUAGES)

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.languages:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response


class RejectNulCharacterMiddleware:
    """400 for a request whose path, query string or cookies hold a NUL character (U+0000).

    PostgreSQL text cannot hold NUL, and psycopg2 refuses such a query parameter with a
    ValueError: a lookup by a path segment, by a query parameter read by hand or by the session
    cookie would be a 500 (SQLite accepts NUL, so only PostgreSQL showed it). Forms, filters and
    serializers already refuse NUL in the values they clean (Django's and DRF's
    ProhibitNullCharactersValidator), so request bodies need no check here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        texts = chain(
            [request.path],
            *(chain([key], values) for key, values in request.GET.lists()),
            *request.COOKIES.items(),
        )
        if any("\x00" in text for text in texts):
            message = _("请求地址、查询参数或 Cookie 中含有空字符（NUL），无法处理。")
            if request.path.startswith("/api/"):
                return problem_json_response(400, message, code="nul_character")
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
