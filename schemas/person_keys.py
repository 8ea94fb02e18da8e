"""One person, one id: ``appointments.person_key`` over the whole warehouse.

A name alone does not make a person (two 张伟 in two counties), and the
register has no other identifier, so records are linked by what the
documents show:

* two records of one name in one document are one person (a notice names each
  person once: 任命X为A，免去其B职务 moves X from B to A);
* two records of one name in one organ (the post_key minus its title, so
  忻州市应急管理局 for 忻州市应急管理局副局长) are one person: appointed there in one
  issue, removed there in another.

Linked records form a set (union–find over records).  A name whose records
form one set gets ``person_key`` = the name and basis ``name``.  A name with
several sets gets one key per set, ``name@organ`` after the set's first organ
(in document order), and basis ``name_and_organs``: they are homonyms, or one
person whose move between the organs no record shows.  They are flagged, not
merged: an analyst who knows better can still group on ``person``.

The links change whenever an issue adds records, so the keys are kept current
inside each issue's load transaction (``POST_LOAD``), like the links between
documents (schemas/tables_entities.link_documents): a load recomputes the rows
of the names it brings, with the result of a recompute over the whole
warehouse; ingest order does not matter.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class RegisterRow:
    doc_id: str
    seq: int
    person: str
    organ: str  # post_key minus its title (the whole post_key when it has no known title)


@dataclass(frozen=True)
class PersonKey:
    doc_id: str
    seq: int
    person_key: str
    basis: str  # name | name_and_organs


def organ_of(post_key: str, title: str | None) -> str:
    """忻州市应急管理局副局长, 副局长 → 忻州市应急管理局."""
    if title and post_key.endswith(title) and len(post_key) > len(title):
        return post_key[: -len(title)]
    return post_key


def _find(parent: list[int], index: int) -> int:
    while parent[index] != index:
        parent[index] = parent[parent[index]]
        index = parent[index]
    return index


def _link_sets(rows: list[RegisterRow]) -> list[int]:
    """The set (its root index) of each row: rows of one name sharing a document or an organ are linked."""
    parent = list(range(len(rows)))
    first: dict[tuple, int] = {}
    for index, row in enumerate(rows):
        for link in (("doc", row.person, row.doc_id), ("organ", row.person, row.organ)):
            if link in first:
                parent[_find(parent, index)] = _find(parent, first[link])
            else:
                first[link] = index
    return [_find(parent, index) for index in range(len(rows))]


def rows_to_person_keys(rows: list[RegisterRow]) -> list[PersonKey]:
    """The person_key of each row (rows in document order: doc_id, seq)."""
    roots = _link_sets(rows)
    sets_of_name: dict[str, list[int]] = defaultdict(list)
    for index, root in enumerate(roots):
        if root not in sets_of_name[rows[index].person]:
            sets_of_name[rows[index].person].append(root)
    first_row = {}
    for index, root in enumerate(roots):
        first_row.setdefault(root, index)
    keys = []
    for row, root in zip(rows, roots, strict=True):
        if len(sets_of_name[row.person]) == 1:
            key, basis = row.person, "name"
        else:
            key, basis = f"{row.person}@{rows[first_row[root]].organ}", "name_and_organs"
        keys.append(PersonKey(row.doc_id, row.seq, key, basis))
    return keys


def link_persons(con, issue) -> None:
    """appointments.person_key and person_key_basis, equal to a recompute over every row.

    Records are linked only to records of the same name, so a name's keys depend on
    that name's records alone.  ``issue`` None (an issue removed or replaced: which
    names its old rows had is gone) recomputes every row; a newly loaded issue
    recomputes the rows of the names its records carry, and no other row can change.
    """
    where, parameters = "", []
    if issue is not None:
        where = """WHERE person IN (SELECT DISTINCT person FROM appointments
                                    WHERE doc_id IN (SELECT doc_id FROM documents WHERE issue_id = ?))"""
        parameters = [issue.issue_id]  # not its documents' ids as a list: DuckDB converts those one by one
    fetched = con.execute(
        f"""SELECT doc_id, seq, person, coalesce(post_key, post), title
            FROM appointments {where} ORDER BY doc_id, seq""",
        parameters,
    ).fetchall()
    rows = [RegisterRow(doc_id, seq, person, organ_of(key, title)) for doc_id, seq, person, key, title in fetched]
    keys = rows_to_person_keys(rows)
    if not keys:
        return
    table = pa.table({
        "doc_id": [k.doc_id for k in keys],
        "seq": [k.seq for k in keys],
        "person_key": [k.person_key for k in keys],
        "basis": [k.basis for k in keys],
    })
    con.register("_person_keys", table)
    try:
        con.execute(
            """UPDATE appointments SET person_key = k.person_key, person_key_basis = k.basis
               FROM _person_keys k WHERE appointments.doc_id = k.doc_id AND appointments.seq = k.seq"""
        )
    finally:
        con.unregister("_person_keys")
