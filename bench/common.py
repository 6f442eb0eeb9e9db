"""What the benchmark scripts share: the --runs option and a freshly built demo database."""
import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def runs_option(default: int) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=default)
    return parser.parse_args().runs


def demo_database(folder: str, name: str = "bench.duckdb") -> Path:
    """Build the catalogue with demonstration values into folder/name."""
    from planwatch import build

    path = Path(folder) / name
    build.build(path, with_demo=True)
    return path
