from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts.views import set_language

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kom Videre"
admin.site.site_title = "Kom Videre"

urlpatterns = [
    path("", include("portal.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("dilemmas/", include("dilemmas.urls")),
    path("articles/", include("articles.urls")),
]

# Uploads are never served from MEDIA_URL, not even with DEBUG on: every file goes through a
# view in its app that checks the member may see the item it belongs to.
