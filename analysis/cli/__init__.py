"""Command line: ``python -m analysis {features,compare,clean,evidence,attributions,validate,status,study,learn,sample,agreement}``.

Exit codes (every command):
  0    done; every input was used
  1    done, but some input was skipped or had a problem: each is printed ("problem: ...") and
       listed in errors.csv, every other article was processed and every table was written.
       `make` takes this as success and ends with the one summary line.
  2    stopped, nothing replaced: bad arguments (usage error), a --strict stop, an unreadable
       corpus, dictionary, registry or study, no readable article at all, an output that
       would replace an input or a file this tool did not write, an output folder another
       run is writing into, a full disk, or (status) an incomplete set of tables
  3    internal error (a bug), nothing replaced: one line names the error and, when known, the
       article being scored; the traceback goes to build/logs/ (printed instead with --debug)
  130  interrupted (Ctrl-C): a set of tables is replaced whole or not at all

`features` replaces its tables as one set: the features table, evidence, audit, errors,
sentences, attributions and features.manifest.json (what the run wrote: rows, bytes and sha256
of each table, input problems). All are written into a hidden staging folder beside them, then
renamed into place, the features table last; tables of an earlier run that this run did not
write (attributions after --groups tone) are removed. Until the last rename the features table
is absent, so an interrupted run leaves the previous complete set, or no features table (make
reruns it), never a mix. `status` checks a set against its manifest. A file of the set's names
that the previous manifest does not list as it is (the user's own terms.csv, a table edited by
hand) is never replaced nor removed: the run stops first (exit code 2). Without -o, the tables
go to the project's data/processed/ only when run inside the project.

Notes
-----
Where the code of a command is imported. Scoring needs pandas, scikit-learn and spaCy, seconds
to import, while ``status`` (run by make after every ``make figures``), ``study`` (run by make
when it reads a study's defaults) and ``--help`` should answer at once. So this package imports at its top only light modules (the table set and the
error handling), and the one place that imports more is :func:`_load`, through two names:

* ``COMMANDS`` maps each command to the module that runs it (its function ``run(args)``),
  imported when the command is dispatched. Each of these modules imports what it needs at
  its top: spaCy and scikit-learn load only for the commands that score, pandas only for the
  commands that read tables.
* ``PARSER`` is the module with the arguments of every command, which imports
  :mod:`analysis.corpus` (pandas) for a default. The ``LIGHT`` commands (``status``,
  ``study``) do not use it: each parses its own few arguments (its ``add_arguments``) and
  imports no pandas.

The modules: :mod:`~analysis.cli.parser` (arguments and their checks),
:mod:`~analysis.cli.tableset` (the set of tables and its swap), :mod:`~analysis.cli.manifest`
(its names, its manifest, which files are the user's), :mod:`~analysis.cli.outputs` (where a
command may write: suffix, default, never onto an input),
:mod:`~analysis.cli.inputs` (reading a corpus, reporting its problems),
:mod:`~analysis.cli.failures` (usage stops, internal errors and their log), and one module per
command: ``features``, ``clean``, ``evidence``, ``attributions``, ``validate``, ``compare``,
``status``, ``study``. Every command that takes ``--study`` reads the study there, once, and
passes a :class:`~analysis.study.Study` on; without ``--study`` there is no study.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import textwrap
from types import ModuleType

from ..atomic import KILL_ENV
from ..errors import AnalysisError
from .failures import LOG_DIR_ENV, DiskFull, UsageStop, internal_error, is_disk_full
from .tableset import (ERRORS_NAME, check_feature_set, manifest_path, summary_line,
                       write_feature_set)

__all__ = ["COMMANDS", "ERRORS_NAME", "KILL_ENV", "LIGHT", "LOG_DIR_ENV", "UsageStop",
           "build_parser", "check_feature_set", "command_module", "main", "manifest_path",
           "summary_line", "write_feature_set"]

# The one table of late imports (see "Notes" above): command -> the module that runs it.
COMMANDS = {
    "features": "analysis.cli.features",
    "clean": "analysis.cli.clean",
    "evidence": "analysis.cli.evidence",
    "attributions": "analysis.cli.attributions",
    "validate": "analysis.cli.validate",
    "compare": "analysis.cli.compare",
    "status": "analysis.cli.status",
    "study": "analysis.cli.study",
    "learn": "analysis.cli.learn",
    "sample": "analysis.cli.sample",
    "agreement": "analysis.cli.agreement",
}
LIGHT = ("status", "study")  # parsed without PARSER: make runs them, they import no pandas
PARSER = "analysis.cli.parser"  # arguments of every command; imports analysis.corpus (pandas)
_NOTES = "\n\nNotes\n-----\n"


def _load(module: str) -> ModuleType:
    """The one place this package imports a module late: see "Notes" in the module docstring."""
    return importlib.import_module(module)


def command_module(command: str) -> ModuleType:
    """Import the module that runs a command.

    Parameters
    ----------
    command : str
        A key of ``COMMANDS``, e.g. ``"features"``.

    Returns
    -------
    module
        The module; its ``run(args)`` runs the command and returns the exit code.

    Examples
    --------
    >>> command_module("status").__name__
    'analysis.cli.status'
    """
    return _load(COMMANDS[command])


def _epilog() -> str:
    """The exit codes and the table set, from this module's docstring (without its Notes)."""
    usage = __doc__.split("\n\n", 1)[1].split(_NOTES, 1)[0]
    return textwrap.dedent(usage + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m analysis``, with every command.

    Returns
    -------
    argparse.ArgumentParser
        Its help ends with the exit codes; ``parse_args`` sets ``command``.

    Examples
    --------
    >>> args = build_parser().parse_args(["compare", "--by", "outlet"])
    >>> args.command, args.by
    ('compare', 'outlet')
    """
    return _load(PARSER).build_parser(_epilog(), command_module)


def _light_parser(command: str) -> argparse.ArgumentParser:
    """The parser of one ``LIGHT`` command alone (the full parser imports pandas)."""
    p = argparse.ArgumentParser(prog=f"python -m analysis {command}")
    p.add_argument("--debug", action="store_true",
                   help="on an internal error, print the traceback instead of logging it")
    command_module(command).add_arguments(p)
    return p


def main(argv=None) -> int:
    """Run one command of ``python -m analysis`` and return its exit code.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after ``python -m analysis``; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 done, 1 done with problems, 2 stopped (usage, input), 3 internal
        error, 130 interrupted (see the module docstring). Bad arguments exit with code 2
        from argparse (``SystemExit``).

    Examples
    --------
    >>> main(["status", "data/processed/features.csv", "--quiet"])  # doctest: +SKIP
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in LIGHT:  # make runs these: no pandas import
        args = _light_parser(argv[0]).parse_args(argv[1:])
        args.command = argv[0]
    else:
        args = build_parser().parse_args(argv)  # a usage error exits here with code 2
    try:
        return command_module(args.command).run(args)
    except KeyboardInterrupt:
        print("error: interrupted (a set of tables is replaced whole or not at all)",
              file=sys.stderr)
        return 130
    except (AnalysisError, UsageStop) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except OSError as err:
        if is_disk_full(err):  # the disk's doing, not a bug: where, and what to do
            print(f"error: {DiskFull(err.filename or 'the output', err, 'the run stopped')}",
                  file=sys.stderr)
            return 2
        if err.filename is None:
            return internal_error(err, args, argv)
        print(f"error: {err.filename}: {err.strerror or err}", file=sys.stderr)
        return 2
    except Exception as err:  # a bug: one line here, the traceback in the log
        return internal_error(err, args, argv)
