"""Middleware of the shop as a whole."""

from shop.views import healthz


class HealthCheckMiddleware:
    """`/healthz` answered before any other middleware: a platform's health
    check comes to the process's own address (an internal IP, no TLS), so the
    host check (ALLOWED_HOSTS) and the https redirect would refuse it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            return healthz(request)
        return self.get_response(request)
