"""A mail backend that stands for a mail server going away mid-send: it keeps messages in
Django's test outbox like the locmem backend, and raises once ``budget`` messages are sent."""

from django.core.mail.backends.locmem import EmailBackend


class MailServerGone(ConnectionError):
    pass


class CrashingBackend(EmailBackend):
    budget = 0

    def send_messages(self, messages):
        for message in messages:
            if CrashingBackend.budget <= 0:
                raise MailServerGone("the mail server closed the connection")
            CrashingBackend.budget -= 1
            super().send_messages([message])
        return len(messages)
