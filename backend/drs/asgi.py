from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drs.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from drs.common.bodylimit import install_daphne_guard  # noqa: E402
from drs.common.proxies import TrustedProxyMiddleware  # noqa: E402
from drs.realtime.routing import websocket_application  # noqa: E402

install_daphne_guard()
application = TrustedProxyMiddleware(
    ProtocolTypeRouter({"http": django_asgi_app, "websocket": websocket_application}),
    settings.DRS_TRUSTED_PROXIES,
)
