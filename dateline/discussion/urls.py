from django.urls import path

from dateline.discussion import views

urlpatterns = [
    path("counts.json", views.counts_json, name="discussion_counts"),
    path("pages/<int:page_id>/comments.json", views.comments, name="discussion_comments"),
    path("pages/<int:page_id>/comments/", views.post, name="discussion_post"),
    path("comments/<int:comment_id>/edit/", views.edit, name="discussion_edit"),
    path("comments/<int:comment_id>/delete/", views.delete, name="discussion_delete"),
    path("comments/<int:comment_id>/report/", views.report, name="discussion_report"),
]
