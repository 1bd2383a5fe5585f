"""The `quizapp` console script: Flask's CLI (run, routes, shell, db) plus the project's own commands."""

from importlib.metadata import PackageNotFoundError, version

import click
from flask.cli import FlaskGroup

from quizapp import create_app


def _version() -> str:
    try:
        return version("quizapp")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


main = FlaskGroup(create_app=create_app, help="Run and manage quizapp.", add_version_option=False)
main = click.version_option(_version(), "--version", prog_name="quizapp", message="%(prog)s %(version)s")(main)

if __name__ == "__main__":
    main()
