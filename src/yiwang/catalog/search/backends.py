"""The two full-text backends behind one interface, chosen by ``connection.vendor``.

Both select candidates with the database's full-text index and rank them with the same SQL
expression over the stored segmented columns, so SQLite and PostgreSQL return the same order:

- SQLite: ``catalog_search_fts MATCH '{name_tokens alias_tokens text_tokens} : (…) AND
  facet_tokens : (…)'`` on an FTS5 table with external content (``catalog_searchentry``);
- PostgreSQL: ``document @@ to_tsquery('simple', '… :ABC … & (… :D)')`` on a generated
  ``tsvector`` column with a GIN index (weights A–C: name, aliases, text; D: the filter tokens).

Every token is quoted (FTS5 phrase ``"…"`` with ``"`` doubled; tsquery lexeme ``'…'`` with
``'`` doubled and ``\\`` escaped) and the query string itself is a bound parameter.

Ranking (higher first): for each unit, the best of its alternatives in the best column — name
100, aliases 60, materials/conditions 20 (× 0.9 for a synonym or pinyin alternative) — summed
over the units and scaled by 100; plus 100 000 (× weight) for an exact name; plus 100 per region
level below the province when a region is given (the user's own region before its parents);
plus the item's popularity (0–99). Ties: the shorter name, then the id.
"""

# The SQL here is assembled from constant table/column names and "%s" placeholders only; every
# value (tokens, codes, limits) is a bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection

from yiwang.catalog.search.query import Alternative, ParsedQuery, Unit, Word

__all__ = ["COLUMN_WEIGHTS", "Backend", "Hit", "backend"]

COLUMN_WEIGHTS = (("name_tokens", 100), ("alias_tokens", 60), ("text_tokens", 20))
EXACT_BONUS = 100_000
UNIT_SCALE = 100
REGION_STEP = 100
# Matches that hold this many name matches need no separate scan of the names (see search()).
ENOUGH_NAMES = 100

FTS_TABLE = "catalog_search_fts"
ENTRY_TABLE = "catalog_searchentry"

SELECT_COLUMNS = (
    "e.item_id, e.code, e.name, e.summary, e.organization_id, e.organization_name, "
    "e.region_code, e.region_name, e.badges, e.popularity"
)


@dataclass(frozen=True)
class Hit:
    item_id: int
    code: str
    name: str
    summary: str
    organization_id: int | None
    organization_name: str
    region_code: str
    region_name: str
    badges: dict
    popularity: int
    score: float


