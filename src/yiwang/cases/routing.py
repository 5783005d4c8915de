"""Where a case is accepted (受办分离: the window accepts, the competent department handles;
seed 000 "受办分离", REQUIREMENTS §3 "Unified acceptance").

The accepting organisation is the one that runs the hall the application comes to: the hall of
the station where the applicant stands (a village 代办点 hands on to its township's centre), or a
hall the guide names, or the hall of the item's own region; an item no hall serves is accepted
by its own organisation. The competent department is always the item's organisation.
"""

from __future__ import annotations

from yiwang.regions.models import Organization, ServiceHall

__all__ = ["accepting_organization"]


def accepting_organization(item, version, *, station=None) -> Organization:
    if station is not None and station.hall_id is not None and station.hall.is_active:
        return station.hall.organization
    hall = (
        version.halls.filter(is_active=True).select_related("organization").order_by("pk").first()
    )
    if hall is None and item.region_id is not None:
        hall = (
            ServiceHall.objects.filter(region_id=item.region_id, is_active=True)
            .select_related("organization")
            .order_by("pk")
            .first()
        )
    return hall.organization if hall is not None else item.organization
