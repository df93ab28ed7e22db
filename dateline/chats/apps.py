from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatsConfig(AppConfig):
    name = "dateline.chats"
    label = "chats"
    verbose_name = _("Chats")

    def ready(self):
        from dateline.accounts.registry import account_deleting, register_exporter
        from dateline.chats import actions, signal_handlers  # noqa: F401
        from dateline.chats.access import hidden_room_ids
        from dateline.live.channels import register_hidden_channels

        register_hidden_channels("chat", hidden_room_ids)
        register_exporter("chat_messages", actions.export_messages)
        account_deleting.connect(actions.on_account_deleting)
