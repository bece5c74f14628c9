"""Build the optional C kernels (digests/_speedups.c); the rest of the metadata is in
pyproject.toml. `optional=True`: without a C compiler the package still installs, and
digests.kernels falls back to its pure-Python versions (same results, slower)."""

import sys

from setuptools import Extension, setup

# The kernels must round exactly as the Python versions do: no fused multiply-add.
extra = [] if sys.platform == "win32" else ["-ffp-contract=off"]

setup(
    ext_modules=[
        Extension(
            "digests._speedups",
            ["digests/_speedups.c"],
            extra_compile_args=extra,
            optional=True,
        )
    ]
)
