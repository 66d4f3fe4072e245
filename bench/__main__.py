"""`python -m bench` (or `make bench`): runs every benchmark in turn and prints its figures."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    scripts = sorted(HERE.glob("bench_*.py"))
    failed = []
    for script in scripts:
        print(f"\n=== {script.stem} ===", flush=True)
        # As modules from the project's root, so that they import tests.factories too.
        module = f"bench.{script.stem}"
        if subprocess.run([sys.executable, "-m", module], cwd=ROOT, check=False).returncode:
            failed.append(script.stem)
    if failed:
        print(f"\nÉchec : {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
