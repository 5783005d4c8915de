"""The one API of every channel (portal, app, kiosk, hotline, department systems): /api/v1/.

Each domain app contributes a router from its own ``api.py``; this module only mounts them and
installs the shared error handling. OpenAPI: /api/v1/openapi.json, docs: /api/v1/docs.
"""

import json
from typing import Any

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from yiwang import __version__
from yiwang.api import errors
from yiwang.regions.api import router as regions_router


class ChineseJSONRenderer(JSONRenderer):
    """JSON with Chinese characters as they are, not as \\uXXXX escapes: a department
    developer reading a response with curl should read 海曙区."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> str:
        return json.dumps(data, cls=self.encoder_class, ensure_ascii=False)


api = NinjaAPI(
    renderer=ChineseJSONRenderer(),
    title="一网 yiwang API",
    version=f"v1 ({__version__})",
    description="互联网+政务服务平台的统一接口：门户、移动端、自助终端、热线与部门业务系统共用。"
    "错误以 RFC 9457 application/problem+json 返回。",
    urls_namespace="api-v1",
)
errors.install(api)
api.add_router("/", regions_router)
