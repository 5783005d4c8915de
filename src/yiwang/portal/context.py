from django.conf import settings
from django.http import HttpRequest

from yiwang.portal import preferences


def site(request: HttpRequest) -> dict:
    """What every portal page's frame shows: site name, region switch, 长者模式."""
    frame = {"SITE_NAME": settings.SITE_NAME, "DEMO_NOTICE": settings.DEMO_NOTICE}
    if request.path.startswith(("/admin/", "/api/")):
        return frame
    region = preferences.current_region(request)
    return {
        **frame,
        "current_region": region,
        "region_options": preferences.region_options(region),
        "elder_mode": preferences.elder_mode(request),
    }
