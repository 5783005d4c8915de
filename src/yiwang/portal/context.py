from django.conf import settings
from django.http import HttpRequest

from yiwang.portal import preferences


def site(request: HttpRequest) -> dict:
    """What every portal page's frame shows: site name, region switch, 长者模式."""
    if request.path.startswith(("/admin/", "/api/")):
        return {"SITE_NAME": settings.SITE_NAME}
    region = preferences.current_region(request)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "current_region": region,
        "region_options": preferences.region_options(region),
        "elder_mode": preferences.elder_mode(request),
    }
