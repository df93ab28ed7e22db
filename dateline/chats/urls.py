"""Under /<lang>/chats/ (see dateline.config.urls)."""

from django.urls import path

from dateline.chats import views

urlpatterns = [
    path("", views.rooms, name="chat_rooms"),
    path("<slug:slug>/", views.room, name="chat_room"),
    path("<slug:slug>/messages.json", views.messages, name="chat_messages"),
    path("<slug:slug>/messages/", views.post, name="chat_post"),
    path("<slug:slug>/here/", views.here, name="chat_here"),
]
