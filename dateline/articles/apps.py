from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "dateline.articles"
    label = "articles"
    verbose_name = _("Articles")

    def ready(self):
        from dateline.articles import signal_handlers  # noqa: F401
        from dateline.articles.queries import photos_in_visible_stories, stories_using_photo
        from dateline.mediabank.usage import PhotoUser, register_photo_user

        register_photo_user(PhotoUser(stories_using_photo, photos_in_visible_stories))
