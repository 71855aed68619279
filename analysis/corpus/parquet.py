"""Reader of a Parquet corpus, one batch of rows at a time (pyarrow is imported only here,
when a Parquet file is read)."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..errors import CorpusError
from .columns import metadata_renames, report_renames
from .problems import ProblemCollector

__all__ = ["parquet_records"]


def parquet_records(path: Path, col: ProblemCollector,
                    batch_rows: int) -> Iterator[tuple[str, dict]]:
    """Read a Parquet corpus row by row, one batch in memory at a time.

    Parameters
    ----------
    path : Path
        The ``.parquet`` (or ``.pq``) file; it must have a ``text`` column.
    col : ProblemCollector
        Receives a ``renamed_column`` problem for each column named like a feature column.
    batch_rows : int
        Rows per batch read.

    Yields
    ------
    (where, record) : tuple of (str, dict)
        ``where`` is ``file.parquet[row N]`` (rows count from 1); the record holds plain
        Python values, so each row's ``text`` is checked on its own.

    Raises
    ------
    CorpusError
        When the file is not Parquet, has no ``text`` column, or a batch cannot be read.
    """
    import pyarrow as pa  # late: heavy
    import pyarrow.parquet as pq  # late: heavy

    name = path.name
    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CorpusError(f"{name}: cannot read as Parquet: {first}") from None
    header = pf.schema_arrow.names
    if "text" not in header:
        raise CorpusError(f"{name}: no 'text' column (columns: {', '.join(header)})")
    renames = metadata_renames(header)
    report_renames(renames, name, col)
    row = 0
    batches = pf.iter_batches(batch_size=batch_rows)
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except (pa.ArrowException, OSError) as err:
            first = str(err).splitlines()[0] if str(err) else type(err).__name__
            raise CorpusError(f"{name}: cannot read rows after row {row}: {first}") from None
        for rec in batch.to_pylist():  # plain Python values: the type check is per row
            row += 1
            yield f"{name}[row {row}]", {renames.get(k, k): v for k, v in rec.items()}
