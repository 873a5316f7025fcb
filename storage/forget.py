"""How every table forgets a person (``/forgetme``), declared next to its model; ``/mydata`` reads the same list.

Each model module declares, for every column that can hold a person's id or
name, a ``Rule``: the rows that refer to the person are deleted, or kept with
the person taken out (anonymised) where the community's record must stay (a
moderation case, an event, a settings change). ``tests/security`` walks every
column of every model and fails when one that looks personal is covered by no
rule, so a new table cannot be forgotten by accident.

Scopes say how a row finds its community: a ``community_id`` column, a parent
table's ``community_id`` through a foreign key (``via``), or the platform
(``people``). Everything runs inside the caller's unit of work, in ``order``:
rules that read rows another rule deletes go first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, Table, and_, column, delete, func, select, table, update
from sqlalchemy.ext.asyncio import AsyncSession

FORGOTTEN = "forgotten"  # what an anonymised id column says instead of the person

How = Literal["delete", "anonymise", "custom"]


_communities = table("communities", column("id"), column("platform"))


@dataclass(frozen=True, slots=True)
class Subject:
    """Who is being forgotten: one person on one platform, in these communities (None: all of that platform's)."""

    platform: str
    user_id: str
    community_ids: tuple[int, ...] | None = None

    def communities(self) -> Select[tuple[int]] | tuple[int, ...]:
        if self.community_ids is not None:
            return self.community_ids
        return select(_communities.c.id).where(_communities.c.platform == self.platform)

    def only(self, community_id: int) -> Subject:
        return Subject(self.platform, self.user_id, (community_id,))


# A rule that needs more than a WHERE (packed arrays, text mentions): returns how many rows it changed.
CustomFn = Callable[[AsyncSession, Subject], Awaitable[int]]
CountFn = Callable[[AsyncSession, Subject], Awaitable[int]]


def _table(model: type[Any]) -> Table:
    t = model.__table__
    assert isinstance(t, Table)
    return t


@dataclass(frozen=True, slots=True)
class Rule:
    model: type[Any]  # a mapped class
    match: str  # the column holding the person's user id ("" for custom rules that find rows themselves)
    how: How
    covers: tuple[str, ...]  # every person column this rule handles (``match`` included)
    label: str  # catalog key naming what is stored, for /mydata
    values: Mapping[str, Any] = field(default_factory=dict)  # anonymise: column -> what replaces the person
    why: str | None = None  # anonymise/custom: catalog key saying why the row stays
    via: tuple[str, type[Any]] | None = None  # (fk column, parent model with community_id)
    platform_scoped: bool = False  # the table has a ``platform`` column instead of a community
    order: int = 50
    fn: CustomFn | None = None
    count: CountFn | None = None
    find: Callable[[Subject], ColumnElement[bool]] | None = None  # custom rules: which rows refer to the person

    @property
    def table(self) -> Table:
        return _table(self.model)

    def where(self, s: Subject) -> ColumnElement[bool]:
        c = self.table.c
        if self.platform_scoped:
            return and_(c["platform"] == s.platform, c[self.match] == s.user_id)
        if self.via is not None:
            fk, model = self.via
            parent = _table(model)
            ids = select(parent.c["id"]).where(parent.c["community_id"].in_(s.communities()))
            return and_(c[fk].in_(ids), c[self.match] == s.user_id)
        return and_(c["community_id"].in_(s.communities()), c[self.match] == s.user_id)

    def community_of(self) -> Any:
        """The column that says which community a matching row belongs to (for a select with ``where``)."""
        if self.via is not None:
            fk, model = self.via
            parent = _table(model)
            return select(parent.c["community_id"]).where(parent.c["id"] == self.table.c[fk]).scalar_subquery()
        return self.table.c["community_id"]


# Columns whose names look personal but hold no person (checked by the coverage test).
NOT_PERSONAL: dict[tuple[str, str], str] = {}
RULES: list[Rule] = []


def declare(rule: Rule) -> Rule:
    for col in rule.covers:
        if col not in rule.table.c:
            raise ValueError(f"forget rule for {rule.table.name} covers unknown column {col!r}")
    RULES.append(rule)
    return rule


def not_personal(model: type[Any], column: str, why: str) -> None:
    NOT_PERSONAL[(_table(model).name, column)] = why


def covered() -> set[tuple[str, str]]:
    return {(r.table.name, col) for r in RULES for col in r.covers} | set(NOT_PERSONAL)


def _rows(rule: Rule, s: Subject) -> ColumnElement[bool] | None:
    if rule.find is not None:
        return rule.find(s)
    return rule.where(s) if rule.match else None


async def count(session: AsyncSession, rule: Rule, s: Subject) -> int:
    """How many rows of this rule refer to the person now (custom rules without ``find``: 0, they follow others)."""
    where = _rows(rule, s)
    if where is None:
        return 0
    return int(await session.scalar(select(func.count()).select_from(rule.table).where(where)) or 0)


async def touched(session: AsyncSession, s: Subject) -> list[int]:
    """The communities where some row refers to the person: one query per rule, whatever the number of communities."""
    out: set[int] = set()
    for rule in RULES:
        where = _rows(rule, s)
        if where is None or rule.platform_scoped:
            continue
        out.update(await session.scalars(select(rule.community_of()).where(where).distinct()))
    return sorted(out)


async def apply(session: AsyncSession, rule: Rule, s: Subject) -> int:
    """Forget the person in this rule's rows; returns how many rows changed."""
    if rule.how == "custom":
        assert rule.fn is not None
        return await rule.fn(session, s)
    if rule.how == "delete":
        res = await session.execute(delete(rule.table).where(rule.where(s)))
    else:
        res = await session.execute(update(rule.table).where(rule.where(s)).values(**dict(rule.values)))
    return int(getattr(res, "rowcount", 0) or 0)


async def forget_all(session: AsyncSession, s: Subject) -> dict[str, int]:
    """Run every rule, in order; returns rows changed per table (only those that changed)."""
    out: dict[str, int] = {}
    for rule in sorted(RULES, key=lambda r: r.order):
        n = await apply(session, rule, s)
        if n:
            out[rule.table.name] = out.get(rule.table.name, 0) + n
    return out


async def inventory(session: AsyncSession, s: Subject) -> list[tuple[Rule, int]]:
    """What is stored about the person, rule by rule (rules with no rows left out)."""
    out = []
    for rule in sorted(RULES, key=lambda r: (r.how != "delete", r.label)):
        n = await count(session, rule, s)
        if n:
            out.append((rule, n))
    return out
