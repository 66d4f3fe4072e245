from dataclasses import dataclass, replace

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    """One page of a list: 1-based number, size, and the total once known."""

    number: int = 1
    size: int = PAGE_SIZE
    total: int = 0

    @classmethod
    def of(cls, number: int, size: int = PAGE_SIZE) -> "Page":
        return cls(number=max(1, number), size=max(1, min(size, 500)))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    def with_total(self, total: int) -> "Page":
        return replace(self, total=total)
