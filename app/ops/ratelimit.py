"""Rate limits every process shares: counters in Redis when REDIS_URL is set, else the database."""

import time
from typing import Protocol

from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Engine, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.config import Settings
from app.ops.models import RateCounter


class Limiter(Protocol):
    def hit(self, *, key: str, limit: int, seconds: int) -> bool:
        """Count one hit; False when `key` went past `limit` hits in the current window."""
        ...


class RedisLimiter:
    def __init__(self, url: str) -> None:
        self.strategy = FixedWindowRateLimiter(storage_from_string(url))

    def hit(self, *, key: str, limit: int, seconds: int) -> bool:
        return self.strategy.hit(RateLimitItemPerSecond(limit, seconds), "plaidoyer", key)


class DatabaseLimiter:
    def __init__(self, engine: Engine) -> None:
        # Its own short transaction: a refused request rolls back, its hit must stay counted.
        self.engine = engine.execution_options(sqlite_immediate=True)

    def hit(self, *, key: str, limit: int, seconds: int) -> bool:
        window = int(time.time() // seconds)
        insert = pg_insert if self.engine.dialect.name == "postgresql" else sqlite_insert
        counted = (
            insert(RateCounter)
            .values(key=key, window_start=window, hits=1)
            .on_conflict_do_update(
                index_elements=[RateCounter.key, RateCounter.window_start],
                set_={"hits": RateCounter.hits + 1},
            )
            .returning(RateCounter.hits)
        )
        with self.engine.begin() as conn:
            hits = conn.execute(counted).scalar_one()
            if hits == 1:
                conn.execute(
                    delete(RateCounter).where(
                        RateCounter.key == key, RateCounter.window_start < window
                    )
                )
        return int(hits) <= limit


def shared_limiter(settings: Settings, engine: Engine) -> Limiter:
    """The limiter for this deployment: Redis when REDIS_URL is set, else the database."""
    return RedisLimiter(settings.redis_url) if settings.redis_url else DatabaseLimiter(engine)