class Backend:
    vendor = ""
    substring_function = "instr"

    # --- query -----------------------------------------------------------------------------

    def search(
        self,
        parsed: ParsedQuery,
        facets: list[list[str]],
        *,
        relaxed: bool,
        region_ranked: bool,
        limit: int,
        offset: int,
        cap: int,
        exact_ids: tuple[int, ...] = (),
    ) -> tuple[list[Hit], int, bool]:
        """One page of hits, the number of matches and whether that number is exact.

        At most ``cap`` + 1 matches are counted: when a query matches more (登记 in a million
        items), the candidates ranked are the first ``cap`` + 1 matches in any column, the first
        ``cap`` name matches (unless those matches hold :data:`ENOUGH_NAMES` names already)
        and the exact names (``exact_ids``), so the cost of a query is
        bounded whatever the size of the catalogue; the total is then reported as ``cap``, not
        exact. When fewer match, the name matches are among them: every match is ranked.
        One statement — the candidate scans, the count and the ranking — one round trip.
        """
        match_from, match_where, match_params = self.match(parsed.units, facets, relaxed=relaxed)
        name_from, name_where, name_params = self.match(
            parsed.units, facets, relaxed=relaxed, name_only=True
        )
        score_sql, score_params = self.score(parsed, region_ranked=region_ranked, relaxed=relaxed)
        name_sql, name_sql_params = self._name_condition(parsed, relaxed=relaxed)
        exact = f" UNION {self._ids(exact_ids)}" if exact_ids else ""
        # "matched" is read twice (candidates and count): both databases compute it once.
        sql = (
            f"WITH matched AS (SELECT e.id FROM {match_from} WHERE {match_where} LIMIT %s), "
            f"named AS (SELECT e.id FROM {name_from} WHERE {name_where} LIMIT %s) "
            f"SELECT {SELECT_COLUMNS}, {score_sql} AS score, "
            "(SELECT COUNT(*) FROM matched) AS total "
            f"FROM {ENTRY_TABLE} e WHERE e.id IN "
            # The name scan only when the matches overflow the cap (a one-time filter: not run
            # at all otherwise; below the cap every name match is among the matches anyway).
            # Nor when the matches hold names enough already (a word common in names, 登记):
            # its name list is as long as the matches, and reading it doubled the query.
            "(SELECT id FROM matched UNION SELECT id FROM named "
            "WHERE (SELECT COUNT(*) FROM matched) > %s AND (SELECT COUNT(*) FROM matched m "
            f"JOIN {ENTRY_TABLE} e ON e.id = m.id WHERE {name_sql}) < %s{exact}) "
            "ORDER BY score DESC, length(e.name), e.id LIMIT %s OFFSET %s"
        )
        params = [
            *match_params,
            cap + 1,
            *name_params,
            cap,
            *score_params,
            cap,
            *name_sql_params,
            ENOUGH_NAMES,
            *exact_ids,
            limit,
            offset,
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if rows:
            total = rows[0][-1]
        elif not offset:
            total = 0
        else:
            with connection.cursor() as cursor:  # a page beyond the last: only the count
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT e.id FROM {match_from} WHERE {match_where} "
                    "LIMIT %s) AS counted",
                    [*match_params, cap + 1],
                )
                total = cursor.fetchone()[0]
        hits = [self._hit(row) for row in rows]
        if total <= cap:
            return hits, total, True
        return hits, cap, False

    @staticmethod
    def _ids(ids: tuple[int, ...]) -> str:
        return f"SELECT id FROM {ENTRY_TABLE} WHERE id IN ({', '.join(['%s'] * len(ids))})"

    @staticmethod
    def _hit(row) -> Hit:
        badges = row[8]
        if isinstance(badges, str):
            badges = json.loads(badges or "{}")
        return Hit(
            item_id=row[0],
            code=row[1],
            name=row[2],
            summary=row[3],
            organization_id=row[4],
            organization_name=row[5],
            region_code=row[6],
            region_name=row[7],
            badges=badges or {},
            popularity=row[9],
            score=float(row[10]),
        )

    def score(self, parsed: ParsedQuery, *, region_ranked: bool, relaxed: bool) -> tuple[str, list]:
        """The ranking expression over the row ``e`` and its parameters.

        In a strict search every unit matched somewhere, so a unit found in neither the name nor
        the aliases was found in the materials/conditions text: that tier is the floor and the
        long text column is never scanned (it made broad queries ten times slower).
        """
        parts: list[str] = []
        params: list = []
        text_weight = COLUMN_WEIGHTS[-1][1]
        columns = COLUMN_WEIGHTS if relaxed else COLUMN_WEIGHTS[:-1]
        floor = 0 if relaxed else round(text_weight * UNIT_SCALE)
        for unit in parsed.units:
            options = []
            for alternative in unit.alternatives:
                for column, weight in columns:
                    condition, condition_params = self._contains_all(column, alternative.words)
                    points = round(weight * alternative.weight * UNIT_SCALE)
                    options.append(f"CASE WHEN {condition} THEN {points} ELSE 0 END")
                    params.extend(condition_params)
            parts.append(f"{self.greatest}({floor}, {', '.join(options)})")
        for name, weight in parsed.exact.items():
            parts.append(
                f"CASE WHEN e.name_norm = %s THEN {round(EXACT_BONUS * weight)} ELSE 0 END"
            )
            params.append(name)
        if region_ranked:
            parts.append(
                f"CASE WHEN e.region_depth > 0 THEN e.region_depth * {REGION_STEP} ELSE 0 END"
            )
        parts.append("e.popularity")
        return "(" + " + ".join(parts) + ")", params

    def _name_condition(self, parsed: ParsedQuery, *, relaxed: bool) -> tuple[str, list]:
        """The row ``e``'s name holds the query (every unit; any unit when relaxed)."""
        units, params = [], []
        for unit in parsed.units:
            options = []
            for alternative in unit.alternatives:
                condition, condition_params = self._contains_all("name_tokens", alternative.words)
                options.append(f"({condition})")
                params.extend(condition_params)
            units.append("(" + " OR ".join(options) + ")")
        return "(" + (" OR " if relaxed else " AND ").join(units) + ")", params

    def _contains_all(self, column: str, words: tuple[Word, ...]) -> tuple[str, list]:
        conditions = []
        params: list = []
        fn = self.substring_function
        for word in words:
            whole = f"{fn}(e.{column}, %s) > 0"
            params.append(f" {word.text} ")
            if word.parts:
                parts = " AND ".join(f"{fn}(e.{column}, %s) > 0" for _ in word.parts)
                params.extend(f" {part} " for part in word.parts)
                conditions.append(f"({whole} OR ({parts}))")
            else:
                conditions.append(whole)
        return " AND ".join(conditions) or "1 = 0", params

    # --- to implement ----------------------------------------------------------------------

    greatest = "max"

    def match(
        self,
        units: tuple[Unit, ...],
        facets: list[list[str]],
        *,
        relaxed: bool,
        name_only: bool = False,
    ) -> tuple[str, str, list]:
        """(FROM, WHERE, parameters) selecting the matching entries as ``e``."""
        raise NotImplementedError

    def insert_documents(self, entry_ids: list[int]) -> None:
        """Add these entries (already written) to the full-text index."""

    def delete_documents(self, rows: list[tuple]) -> None:
        """Remove these entries' old text from the full-text index, before they change.
        ``rows`` are (id, name_tokens, alias_tokens, text_tokens, facet_tokens)."""

    def clear(self) -> None:
        """Empty the full-text index (a full rebuild follows)."""

    def rebuild(self) -> None:
        """Rebuild the full-text index from every entry in one pass."""


