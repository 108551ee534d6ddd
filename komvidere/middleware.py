from django.conf import settings
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

# The language stored on a member's account, copied into their session at login and when they
# switch (accounts), so choosing it costs no query per request.
LANGUAGE_SESSION_KEY = "komvidere_language"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Danish unless the person chose another language with the switcher.

    A member's choice is on their account (and in their session); a visitor's in the
    language cookie. Django's own middleware would follow the browser's Accept-Language,
    which shows many Danish staff an English portal because their browser happens to be
    English.
    """

    def process_request(self, request):
        session = getattr(request, "session", None)
        language = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
        if language not in dict(settings.LANGUAGES):
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
