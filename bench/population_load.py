"""How fast a synthetic world is made, saved and loaded: ``python bench/population_load.py``.

Prints seconds for generating, writing and reading 100 000 people (``--people`` to change), and
for one ``find`` over the whole world. The target is seconds, not minutes: records are slotted
dataclasses, and loading is one ``json.loads`` and one constructor call per line.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from departments.population import dump, generate, load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    world = generate(args.seed, args.people)
    generated = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "world.jsonl"
        with path.open("w", encoding="utf-8") as stream:
            lines = dump(world, stream)
        written = time.perf_counter()
        with path.open(encoding="utf-8") as stream:
            loaded = load(stream)
        read = time.perf_counter()
        size_mb = path.stat().st_size / 1e6
    loaded.find(certified_dead=True, hukou_active=True, on_dibao=True)
    found = time.perf_counter()

    print(f"people        {len(loaded.people):>10,}")
    print(f"households    {len(loaded.households):>10,}")
    print(f"lines         {lines:>10,}  ({size_mb:.1f} MB)")
    print(f"generate      {generated - started:>10.2f} s")
    print(f"write         {written - generated:>10.2f} s")
    print(f"load          {read - written:>10.2f} s")
    print(f"find (1 scan) {found - read:>10.2f} s")


if __name__ == "__main__":
    main()
