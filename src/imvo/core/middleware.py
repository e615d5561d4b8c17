"""Language selection: Dutch unless the visitor chose otherwise.

Django's LocaleMiddleware follows the browser's Accept-Language header, which would show most
visitors English. IMVO Monitor is Dutch first: the language is the one chosen with the
language switch (stored in the language cookie) or asked for with ``?lang=en``, else Dutch.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChosenLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        asked = request.GET.get("lang")
        choice = asked or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = choice if choice in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if asked in self.available and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != asked:
            # ``?lang=en`` is a choice like the language switch: it holds on the next click.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                asked,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
            )
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
