"""Extractor recall per seed document against the catalogue (python bench/extract_recall.py [--show-missed])."""
import sys
import time

import common  # noqa: F401  (puts the repository on sys.path)

from planwatch.extract import extract_file
from planwatch.extract.recall import catalogue_targets, distinct_found, missed
from planwatch.paths import seeds_dir


def main() -> int:
    show = "--show-missed" in sys.argv
    total_found = total = total_own = 0
    for seed in sorted(seeds_dir().glob("*.txt")):
        start = time.perf_counter()
        rows = extract_file(seed)
        took = time.perf_counter() - start
        expected = catalogue_targets(seed.name)
        lost = missed(rows, expected)
        total += len(expected)
        total_found += len(expected) - len(lost)
        own = distinct_found(rows, expected)
        total_own += own
        print(f"{seed.name}: recall {len(expected) - len(lost)}/{len(expected)} = "
              f"{(len(expected) - len(lost)) / max(len(expected), 1):.1%} (as its own row {own}), "
              f"{len(rows)} candidates, {took:.2f} s")
        for r in lost if show else []:
            print(f"   missed {r['indicator_id']} line {r['target_line']} {r['target_value']!r} {r['target_text']}")
    print(f"all seeds: {total_found}/{total} = {total_found / max(total, 1):.1%}; "
          f"as its own row {total_own}/{total} = {total_own / max(total, 1):.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
