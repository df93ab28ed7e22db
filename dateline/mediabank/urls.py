from django.urls import path

from dateline.mediabank import views

app_name = "mediabank"
urlpatterns = [
    path("", views.photo_index, name="index"),
    path("photos/<int:photo_id>/", views.photo_page, name="photo"),
]
