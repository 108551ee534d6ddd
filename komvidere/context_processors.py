from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Kom Videre",
        "CONTACT_EMAIL": settings.ADMIN_CONTACT_EMAIL,
    }