class SQLiteBackend(Backend):
    vendor = "sqlite"
    substring_function = "instr"
    greatest = "max"

    @staticmethod
    def _phrase(token: str) -> str:
        return '"' + token.replace('"', '""') + '"'

    def _word(self, word: Word) -> str:
        if not word.parts:
            return self._phrase(word.text)
        parts = " AND ".join(self._phrase(p) for p in word.parts)
        return f"({self._phrase(word.text)} OR ({parts}))"

    def _alternative(self, alternative: Alternative) -> str:
        return "(" + " AND ".join(self._word(w) for w in alternative.words) + ")"

    def expression(
        self,
        units: tuple[Unit, ...],
        facets: list[list[str]],
        relaxed: bool,
        name_only: bool = False,
    ) -> str:
        joiner = " OR " if relaxed else " AND "
        text = joiner.join(
            "(" + " OR ".join(self._alternative(a) for a in unit.alternatives) + ")"
            for unit in units
        )
        columns = "name_tokens" if name_only else "name_tokens alias_tokens text_tokens"
        expression = f"{{{columns}}} : ({text})"
        for group in facets:
            expression += " AND facet_tokens : (" + " OR ".join(map(self._phrase, group)) + ")"
        return expression

    def match(self, units, facets, *, relaxed, name_only=False):
        # The FTS table's rowid is the entry's id: no join needed to select candidates.
        return (
            f"(SELECT rowid AS id FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) AS e",
            "1 = 1",
            [self.expression(units, facets, relaxed, name_only)],
        )

    def insert_documents(self, entry_ids):
        if not entry_ids:
            return
        with connection.cursor() as cursor:
            for start in range(0, len(entry_ids), 500):
                chunk = entry_ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {FTS_TABLE} "
                    "(rowid, name_tokens, alias_tokens, text_tokens, facet_tokens) "
                    "SELECT id, name_tokens, alias_tokens, text_tokens, facet_tokens "
                    f"FROM {ENTRY_TABLE} WHERE id IN ({marks})",
                    chunk,
                )

    def delete_documents(self, rows):
        if not rows:
            return
        with connection.cursor() as cursor:
            # External content: FTS5 removes a row's terms only when told the exact old text.
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} "
                f"({FTS_TABLE}, rowid, name_tokens, alias_tokens, text_tokens, facet_tokens) "
                "VALUES ('delete', %s, %s, %s, %s, %s)",
                [tuple(row) for row in rows],
            )

    def clear(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('delete-all')")

    def rebuild(self):
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}) VALUES ('rebuild')")


