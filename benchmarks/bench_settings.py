"""Settings for bench_http.py only: the project's own, with a view that does nothing added to its URLs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
