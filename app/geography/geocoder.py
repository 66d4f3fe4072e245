"""Addresses → points through the official address service (Géoplateforme, BAN parameters,
GeoCodeJSON answers). One Geocoder per app: it paces its calls and remembers its answers."""

import asyncio
import ssl
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import httpx

DEFAULT_URL = "https://data.geopf.fr/geocodage/search"
TIMEOUT_SECONDS = 2.0
MAX_PER_SECOND = 50  # the service's published limit, per IP address
MAX_REMEMBERED = 5_000


class GeocoderUnavailable(Exception):
    """The address service failed, answered nonsense or took longer than TIMEOUT_SECONDS."""


@dataclass(frozen=True)
class GeocodedAddress:
    label: str
    score: float
    kind: str  # BAN « type »: housenumber, street, locality, municipality
    lat: float
    lon: float
    citycode: str
    postcode: str


class RateLimiter:
    """At most `per_second` starts per second across every request of the process."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._lock = threading.Lock()

    async def wait(self) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self._interval
        if start > now:
            await asyncio.sleep(start - now)


def parse(payload: object) -> GeocodedAddress | None:
    """The best feature of a GeoCodeJSON answer, or None when it has none."""
    if not isinstance(payload, dict) or not isinstance(payload.get("features"), list):
        raise GeocoderUnavailable("réponse GeoCodeJSON invalide")
    if not payload["features"]:
        return None
    try:
        feature = payload["features"][0]
        lon, lat = feature["geometry"]["coordinates"][:2]
        properties = feature["properties"]
        return GeocodedAddress(
            label=str(properties["label"]),
            score=float(properties.get("score", 0.0)),
            kind=str(properties.get("type", "")),
            lat=float(lat),
            lon=float(lon),
            citycode=str(properties.get("citycode", "")),
            postcode=str(properties.get("postcode", "")),
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise GeocoderUnavailable("réponse GeoCodeJSON invalide") from exc


class Geocoder:
    """Calls the address service; answers are kept (LRU) so a repeated address costs nothing."""

    def __init__(self, url: str = DEFAULT_URL, *, per_second: float = MAX_PER_SECOND) -> None:
        self.url = url
        self.calls = 0
        self._limiter = RateLimiter(per_second)
        self._ssl = ssl.create_default_context()
        self._remembered: OrderedDict[tuple[str, str, str], GeocodedAddress | None] = OrderedDict()

    async def geocode(
        self, address: str, *, postcode: str = "", citycode: str = ""
    ) -> GeocodedAddress | None:
        """The best match for the address, None when the service knows no such address."""
        key = (address.casefold(), postcode, citycode)
        if key in self._remembered:
            self._remembered.move_to_end(key)
            return self._remembered[key]
        params = {"q": address, "limit": "1", "index": "address"}
        if postcode:
            params["postcode"] = postcode
        if citycode:
            params["citycode"] = citycode
        await self._limiter.wait()
        self.calls += 1
        try:
            async with asyncio.timeout(TIMEOUT_SECONDS):
                async with httpx.AsyncClient(verify=self._ssl, timeout=TIMEOUT_SECONDS) as client:
                    response = await client.get(self.url, params=params)
                    response.raise_for_status()
                    found = parse(response.json())
        except (TimeoutError, httpx.HTTPError, ValueError) as exc:
            raise GeocoderUnavailable(str(exc) or type(exc).__name__) from exc
        self._remembered[key] = found
        if len(self._remembered) > MAX_REMEMBERED:
            self._remembered.popitem(last=False)
        return found
