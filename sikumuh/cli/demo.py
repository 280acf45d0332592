"""`sikumuh demo [--no-serve] [--host H] [--port N] [--workers N]`: the synthetic Tanah Laut
demo, built and served.

Creates or upgrades the database (regions included), builds the demo (idempotent; the approved
baseline year 2019 is locked), creates outside production a demo superuser (for /admin/) and one
demo account per role (`sikumuh.accounts.demo`), prints the report's figures as the product
computes them from the RT data, and serves the site as `sikumuh serve` does unless `--no-serve`.
"""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any, TextIO

from sikumuh.cli import base, serve


def add_parser(sub: Any) -> None:
    parser = sub.add_parser(
        "demo",
        help="build the Kabupaten Tanah Laut demo (synthetic data) and serve it",
    )
    parser.add_argument("--no-serve", action="store_true", help="build and print, do not serve")
    serve.add_server_arguments(parser)
    parser.set_defaults(run=run)


def _ha(value: Decimal | None) -> str:
    return "-" if value is None else f"{value:.2f} ha"


def _ensure_demo_user() -> str:
    """Create the demo superuser if absent; the line that tells how to log in (or why not)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from sikumuh.accounts.demo import DEMO_SUPERUSER

    username, password = DEMO_SUPERUSER  # well-known: never created in production
    if settings.PRODUCTION:
        return "no demo account in production (SIKUMUH_ENV=production): use createsuperuser"
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        user_model.objects.create_superuser(username, email="", password=password)
    elif not user.check_password(password):
        return f"user {username} already exists with another password (left unchanged)"
    return f"user {username}, password {password}"


def _ensure_role_accounts() -> list[str]:
    """One demo account per role (admin, Pokja reviewer, facilitator, viewer): how to log in."""
    from sikumuh.accounts.demo import DemoAccountsRefused, ensure_demo_accounts
    from sikumuh.audit.actions import Actor

    try:
        accounts = ensure_demo_accounts(actor=Actor.system("sikumuh demo"))
    except DemoAccountsRefused as exc:
        return [str(exc)]
    return [
        f"{a.role} @ {a.region}: user {a.username}, password "
        + (a.password or "(changed since; left unchanged)")
        for a in accounts
    ]


def _print_figures(out: TextIO) -> None:
    """The report's figures, each computed by the slum-area selector from the stored scores."""
    from sikumuh.demo import tanah_laut as tl
    from sikumuh.regions.models import Region
    from sikumuh.surveys.selectors import slum_area

    kabupaten = slum_area(tl.KABUPATEN)
    first, last = kabupaten.years[0], kabupaten.years[-1]
    print(f"SK {tl.SK_NUMBER} ({tl.SK_YEAR}): {_ha(kabupaten.sk_total_ha)}", file=out)
    print(
        f"Kabupaten Tanah Laut slum area: {first.tahun} {_ha(first.slum_ha)}"
        f" -> {last.tahun} {_ha(last.slum_ha)}",
        file=out,
    )
    pelaihari = slum_area(tl.PELAIHARI)
    before, now = pelaihari.years[0], pelaihari.years[-1]
    print(
        f"Kecamatan Pelaihari slum area: {before.tahun} {_ha(before.slum_ha)}"
        f" -> {now.tahun} {_ha(now.slum_ha)}",
        file=out,
    )
    for reduction in (now.reduction_own, now.reduction_sk):
        if reduction is not None:
            pct = "-" if reduction.percent is None else f"{reduction.percent:.2f} %"
            print(
                f"    reduction {_ha(reduction.ha)} = {pct} of {reduction.base_label}"
                f" ({_ha(reduction.base_ha)})",
                file=out,
            )
    from sikumuh.fieldwork.selectors import fieldwork_progress

    progress = fieldwork_progress(tl.KABUPATEN)
    print(
        f"Data collection: sosialisasi in {progress.sosialisasi_kecamatan} kecamatan;"
        f" FGD in {progress.fgd_sk_desa} of {progress.sk_desa} SK desa"
        f" ({progress.fgd_percent} %)",
        file=out,
    )
    names = dict(Region.objects.filter(code__in=tl.REMOVED_KECAMATAN).values_list("code", "name"))
    for code in tl.REMOVED_KECAMATAN:
        area = slum_area(code)
        print(
            f"Kecamatan {names.get(code, code)} slum area: {area.years[0].tahun}"
            f" {_ha(area.years[0].slum_ha)} -> {area.years[-1].tahun}"
            f" {_ha(area.years[-1].slum_ha)}",
            file=out,
        )


def _refuse_production() -> None:
    """The demo writes synthetic data and accounts with published passwords: never into a
    production database (checked before the database is even migrated)."""
    import django
    from django.conf import settings
    from django.utils.translation import gettext as _

    django.setup()
    if settings.PRODUCTION:
        raise base.CommandError(
            _(
                "sikumuh demo does not run in production (SIKUMUH_ENV=production): it creates"
                " synthetic data and accounts with published passwords."
            )
        )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    _refuse_production()
    base.setup_django()
    from sikumuh.audit.actions import Actor
    from sikumuh.demo import tanah_laut as tl
    from sikumuh.demo.build import DemoError, build_demo

    try:
        summary = build_demo(actor=Actor.system("sikumuh demo"), lock_baseline=True)
    except DemoError as exc:
        raise base.CommandError(str(exc)) from exc
    login = _ensure_demo_user()
    accounts = _ensure_role_accounts()
    print(f"{tl.DEMO_LABEL} (kecuali angka berita uji petik KOTAKU 2021).", file=out)
    if summary.changed:
        print(
            f"built: SK {'created' if summary.sk_created else 'kept'},"
            f" {summary.locations_created} locations,"
            f" {summary.observations_created + summary.observations_updated} RT observations,"
            f" {summary.investments_created + summary.investments_updated} investments,"
            f" {summary.fieldwork_created} sosialisasi/FGD records"
            + (", baseline year locked" if summary.baseline_locked else ""),
            file=out,
        )
    else:
        print("demo already complete: nothing changed", file=out)
    _print_figures(out)
    site = f"http://{args.host}:{args.port}"
    print(f"log in: {site}/admin/ — {login}", file=out)
    for line in accounts:
        print(f"log in: {site}/masuk/ — {line}", file=out)
    if args.no_serve:
        return 0
    serve.check_ready()
    print(f"serving on {site}/ (Ctrl+C to stop)", file=out)
    out.flush()
    from sikumuh.cli.worker import start_worker_process, stop_worker_process

    worker = start_worker_process()  # the reports and imports of the demo run as jobs
    try:
        serve.start_server(host=args.host, port=args.port, workers=args.workers)
    finally:
        stop_worker_process(worker)
    return 0
