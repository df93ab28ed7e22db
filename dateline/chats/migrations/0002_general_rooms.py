from django.db import migrations
from django.utils import translation


def open_general_rooms(apps, schema_editor):
    """Editions made before the chats get their general room, as new ones do on creation."""
    Edition = apps.get_model("editions", "Edition")
    ChatRoom = apps.get_model("chats", "ChatRoom")
    for edition in Edition.objects.select_related("locale"):
        with translation.override(edition.locale.language_code):
            title = translation.gettext("General")
            description = translation.gettext("Talk about the news with other readers.")
        ChatRoom.objects.get_or_create(
            edition=edition, slug="general", defaults={"title": title, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("chats", "0001_initial")]

    operations = [migrations.RunPython(open_general_rooms, migrations.RunPython.noop)]
