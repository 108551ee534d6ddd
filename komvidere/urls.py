from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.i18n import set_language

from komvidere import feeds, views

FEED_KEY = r"(?P<key>[A-Za-z0-9_-]{32,64})"

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Kom Videre"
admin.site.site_title = "Kom Videre"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("tags/", views.TagIndexView.as_view(), name="tag_list"),
    path("tags/<str:slug>/", views.TagDetailView.as_view(), name="tag_detail"),
    path("feeds/cases/", feeds.NewCasesFeed(), name="feed_cases"),
    path("feeds/dilemmas/", feeds.NewDilemmasFeed(), name="feed_dilemmas"),
    path("feeds/tags/<str:slug>/", feeds.TagFeed(), name="feed_tag"),
    re_path(rf"^feeds/{FEED_KEY}/cases/$", feeds.keyed(feeds.NewCasesFeed()), name="feed_cases"),
    re_path(
        rf"^feeds/{FEED_KEY}/dilemmas/$",
        feeds.keyed(feeds.NewDilemmasFeed()),
        name="feed_dilemmas",
    ),
    re_path(
        rf"^feeds/{FEED_KEY}/tags/(?P<slug>[^/]+)/$",
        feeds.keyed(feeds.TagFeed()),
        name="feed_tag",
    ),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("cases/", include("cases.urls")),
    path("dilemmas/", include("dilemmas.urls")),
    path("articles/", include("articles.urls")),
]

# Uploads are never served from MEDIA_URL, not even with DEBUG on: every file goes through a
# view in its app that checks the member may see the item it belongs to.
