from django.urls import path

from dateline.wire import views

app_name = "wire"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("items/<int:item_id>/", views.item, name="item"),
    path("items/<int:item_id>/draft/", views.make_draft, name="draft"),
    path("from-story/<int:story_id>/", views.story_source, name="story_source"),
]
