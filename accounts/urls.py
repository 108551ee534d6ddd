from django.urls import path

from accounts import plan_views, views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("profile/feed-key/", views.feed_token, name="feed_token"),
    path("profile/export/", views.data_export, name="data_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
    path("people/", views.PeopleListView.as_view(), name="people_list"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path(
        "organisations/<slug:slug>/",
        views.OrganisationDetailView.as_view(),
        name="organisation_detail",
    ),
    path("organisations/<slug:slug>/plan/", plan_views.plan_edit, name="plan_edit"),
    path(
        "organisations/<slug:slug>/plan/actions/new/",
        plan_views.plan_action_create,
        name="plan_action_create",
    ),
    path(
        "organisations/<slug:slug>/plan/actions/import/",
        plan_views.plan_actions_import,
        name="plan_actions_import",
    ),
    path(
        "organisations/<slug:slug>/plan/actions/<int:pk>/",
        plan_views.plan_action_edit,
        name="plan_action_edit",
    ),
    path(
        "organisations/<slug:slug>/plan/actions/<int:pk>/delete/",
        plan_views.plan_action_delete,
        name="plan_action_delete",
    ),
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_mark_read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
]
