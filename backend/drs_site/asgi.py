"""DRS's own site over ASGI (daphne): HTTP through Django, websockets through DRS's
routes; the client address from DRS_TRUSTED_PROXIES."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "drs_site.settings")

from django.core.asgi import get_asgi_application

django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from drs.common.bodylimit import install_daphne_guard  # noqa: E402
from drs.common.proxies import TrustedProxyMiddleware  # noqa: E402
from drs.files.uploads import UploadBodyLimit  # noqa: E402
from drs.routing import websocket_application  # noqa: E402

install_daphne_guard()
application = TrustedProxyMiddleware(
    ProtocolTypeRouter(
        {
            "http": UploadBodyLimit(django_asgi_app),  # type: ignore[arg-type]
            "websocket": websocket_application,
        }
    ),
    settings.DRS_TRUSTED_PROXIES,
)
