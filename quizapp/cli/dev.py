"""`quizapp dev ...`: tools for developers, benchmarks and demos."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from quizapp.devtools import synth

dev = AppGroup("dev", help="Developer tools: synthetic data for benchmarks and demos.")


@dev.command("synth")
@click.option("--learners", type=click.IntRange(min=1), default=100, show_default=True)
@click.option("--attempts-per-learner", type=click.IntRange(min=0), default=50, show_default=True)
@click.option("--classes", type=click.IntRange(min=1), default=1, show_default=True,
              help="Classes to spread the learners over, all taught by --instructor.")
@click.option("--instructor", "instructor_email", default="instructor@example.org", show_default=True,
              help="The classes' instructor; created (password: synth-password) if missing.")
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same data.")
def synth_command(learners: int, attempts_per_learner: int, classes: int, instructor_email: str, seed: int) -> None:
    """Fill the database with realistic classes, learners and attempts (content must be loaded first)."""
    try:
        report = synth.synthesize(learners=learners, attempts_per_learner=attempts_per_learner, classes=classes,
                                  instructor_email=instructor_email, seed=seed)
    except synth.SynthError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"added {report.learners} learners in {len(report.classes)} class(es) "
               f"(ids {', '.join(map(str, report.classes))}), {report.attempts} attempts, {report.picks} picks "
               f"in {report.seconds:.1f} s; learners log in as s{seed}-NNNNNN@synth.example.org / {synth.PASSWORD}")
