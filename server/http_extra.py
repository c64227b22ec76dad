"""Plain HTTP routes served on the REST port beside the API's own: hosted
media, export downloads. Modules register with @routes.get(...) at import."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
