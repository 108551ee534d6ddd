from django.urls import path

from articles import views

app_name = "articles"

# The fixed paths come before <slug:slug>/ so that no article slug can shadow them.
urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("new/", views.article_create, name="create"),
    path("<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.article_edit, name="edit"),
    path("<slug:slug>/submit/", views.article_transition, {"action": "submit"}, name="submit"),
    path("<slug:slug>/changes/<int:revision>/", views.article_changes, name="changes"),
    path("<slug:slug>/publish/", views.article_transition, {"action": "publish"}, name="publish"),
    path("<slug:slug>/archive/", views.article_transition, {"action": "archive"}, name="archive"),
    path(
        "<slug:slug>/unpublish/",
        views.article_transition,
        {"action": "unpublish"},
        name="unpublish",
    ),
    path("<slug:slug>/feature/", views.article_feature, name="feature"),
    path("<slug:slug>/reviewed/", views.article_reviewed, name="reviewed"),
    path("<slug:slug>/attachments/add/", views.attachment_add, name="attachment_add"),
    path(
        "<slug:slug>/attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<slug:slug>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
