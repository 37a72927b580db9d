from django.conf import settings
from django.utils import translation


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
