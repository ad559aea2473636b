"""Command line for store operators: `python -m store.cli init | import-catalog PATH | lookups | migrate`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from store.config import ROOT, get_settings
from store.errors import StoreError
from store.types import ImportSummary
from store.uow import UnitOfWork

DEFAULT_LOOKUPS_DIR = ROOT / "data" / "lookups"
MAX_LISTED_PROBLEMS = 50


class CommandError(Exception):
    """An expected failure: its message is shown to the operator, without a traceback."""


def _database_url(args: argparse.Namespace) -> str:
    return args.database_url or get_settings().database_url


def _uow_factory(url: str) -> Callable[[], UnitOfWork]:
    """Bring the schema to the newest revision and return a unit-of-work factory on that database."""
    from store.db import create_schema, get_engine, get_session_factory

    create_schema(get_engine(url))
    session_factory = get_session_factory(url)
    return lambda: UnitOfWork(session_factory)


def _lookups_dir(args: argparse.Namespace) -> Path:
    return Path(args.lookups_dir) if args.lookups_dir else DEFAULT_LOOKUPS_DIR


def _write_lookups(uow_factory: Callable[[], UnitOfWork], out_dir: Path) -> None:
    from store.catalog import catalog_vocabulary
    from store.lookups import price_bands, write_training_lookups

    with uow_factory() as uow:
        vocabulary = catalog_vocabulary(uow)
        bands = price_bands(uow)
    try:
        paths = write_training_lookups(vocabulary, out_dir, bands)
    except OSError as exc:
        raise CommandError(f"cannot write the lookup tables in {out_dir}: {exc.strerror or exc}") from None
    print(f"NLU catalog files written: {', '.join(str(path) for path in paths)} ({len(vocabulary.brands)} brands, "
          f"{len(vocabulary.categories) + len(vocabulary.subcategories)} categories, "
          f"{len(vocabulary.colors)} colours, {len(vocabulary.sizes)} sizes, "
          f"{len(vocabulary.product_names)} product names)")


def print_summary(summary: ImportSummary) -> None:
    """The import summary for operators: counts, then each rejected row with its line and reason."""
    print(f"Imported:    {summary.imported}")
    print(f"Updated:     {summary.updated}")
    print(f"Unchanged:   {summary.unchanged}")
    print(f"Deactivated: {summary.deactivated}")
    print(f"Rejected:    {len(summary.rejected)}")
    for problem in summary.rejected[:MAX_LISTED_PROBLEMS]:
        print(f"  line {problem.line}: {problem.reason}")
    hidden = len(summary.rejected) - MAX_LISTED_PROBLEMS
    if hidden > 0:
        print(f"  ... and {hidden} more rejected row{'s' if hidden > 1 else ''}")


def cmd_import_catalog(args: argparse.Namespace) -> int:
    """Import a catalog file, then regenerate the lookup tables."""
    from store.catalog import import_catalog

    path = Path(args.path)
    uow_factory = _uow_factory(_database_url(args))
    with uow_factory() as uow:
        summary = import_catalog(path, uow, deactivate_missing=not args.keep_missing, progress=sys.stderr.isatty())
    print(f"Catalog {path}:")
    print_summary(summary)
    if summary.rejected and not (summary.imported or summary.updated or summary.unchanged):
        print("error: no valid product in the file; the catalog was left as it was", file=sys.stderr)
        return 1
    _write_lookups(uow_factory, _lookups_dir(args))
    return 0


def cmd_lookups(args: argparse.Namespace) -> int:
    """Regenerate the lookup tables from the database."""
    _write_lookups(_uow_factory(_database_url(args)), _lookups_dir(args))
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Create the schema and, on an empty database (or with --force), build the sample store."""
    from store.models import Product

    url = _database_url(args)
    uow_factory = _uow_factory(url)
    print(f"Database ready: {url}")
    with uow_factory() as uow:
        products = uow.session.execute(select(func.count()).select_from(Product)).scalar_one()
    if products and not args.force:
        print(f"The store already has {products} products; sample store not rebuilt (use --force to rebuild it).")
    else:
        from store.sample import build_sample_store

        build_sample_store(uow_factory)
        with uow_factory() as uow:
            active = uow.session.execute(select(func.count()).select_from(Product)
                                         .where(Product.active.is_(True))).scalar_one()
        print(f"Sample store built: {active} active products.")
    _write_lookups(uow_factory, _lookups_dir(args))
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring the schema to the newest revision (any database: empty, made before migrations, older); --status
    only says where it stands."""
    from store.db import create_schema, get_engine
    from store.schema import BASELINE, current_revision, head_revision

    engine = get_engine(_database_url(args))
    where = f"Database {engine.url.render_as_string(hide_password=True)}"
    if args.status:
        current, head = current_revision(engine), head_revision()
        state = "up to date" if current == head else "`make migrate` brings it up to date"
        print(f"{where}: revision {current or 'none (empty, or made before migrations)'}, newest {head}: {state}")
        return 0
    done = create_schema(engine)
    print(f"{where}: " + {
        "created": f"schema created at revision {done.after}",
        "adopted": f"made before migrations: recorded at the baseline {BASELINE}, upgraded to {done.after}",
        "upgraded": f"upgraded from revision {done.before} to {done.after}",
        "current": f"already at the newest revision {done.after}",
    }[done.how])
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command."""
    parser = argparse.ArgumentParser(prog="python -m store.cli", description="ChatEcomm store administration.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--database-url", help="SQLAlchemy URL (default: STORE_DATABASE_URL or var/store.db)")
        sub.add_argument("--lookups-dir", help=f"where to write catalog.yml (default: {DEFAULT_LOOKUPS_DIR})")

    importer = commands.add_parser("import-catalog", help="import a JSON Lines or CSV catalog, replacing the old one")
    importer.add_argument("path", help="catalog file (.jsonl or .csv)")
    importer.add_argument("--keep-missing", action="store_true",
                          help="keep products that the file does not list (default: deactivate them)")
    common(importer)
    importer.set_defaults(handler=cmd_import_catalog)

    lookups = commands.add_parser("lookups", help="regenerate the NLU lookup tables from the database")
    common(lookups)
    lookups.set_defaults(handler=cmd_lookups)

    init = commands.add_parser("init", help="create the database and the sample store if it is empty")
    init.add_argument("--force", action="store_true", help="rebuild the sample store even if products exist")
    common(init)
    init.set_defaults(handler=cmd_init)

    migrate = commands.add_parser("migrate", help="bring the database schema to the newest revision")
    migrate.add_argument("--status", action="store_true", help="only print the current and the newest revision")
    migrate.add_argument("--database-url", help="SQLAlchemy URL (default: STORE_DATABASE_URL or var/store.db)")
    migrate.set_defaults(handler=cmd_migrate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on an expected error (message on stderr), 130 when interrupted."""
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except (CommandError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(f"error: database problem: {exc.__class__.__name__}: {str(exc).splitlines()[0]}", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.strerror or exc}{f': {exc.filename}' if exc.filename else ''}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted; nothing was committed", file=sys.stderr)
        return 130
    return 1


if __name__ == "__main__":
    sys.exit(main())