class PostgreSQLBackend(Backend):
    vendor = "postgresql"
    substring_function = "strpos"
    greatest = "GREATEST"

    @staticmethod
    def _lexeme(token: str, weights: str) -> str:
        quoted = token.replace("\\", "\\\\").replace("'", "''")
        return f"'{quoted}':{weights}" if weights else f"'{quoted}'"

    def _word(self, word: Word, weights: str) -> str:
        whole = self._lexeme(word.text, weights)
        # The name-only scan (no weights) looks for whole words: it only adds name matches
        # beyond the first matches, and a word's parts (营业 & 执照) are common words whose
        # long lists made that scan cost more than the rest of the query together.
        if not word.parts or not weights:
            return whole
        parts = " & ".join(self._lexeme(p, weights) for p in word.parts)
        return f"({whole} | ({parts}))"

    def _alternative(self, alternative: Alternative, weights: str) -> str:
        return "(" + " & ".join(self._word(w, weights) for w in alternative.words) + ")"

    def expression(
        self,
        units: tuple[Unit, ...],
        facets: list[list[str]],
        relaxed: bool,
        weights: str = "ABC",
    ) -> str:
        """The tsquery of the units restricted to ``weights`` ("" for the unweighted
        name_document column: its facets are left out), and of every facet group."""
        joiner = " | " if relaxed else " & "
        text = joiner.join(
            "(" + " | ".join(self._alternative(a, weights) for a in unit.alternatives) + ")"
            for unit in units
        )
        if not weights:
            return text
        for group in facets:
            text = f"({text}) & ({self.facet_expression(group)})"
        return text

    def facet_expression(self, group: list[str]) -> str:
        return " | ".join(self._lexeme(f, "D") for f in group)

    def match(self, units, facets, *, relaxed, name_only=False):
        if not name_only:
            return (
                f"{ENTRY_TABLE} e",
                "e.document @@ to_tsquery('simple', %s)",
                [self.expression(units, facets, relaxed)],
            )
        # The name index, and the filters checked on the rows it finds (a short column): the
        # filter lists in the document index are long (a region and its parents: a fifth of a
        # million items), and reading them cost 50 ms at 1 M items; a weight-A query on the
        # document instead fools the planner (its estimate ignores weights) into a full scan.
        where = ["e.name_document @@ to_tsquery('simple', %s)"]
        params: list = [self.expression(units, facets, relaxed, weights="")]
        for group in facets:
            where.append("(" + " OR ".join(["strpos(e.facet_tokens, %s) > 0"] * len(group)) + ")")
            params.extend(f" {token} " for token in group)
        return f"{ENTRY_TABLE} e", " AND ".join(where), params


_BACKENDS = {"sqlite": SQLiteBackend(), "postgresql": PostgreSQLBackend()}


def backend() -> Backend:
    """The backend of the default database."""
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"search: no backend for {connection.vendor}") from None
