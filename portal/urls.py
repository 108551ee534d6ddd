from django.urls import path, re_path

from portal import feeds, follows, planning_views, views, welcome

app_name = "portal"

FEED_KEY = r"(?P<key>[A-Za-z0-9_-]{32,64})"

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
    path("welcome/", welcome.welcome, name="welcome"),
    path("following/", follows.following, name="following"),
    path("follow/<str:kind>/<int:pk>/", follows.follow, name="follow"),
    path("climate/", planning_views.climate_accounting, name="climate"),
    path("plan/", planning_views.plan_cycle, name="plan"),
    path("dashboard/", planning_views.dashboard, name="dashboard"),
    path("dashboard/nudge/<int:pk>/", planning_views.dashboard_nudge, name="dashboard_nudge"),
    path("plan/<slug:slug>/", planning_views.plan_stage, name="plan_stage"),
    path("health/", views.health, name="health"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
]
