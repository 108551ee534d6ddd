from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Kom Videre",
        "CONTACT_EMAIL": settings.ADMIN_CONTACT_EMAIL,
        "SERVICE_OWNER": {
            "name": settings.SERVICE_OWNER_NAME,
            "address": settings.SERVICE_OWNER_ADDRESS,
            "phone": settings.SERVICE_OWNER_PHONE,
            "email": settings.SERVICE_OWNER_EMAIL,
            "url": settings.SERVICE_OWNER_URL,
        },
        "ACCESSIBILITY_STATEMENT_URL": settings.ACCESSIBILITY_STATEMENT_URL,
    }
