from django.urls import path

from dilemmas import views

app_name = "dilemmas"

urlpatterns = [
    path("", views.DilemmaListView.as_view(), name="list"),
    path("new/", views.dilemma_create, name="create"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggest/dilemmas/", views.suggest_dilemmas, name="suggest_dilemmas"),
    path("answered-by/<slug:slug>/", views.case_link_dilemmas, name="case_link"),
    path("flags/", views.FlagListView.as_view(), name="flags"),
    path("flags/<int:pk>/handle/", views.flag_handle, name="flag_handle"),
    path("<int:pk>/", views.dilemma_detail, name="detail"),
    path("<int:pk>/edit/", views.dilemma_edit, name="edit"),
    path("<int:pk>/delete/", views.dilemma_delete, name="delete"),
    path("<int:pk>/reply/", views.reply_create, name="reply"),
    path("<int:pk>/accept/", views.dilemma_accept, name="accept"),
    path("<int:pk>/conclude/", views.dilemma_conclude, name="conclude"),
    path("<int:pk>/follow/", views.dilemma_follow, name="follow"),
    path("<int:pk>/moderate/", views.dilemma_moderate, name="moderate"),
    path("<int:pk>/duplicate/", views.dilemma_duplicate, name="duplicate"),
    path("<int:pk>/flag/", views.dilemma_flag, name="flag"),
    path("<int:pk>/cases/", views.dilemma_link_cases, name="link_cases"),
    path("<int:pk>/cases/<int:case_pk>/remove/", views.dilemma_unlink_case, name="unlink_case"),
    path("replies/<int:pk>/edit/", views.reply_edit, name="reply_edit"),
    path("replies/<int:pk>/delete/", views.reply_delete, name="reply_delete"),
    path("replies/<int:pk>/helpful/", views.reply_helpful, name="reply_helpful"),
    path("replies/<int:pk>/moderate/", views.reply_moderate, name="reply_moderate"),
    path("replies/<int:pk>/flag/", views.reply_flag, name="reply_flag"),
]
