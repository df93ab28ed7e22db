"""What a reader sees when a limit cannot be counted and its caller fails closed."""

from django.shortcuts import render

from dateline.limits import LimitsUnavailable

RETRY_SECONDS = 60


class LimitsUnavailableMiddleware:
    """Answer a request whose view raised LimitsUnavailable (allauth's sign-in, sign-up and
    password reset count in the limits store and stop when it is away) with a 503 page that
    says to try again in a minute. Nothing was done: allauth counts before it acts."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, LimitsUnavailable):
            return None
        response = render(request, "limits/paused.html", status=503)
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
