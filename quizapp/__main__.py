"""The `quizapp` console script: Flask's CLI (run, routes, shell, db) plus the project's own commands."""

from flask.cli import FlaskGroup

from quizapp import create_app

main = FlaskGroup(create_app=create_app, help="Run and manage quizapp.")

if __name__ == "__main__":
    main()
