"""The folder server/ installs as the package `edlib_server` (a bare `server` would collide in site-packages)."""

from setuptools import find_packages, setup

core = find_packages(include=["edlib", "edlib.*"])
adapters = ["edlib_server" + name[len("server") :] for name in find_packages(include=["server", "server.*"])]
setup(packages=core + adapters, package_dir={"edlib_server": "server"})
