from django.urls import path

from cases import views

app_name = "cases"

# The fixed paths come before <slug:slug>/ so that no case slug can shadow them.
urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.case_create, name="create"),
    path("review/", views.review_queue, name="review_queue"),
    path("export.csv", views.export_csv, name="export"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("suggest/organisations/", views.suggest_organisations, name="suggest_organisations"),
    path("suggest/cases/", views.suggest_cases, name="suggest_cases"),
    path("<slug:slug>/", views.CaseDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.case_edit, name="edit"),
    path("<slug:slug>/submit/", views.case_transition, {"action": "submit"}, name="submit"),
    path("<slug:slug>/withdraw/", views.case_transition, {"action": "withdraw"}, name="withdraw"),
    path("<slug:slug>/publish/", views.case_transition, {"action": "publish"}, name="publish"),
    path("<slug:slug>/archive/", views.case_transition, {"action": "archive"}, name="archive"),
    path(
        "<slug:slug>/unpublish/", views.case_transition, {"action": "unpublish"}, name="unpublish"
    ),
    path("<slug:slug>/send-back/", views.case_send_back, name="send_back"),
    path("<slug:slug>/changes/<int:revision>/", views.case_changes, name="changes"),
    path("<slug:slug>/feature/", views.case_feature, name="feature"),
    path("<slug:slug>/review/", views.case_review, name="review"),
    path("<slug:slug>/cover/", views.cover_image, name="cover"),
    path("<slug:slug>/links/add/", views.link_add, name="link_add"),
    path("<slug:slug>/links/<int:pk>/delete/", views.link_delete, name="link_delete"),
    path("<slug:slug>/attachments/add/", views.attachment_add, name="attachment_add"),
    path(
        "<slug:slug>/attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<slug:slug>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
