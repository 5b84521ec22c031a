"""Only what pyproject.toml cannot say: a wheel carries copies of the checkout's `schemas/` and
`deploy/kafka/` inside the package (`grid_router/_shipped/`, read by grid_router/shipped.py), so
that an installed grid-router runs from any directory. The sdist carries the originals
(MANIFEST.in)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = {"schemas": "schemas", "kafka": "deploy/kafka"}


class BuildWithShippedFiles(build_py):
    def run(self) -> None:
        super().run()
        root = Path(__file__).resolve().parent
        for name, source in SHIPPED.items():
            target = Path(self.build_lib) / "grid_router" / "_shipped" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(root / source, target, ignore=shutil.ignore_patterns("target", ".*"))


setup(cmdclass={"build_py": BuildWithShippedFiles})
