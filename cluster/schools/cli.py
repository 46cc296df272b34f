"""Command-line tools for schools: ``flask --app cluster schools ...``."""

from __future__ import annotations

import re
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from tqdm import tqdm

from cluster.extensions import db
from cluster.schools.gias import GiasFormatError, ImportReport, import_gias
from cluster.tenancy.models import Organisation

schools_cli = AppGroup("schools", help="Manage an organisation's schools (import them from GIAS).")

#: How many rejected rows the command lists before summing up the rest.
REJECTED_SHOWN = 50


def _la_codes(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> set[str] | None:
    # Accept "--la 938 --la 312" and "--la 938,312"; GIAS LA codes are three digits.
    codes = {code.strip() for value in values for code in value.split(",") if code.strip()}
    bad = sorted(code for code in codes if not re.fullmatch(r"[0-9]{3}", code))
    if bad:
        raise click.BadParameter(f"LA codes are 3 digits, like 938; got {', '.join(repr(b) for b in bad)}")
    return codes or None


@schools_cli.command("import-gias")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path))
@click.option(
    "--organisation",
    "slug",
    required=True,
    metavar="SLUG",
    help="The organisation to import into, by its slug.",
)
@click.option(
    "--la",
    "la_codes",
    multiple=True,
    callback=_la_codes,
    metavar="CODE",
    help="Import only this local authority (3-digit GIAS LA code); repeat for several.",
)
def import_gias_command(file: Path, slug: str, la_codes: set[str] | None) -> None:
    """Import schools from a GIAS edubasealldata CSV FILE.

    Schools are matched by URN within the organisation: importing again updates them and
    never duplicates them. Closed schools and schools proposed to open are skipped.
    """
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))
    if organisation is None:
        raise click.ClickException(f"No organisation has the slug '{slug}'.")
    # The bar follows bytes read, which needs no first pass over a 60 MB file to count rows;
    # tqdm hides itself when stderr is not a terminal.
    with (
        file.open("rb") as binary,
        tqdm(
            total=file.stat().st_size, unit="B", unit_scale=True, desc=file.name, disable=None, leave=False
        ) as bar,
    ):
        try:
            report = import_gias(
                organisation,
                binary,
                la_codes=la_codes,
                progress=lambda _rows: bar.update(binary.tell() - bar.n),
            )
        except GiasFormatError as problem:
            db.session.rollback()
            raise click.ClickException(str(problem)) from problem
        bar.update(bar.total - bar.n)
    db.session.commit()
    _echo_report(report, organisation, file, la_codes)


def _echo_report(
    report: ImportReport, organisation: Organisation, file: Path, la_codes: set[str] | None
) -> None:
    click.echo(
        f"Imported {file.name} into {organisation.name} ({organisation.slug}): {report.rows} rows read."
    )
    click.echo(f"  added:     {report.added}")
    click.echo(f"  updated:   {report.updated}")
    click.echo(f"  unchanged: {report.unchanged}")
    click.echo(
        f"  skipped:   {report.skipped} ({report.skipped_closed} closed or proposed to open, "
        f"{report.skipped_other_la} in other local authorities)"
    )
    click.echo(f"  rejected:  {len(report.rejected)}")
    if la_codes and report.skipped_other_la == report.rows and report.rows:
        click.echo(f"No row belongs to local authority {', '.join(sorted(la_codes))}: check the LA code.")
    if report.rejected:
        click.echo("Rejected rows:")
        for problem in report.rejected[:REJECTED_SHOWN]:
            click.echo(f"  line {problem.line}: {problem.reason}")
        if len(report.rejected) > REJECTED_SHOWN:
            click.echo(f"  ... and {len(report.rejected) - REJECTED_SHOWN} more")
