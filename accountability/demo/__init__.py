"""Demonstration data: the five seed protocols, in the project's own words, one module each."""

from . import cheshire_west, knowsley, slough, tri_borough, west_berkshire
from .common import load_common  # noqa: F401  (shared instruments and posts)

DEMO_MODULES = [west_berkshire, tri_borough, cheshire_west, slough, knowsley]
