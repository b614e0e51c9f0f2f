import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "host.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

import drs.routing  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # DRS's routes authenticate themselves (session cookie or Authorization: Token).
        "websocket": URLRouter([path("drs/", URLRouter(drs.routing.websocket_urlpatterns))]),
    }
)
