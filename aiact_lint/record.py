"""A base for the small value classes: equality, hash and repr derived from ``__slots__``.

Why not dataclasses: importing ``dataclasses`` (and ``inspect`` with it) and generating each
class's methods costs a pre-commit hook about 20 ms on this machine, a quarter of its budget.
Each record declares ``__slots__`` and a typed ``__init__``; this class supplies the rest.
"""

from __future__ import annotations

from typing import Any


class Record:
    __slots__: tuple[str, ...] = ()

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Record) and type(other) is type(self) and self._key() == other._key()
        )

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"
