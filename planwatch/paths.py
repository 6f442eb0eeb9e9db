"""Where things live. Every path is derived from the repository root so the app and CLI agree."""
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"
VIEWS_DIR = QUERIES_DIR / "views"


def seeds_dir() -> Path:
    """The published plan texts; present beside the repository in development and CI, absent elsewhere."""
    return Path(os.environ.get("PLANWATCH_SEEDS", ROOT.parent / "shared" / "seeds"))


def default_db() -> Path:
    """The embedded database the app builds on first start (never committed)."""
    return Path(os.environ.get("PLANWATCH_DB", ROOT / "var" / "planwatch.duckdb"))


def beside(db_path: Path | str, suffix: str) -> Path:
    """A file kept next to the database and named after it (planwatch.duckdb → planwatch<suffix>)."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + suffix)
