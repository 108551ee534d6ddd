from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

# The language stored on a member's account, copied into their session at login and when they
# switch (accounts), so choosing it costs no query per request.
LANGUAGE_SESSION_KEY = "komvidere_language"

# Paths whose views need neither the session nor the user: nothing here reads them, so a load
# balancer's polling costs no session or user lookup.
SESSIONLESS_PATHS = frozenset({"/health/"})


class LocaleMiddleware(DjangoLocaleMiddleware):
    """Danish unless the person chose another language with the switcher.

    A member's choice is on their account (and in their session); a visitor's in the
    language cookie. Django's own middleware would follow the browser's Accept-Language,
    which shows many Danish staff an English portal because their browser happens to be
    English.
    """

    def process_request(self, request):
        session = getattr(request, "session", None)
        if request.path_info in SESSIONLESS_PATHS:
            session = None  # /health/ answers in no language: loading the session is waste
        language = session.get(LANGUAGE_SESSION_KEY) if session is not None else None
        if language not in dict(settings.LANGUAGES):
            language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Django's, but a view marked `login_not_required` is let through before `request.user` is
    read, so such a view loads no session and no user unless it uses them itself."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
