"""The La Poste address block (NF Z 10-011): at most 6 lines of 38 characters, wrapped."""

import textwrap
from dataclasses import dataclass

from app.errors import Invalid

LINE_WIDTH = 38
BLOCK_LINES = 6


def address_lines(text: str) -> list[str]:
    """The non-empty lines of an address typed in a textarea, spaces tidied."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def wrap(line: str) -> list[str]:
    """One line cut at spaces into lines of at most 38 characters."""
    return textwrap.wrap(line, LINE_WIDTH, break_on_hyphens=False) or [""]


def checked_address(text: str, *, field: str, max_lines: int) -> str:
    """An address fit for the window of an envelope once a name is above it; Invalid if not."""
    lines = address_lines(text)
    too_long = [line for line in lines if len(line) > LINE_WIDTH]
    if too_long:
        raise Invalid(
            f"La ligne « {too_long[0]} » dépasse {LINE_WIDTH} caractères : "
            "coupez-la en deux lignes.",
            field=field,
        )
    if len(lines) > max_lines:
        raise Invalid(
            f"{len(lines)} lignes : une adresse postale en compte au plus {max_lines} "
            "sous le nom du destinataire.",
            field=field,
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class AddressBlock:
    lines: list[str]
    overflow: bool

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def envelope_block(*, name: str, title: str, address: str) -> AddressBlock:
    """Name, the title when it fits, then the address; `overflow` when over 6 lines."""
    head = wrap(name) if name else []
    body = [part for line in address_lines(address) for part in wrap(line)]
    titled = [part for part in wrap(title)] if title else []
    if len(head) + len(titled) + len(body) <= BLOCK_LINES:
        head += titled
    lines = head + body
    return AddressBlock(lines=lines, overflow=len(lines) > BLOCK_LINES)
