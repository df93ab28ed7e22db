from django.urls import path

from dateline.mediabank import views

app_name = "mediabank"
urlpatterns = [
    path("", views.photo_index, name="index"),
    path("photos/<int:photo_id>/", views.photo_page, name="photo"),
    path("photos/<int:photo_id>/license/", views.licence_request, name="licence"),
    path("photographers/<str:slug>/", views.photographer_page, name="photographer"),
]
