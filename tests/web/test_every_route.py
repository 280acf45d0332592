"""The access rules on every URL of the project, from one table, so no view goes without them.

Each user sees and changes only what lies in their regions: every page, export, form and download
of another regency's object answers 404, as an unknown id does (accounts/scope.py). For every
route the table below says how to build its arguments from the Tanah Laut demo, which methods it
accepts and what the in-scope administrator and the viewer get; the tests then run the persona
checklist on it: anonymous → login; in-scope admin → the route's answer; outsider (admin of Kota
Pekalongan) → 404; facilitator of one desa → 404 for what lies outside it; viewer → 403 on every
write; unknown id or code → 404; the province or the nation above the regency → 404; other
methods → 405. Downloads of a route (other formats, ``?format=``, other kinds of file) get the
administrator's, the outsider's and the facilitator's checks too.

A route missing from the table fails `test_every_route_is_in_the_table`, which names it: a new
view comes with its row here. Django's admin site (staff only, outside the region scope) is
checked as a whole by `test_the_django_admin_is_for_staff_only`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db.models import Q, QuerySet
from django.http import HttpResponseBase
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from sikumuh.accounts.models import Membership
from sikumuh.accounts.tokens import create_token
from sikumuh.audit.actions import Actor
from sikumuh.demo.build import build_demo
from sikumuh.fieldwork.models import Fgd, Sosialisasi
from sikumuh.inspections.models import Finding, FollowUp, FollowUpStatus, Resurvey, UjiPetik
from sikumuh.investments.models import Investment
from sikumuh.io.models import ImportRun
from sikumuh.io.wizard import uploads
from sikumuh.jobs.actions import start_job
from sikumuh.jobs.models import Job
from sikumuh.slums.actions import new_decree_version
from sikumuh.slums.models import Location, SkDecree
from tests.conftest import Personas, _load_subset
from tests.web.test_dashboard_support import FAST_HASHER, make_personas, rt_in
from tests.web.test_rtdata_support import body, sarang_halang_rows, template_file

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("test")
KABUPATEN = "63.01"  # Tanah Laut: the in-scope personas' regency
SARANG_HALANG = "63.01.03.1001"  # the facilitator's desa
UJI_PETIK_YEAR = 2021
#: Methods tried on every route: each one a route does not accept must answer 405.
METHODS = ("GET", "POST", "PUT", "DELETE")
#: Django's admin site: staff only, checked by its own test below.
ADMIN_NAMESPACE = "admin"
#: The REST API (token auth, JSON answers: no login redirect, no 405 page): tests/api runs the
#: persona checklist on every endpoint of it, from its own table.
API_NAMESPACE = "api"


# --- The data: the Tanah Laut demo, once per module ---------------------------------------------


@dataclass(frozen=True)
class World:
    """Primary keys of one object of each kind, all in Tanah Laut and none in the facilitator's
    desa (Sarang Halang), so that the outsider and the facilitator both get 404 for them."""

    personas: Personas
    desa: str  # a desa with SK locations, not the facilitator's
    sk: int
    sk_next: int  # a second version of the same SK
    location: int
    rt: int
    sosialisasi: int
    fgd: int
    import_run: int
    uji_petik: int
    item: int  # a sampled item with a re-survey
    finding: int  # with a photo
    follow_up: int  # open, with a closing file
    member: int  # a user of Tanah Laut (the viewer)
    membership: int  # the viewer's role in Tanah Laut
    token: int  # an API token of the administrator
    investment: int  # in an RT outside the facilitator's desa
    job: int  # the administrator's report job, done, with its file
    failed_job: int  # the administrator's, failed
    plan_job: int  # the administrator's investment plan of Tanah Laut, done
    photo: int  # an RT survey submission's photo, outside the facilitator's desa


def _attach(meeting: Sosialisasi | Fgd) -> int:
    """A file on a meeting (the demo's have none)."""
    meeting.attachment.save("notulen.pdf", ContentFile(b"%PDF-1.4 notulen"), save=False)
    meeting.attachment_name = "notulen.pdf"
    meeting.save()
    return meeting.pk


def _first(queryset: QuerySet[Any]) -> Any:
    found = queryset.order_by("pk").first()
    assert found is not None, f"no {queryset.model.__name__}: {queryset.query}"
    return found


def _build_world(personas: Personas) -> World:
    sk = SkDecree.objects.get(kabupaten_id=KABUPATEN)
    entries = [(entry.location, entry.luas_ha) for entry in sk.entries.select_related("location")]
    sk_next = new_decree_version(
        actor=ACTOR, previous=sk, number="SK UJI/2/2022", year=2022, entries=entries
    )
    location = _first(
        Location.objects.filter(kabupaten_id=KABUPATEN, desa__isnull=False).exclude(
            desa_id=SARANG_HALANG
        )
    )
    uji_petik = UjiPetik.objects.filter(kabupaten_id=KABUPATEN).latest("pk")  # of 2021
    outside = ~Q(sample_item__desa_code=SARANG_HALANG)
    resurvey = _first(Resurvey.objects.filter(outside, sample_item__uji_petik=uji_petik))
    finding = _first(Finding.objects.filter(outside, uji_petik=uji_petik))
    finding.photo.save("retak.png", ContentFile(b"\x89PNG foto"), save=True)
    follow_up = _first(
        FollowUp.objects.filter(uji_petik__kabupaten_id=KABUPATEN, status=FollowUpStatus.OPEN)
    )
    follow_up.closing_file.save("bukti.pdf", ContentFile(b"%PDF-1.4 bukti"), save=True)
    inside = KABUPATEN + "."
    job, failed_job = _jobs(personas)
    return World(
        personas=personas,
        desa=location.desa_id,
        sk=sk.pk,
        sk_next=sk_next.pk,
        location=location.pk,
        rt=rt_in(location.desa_id).pk,
        sosialisasi=_attach(_first(Sosialisasi.objects.filter(kecamatan__code__startswith=inside))),
        fgd=_attach(
            _first(Fgd.objects.filter(desa__code__startswith=inside).exclude(desa_id=SARANG_HALANG))
        ),
        import_run=_first(ImportRun.objects.filter(region_code__startswith=KABUPATEN)).pk,
        uji_petik=uji_petik.pk,
        item=resurvey.sample_item_id,
        finding=finding.pk,
        follow_up=follow_up.pk,
        member=personas["viewer"].pk,
        membership=Membership.objects.get(user=personas["viewer"]).pk,
        token=create_token(actor=ACTOR, user=personas["admin"])[0].pk,
        investment=_first(
            Investment.objects.filter(location__kabupaten_id=KABUPATEN, rt__isnull=False).exclude(
                rt__desa_id=SARANG_HALANG
            )
        ).pk,
        job=job.pk,
        failed_job=failed_job.pk,
        plan_job=_plan_job(personas).pk,
        photo=_photo(location.desa_id),
    )


def _photo(desa: str) -> int:
    """A photo of a phone submission on an RT observation of `desa` (the demo has none)."""
    from sikumuh.surveys.models import Observation, ObservationPhoto, ObservationSubmission

    obs = _first(Observation.objects.filter(rt__desa_id=desa))
    submission = ObservationSubmission.objects.create(observation=obs, instance_id="uuid:rute")
    photo = ObservationPhoto(submission=submission, criterion="2b", name="jalan.jpg")
    photo.file.save("jalan.jpg", ContentFile(b"\xff\xd8\xff\xe0 foto"), save=True)
    return photo.pk


def _jobs(personas: Personas) -> tuple[Job, Job]:
    """Two report jobs of the administrator, as the worker leaves them: one done with its file,
    one failed."""
    jobs = [
        start_job(
            actor=Actor.of(personas["admin"]),
            kind="report",
            region_code=KABUPATEN,
            params={"report": "pengurangan", "code": KABUPATEN, "fmt": "xlsx"},
        )
        for _ in range(2)
    ]
    done, failed = jobs
    done.result_file.save("laporan.xlsx", ContentFile(b"PK laporan"), save=False)
    done.result_name = "laporan.xlsx"
    done.status = Job.Status.SUCCEEDED
    done.save()
    failed.status, failed.error = Job.Status.FAILED, "Laporan ini tidak dapat dibuat."
    failed.save()
    return done, failed


def _plan_job(personas: Personas) -> Job:
    """An investment plan of Tanah Laut by the administrator, as the planner page leaves it."""
    from sikumuh.jobs.actions import run_job_here

    return run_job_here(
        actor=Actor.of(personas["admin"]),
        kind="plan",
        region_code=KABUPATEN,
        params={"tahun": 2021, "budget": 500_000_000, "status": "all", "costs": {"2b": "750000"}},
    )


@pytest.fixture(scope="module")
def world_module(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """Regions of 63.01 and 33.75, the personas, the demo and a few files, written once per
    module and flushed after it; each test runs in its own rolled-back transaction. Files go to
    a temporary MEDIA_ROOT for the whole module."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    try:
        with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
            _load_subset((KABUPATEN, "33.75"))
            personas = make_personas()
            build_demo(actor=ACTOR)
            world = _build_world(personas)
        yield world
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
        media.disable()


@pytest.fixture
def world(world_module: World, db: None) -> World:
    return world_module


def staged_upload(world: World) -> uuid.UUID:
    """A template file staged by the admin for Tanah Laut (uploads belong to their uploader)."""
    content = template_file(sarang_halang_rows(2022))
    upload = uploads.store(
        SimpleUploadedFile("rt-2022.csv", content),
        user_id=world.personas["admin"].pk,
        region_code=KABUPATEN,
    )
    return uuid.UUID(upload.id)


# --- The table ----------------------------------------------------------------------------------

Kwargs = Callable[[World], dict[str, Any]]


def _none(_world: World) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Variant:
    """Another way to call a route (other arguments, or a query asking for a download), checked
    for the administrator, the outsider and the facilitator."""

    kwargs: Kwargs | None = None  # changes to the route's arguments
    query: str = ""


@dataclass(frozen=True)
class Route:
    """One URL name: how to build it and what each persona gets.

    ``ok`` is the in-scope administrator's answer per accepted method (a POST carries no data,
    so a form answers with its validation status). ``viewer`` overrides what the read-only viewer
    of Tanah Laut gets: by default the admin's answer to a GET, 403 to anything else.
    ``scoped`` routes answer 404 to the outsider, and to the facilitator of Sarang Halang unless
    ``facilitator`` says otherwise (an SK is read, in part, by the facilitators of its desa).
    ``bad`` overrides the 404 that an unknown value of one argument gets.
    """

    kwargs: Kwargs = _none
    ok: Mapping[str, int] = field(default_factory=lambda: {"GET": 200})
    public: bool = False
    scoped: bool = True
    viewer: Mapping[str, int] = field(default_factory=dict)
    facilitator: Mapping[str, int] = field(default_factory=dict)
    bad: Mapping[str, int] = field(default_factory=dict)
    variants: tuple[Variant, ...] = ()

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.ok)

    def viewer_status(self, method: str) -> int:
        return self.viewer.get(method, self.ok[method] if method == "GET" else 403)

    def facilitator_status(self, method: str) -> int:
        return self.facilitator.get(method, 404)


def page(kwargs: Kwargs, *variants: Variant, **extra: Any) -> Route:
    """A page (or a download) that anyone who may view the region reads with GET."""
    return Route(kwargs=kwargs, variants=variants, **extra)


def write(kwargs: Kwargs, post: int, **extra: Any) -> Route:
    """A POST-only write: the viewer is refused with 403."""
    return Route(kwargs=kwargs, ok={"POST": post}, **extra)


def form(kwargs: Kwargs, post: int, *, viewer_get: int = 200, **extra: Any) -> Route:
    """A page with a form (GET) that writes on POST."""
    return Route(kwargs=kwargs, ok={"GET": 200, "POST": post}, viewer={"GET": viewer_get}, **extra)


def kab(_w: World) -> dict[str, Any]:
    return {"code": KABUPATEN}


def kab_with(**more: Any) -> Kwargs:
    def kwargs(_w: World) -> dict[str, Any]:
        return {"code": KABUPATEN, **more}

    return kwargs


def desa(w: World) -> dict[str, Any]:
    return {"code": w.desa}


def pk_of(attribute: str, **more: Any) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"pk": getattr(w, attribute), **more}

    return kwargs


def plan_of(fmt: str) -> Kwargs:
    def kwargs(w: World) -> dict[str, Any]:
        return {"code": KABUPATEN, "job": w.plan_job, "fmt": fmt}

    return kwargs


def upload_of(w: World) -> dict[str, Any]:
    return {"code": KABUPATEN, "upload": staged_upload(w)}


def upload_as(fmt: str) -> Kwargs:
    """A file staged by the admin, reviewed by the wizard of another format (ODK, SIM KOTAKU)."""

    def kwargs(w: World) -> dict[str, Any]:
        return {**upload_of(w), "fmt": fmt}

    return kwargs


def member(w: World) -> dict[str, Any]:
    return {"code": KABUPATEN, "pk": w.member}


#: A form posted empty: refused with 400.
FORM_400 = {"GET": 200, "POST": 400}
#: The table of a page as a download (``?format=``).
TABLE = (Variant(query="format=csv"), Variant(query="format=xlsx"))
#: What the facilitator of Sarang Halang gets from an SK of Tanah Laut: its own desa's part of
#: it to read (sk/access.py), no registration.
SK_READ = {"GET": 200}
SK_ADMIN = {"GET": 403, "POST": 403}
#: A report is read, so the viewer may ask for one; a job is its starter's and the admins'.
REPORT_JOB = {"POST": 302}
NOT_THEIRS = {"GET": 404}

ROUTES: dict[str, Route] = {
    # Public: the way in and out, and the language switch (Django's, any method).
    "web:login": Route(public=True, ok={"GET": 200, "POST": 200}),
    # The code step without a password step before it goes back to the login.
    "web:login_code": Route(public=True, ok={"GET": 302, "POST": 302}),
    "web:password_reset": Route(public=True, ok={"GET": 200, "POST": 400}),
    # A link that is not (or no longer) valid says so.
    "web:password_set": Route(
        kwargs=lambda _w: {"uidb64": "MQ", "token": "bukan-token"},
        public=True,
        ok={"GET": 200, "POST": 200},
    ),
    "web:logout": Route(public=True, ok={"POST": 302}),
    "set_language": Route(public=True, ok=dict.fromkeys(METHODS, 302)),
    # The probe of the proxy or orchestrator (views/health.py): JSON, no login.
    "web:healthz": Route(public=True, ok={"GET": 200}),
    # Browsers ask for /favicon.ico on their own: the static icon.
    "web:favicon": Route(public=True, ok={"GET": 302}),
    # Signed in, about no one region: each user's own regions (import_history filters its list).
    "web:home": Route(ok={"GET": 302}, scoped=False),
    "web:import_history": Route(scoped=False),
    # One's own account: the same for every role; another user's token is 404.
    "web:account": Route(scoped=False),
    "web:password_change": Route(scoped=False, ok=FORM_400, viewer={"POST": 400}),
    "web:two_factor": Route(scoped=False, ok=FORM_400, viewer={"POST": 400}),
    "web:two_factor_disable": Route(scoped=False, ok={"POST": 302}, viewer={"POST": 302}),
    "web:token_create": Route(scoped=False, ok={"POST": 200}, viewer={"POST": 200}),
    "web:token_revoke": Route(
        kwargs=pk_of("token"), scoped=False, ok={"POST": 302}, viewer={"POST": 404}
    ),
    # Users of a region: its administrators only (the viewer reads nothing of them).
    "web:users": page(kab, viewer={"GET": 403}),
    "web:user_create": form(kab, 400, viewer_get=403),
    "web:user_detail": page(member, viewer={"GET": 403}),
    "web:user_grant": write(member, 400),
    "web:user_revoke": write(lambda w: {"code": KABUPATEN, "pk": w.membership}, 302),
    "web:user_deactivate": write(member, 302),
    "web:user_reactivate": write(member, 302),
    "web:user_reinvite": write(member, 302),
    # Dashboards.
    "web:dashboard": page(kab),
    "web:map_data": page(kab),
    "web:region_projection": page(kab),
    "web:location": page(pk_of("location")),
    "web:location_projection": page(pk_of("location")),
    "web:rt": page(pk_of("rt")),
    # SK Kumuh.
    "web:sk_list": page(kab, *TABLE),
    "web:sk_create": form(kab, 200, viewer_get=403),
    "web:sk_removal": page(kab, *TABLE),
    "web:sk_detail": page(pk_of("sk"), *TABLE, facilitator=SK_READ),
    "web:sk_edit": form(pk_of("sk"), 200, viewer_get=403, facilitator=SK_ADMIN),
    "web:sk_new_version": form(pk_of("sk_next"), 200, viewer_get=403, facilitator=SK_ADMIN),
    "web:sk_diff": page(lambda w: {"pk": w.sk, "other": w.sk_next}, *TABLE, facilitator=SK_READ),
    # The lampiran as an importable file (CSV by default); uploading one is for the admins.
    "web:sk_lampiran": page(pk_of("sk"), Variant(query="format=xlsx"), facilitator=SK_READ),
    "web:sk_upload": form(kab, 200, viewer_get=403),
    "web:sk_layer": form(kab, 200, viewer_get=403),
    # Delineation.
    "web:delineation": page(kab),
    "web:delineation_upload": write(kab, 400),
    "web:location_geometry": page(pk_of("location")),
    "web:locations_geojson": page(kab),
    "web:locations_shapefile": page(kab),
    # Fieldwork (sosialisasi per kecamatan, FGD per desa) and their files.
    "web:fieldwork": page(kab),
    "web:fieldwork_sosialisasi_create": write(kab, 400),
    "web:fieldwork_fgd_create": write(kab, 400),
    "web:fieldwork_sosialisasi": page(pk_of("sosialisasi")),
    "web:fieldwork_sosialisasi_update": write(pk_of("sosialisasi"), 400),
    "web:fieldwork_sosialisasi_delete": write(pk_of("sosialisasi"), 302),
    "web:fieldwork_fgd": page(pk_of("fgd")),
    "web:fieldwork_fgd_update": write(pk_of("fgd"), 400),
    "web:fieldwork_fgd_delete": write(pk_of("fgd"), 302),
    "web:fieldwork_attachment": page(
        pk_of("fgd", kind="fgd"), Variant(pk_of("sosialisasi", kind="sosialisasi"))
    ),
    # RT data and imports.
    "web:rt_data": page(kab, *TABLE),
    "web:rt_form": form(pk_of("rt", tahun=2021), 422),
    "web:rt_photo": page(pk_of("photo")),
    # The live score saves nothing: whoever may see the RT may ask for it.
    "web:rt_form_score": Route(
        kwargs=pk_of("rt", tahun=2021), ok={"POST": 200}, viewer={"POST": 200}
    ),
    "web:rt_create": form(pk_of("location"), 422, viewer_get=403),
    "web:import_wizard": form(kab, 422, viewer_get=403),
    "web:template_download": page(kab_with(fmt="xlsx"), Variant(kab_with(fmt="csv"))),
    "web:survey_xlsform": page(kab, Variant(query="tahun=2026")),
    "web:import_review": page(upload_of, viewer={"GET": 403}),
    # An unknown upload is taken for one that expired: back to the wizard, with a message.
    "web:import_confirm": write(upload_of, 302, bad={"upload": 302}),
    "web:import_run": page(pk_of("import_run")),
    "web:foreign_import": form(kab_with(fmt="odk"), 422, viewer_get=403),
    "web:foreign_import_review": page(upload_as("odk"), viewer={"GET": 403}),
    "web:foreign_import_confirm": write(upload_as("odk"), 302, bad={"upload": 302}),
    # Investments (a form posted empty: 422; a deletion without a reason: 400).
    "web:investments": page(kab, *TABLE),
    "web:investment_create": form(kab, 422, viewer_get=403),
    "web:investment_edit": form(pk_of("investment"), 422, viewer_get=403),
    "web:investment_delete": write(pk_of("investment"), 400),
    "web:investment_import": form(kab, 422, viewer_get=403),
    "web:investment_import_review": page(upload_of, viewer={"GET": 403}),
    "web:investment_import_confirm": write(upload_of, 302, bad={"upload": 302}),
    # The planner: every reader runs plans (a posted empty form is refused); saving the unit
    # costs is for the kabupaten's administrators and editors; a plan is its starter's and the
    # administrators'.
    "web:investment_plan": Route(
        kwargs=kab, ok={"GET": 200, "POST": 422}, viewer={"GET": 200, "POST": 422}
    ),
    # An empty table is refused back on the planner's page (a redirect: no page at this URL).
    "web:investment_plan_costs": write(kab, 302),
    "web:investment_plan_export": page(
        plan_of("csv"), Variant(lambda w: {"fmt": "xlsx"}), viewer=NOT_THEIRS
    ),
    # Review and the yearly lock (a POST without a year is refused with 400).
    "web:review": page(kab),
    "web:review_submit": write(desa, 400),
    "web:review_approve": write(desa, 400),
    "web:review_return": write(desa, 400),
    "web:review_lock": write(kab, 400),
    "web:review_unlock": write(kab, 400),
    # The rebuild of the kabupaten's summaries: a job started, its page shown.
    "web:review_rebuild_summaries": write(kab, 302),
    "web:audit_log": page(kab),
    # Exports of the standard tables.
    "web:export": page(
        kab_with(table="observations", fmt="csv"),
        *(
            Variant(kab_with(table=table, fmt=fmt))
            for table in ("observations", "locations", "investments", "imports")
            for fmt in ("csv", "xlsx")
            if (table, fmt) != ("observations", "csv")
        ),
    ),
    # Uji petik, its records and their files.
    "web:uji_petik": form(kab, 400),
    "web:uji_petik_detail": page(pk_of("uji_petik")),
    "web:uji_petik_xlsform": page(pk_of("uji_petik")),
    "web:uji_petik_submissions": write(pk_of("uji_petik"), 400),
    "web:uji_petik_purposive": write(pk_of("uji_petik"), 400),
    "web:uji_petik_finding": write(pk_of("uji_petik"), 400),
    "web:uji_petik_checklist": form(pk_of("item"), 302),
    "web:uji_petik_resurvey": form(pk_of("item"), 400),
    "web:uji_petik_follow_up": write(pk_of("finding"), 302),
    "web:uji_petik_close": write(pk_of("follow_up"), 302),
    "web:uji_petik_attachment": page(
        pk_of("finding", kind="temuan"), Variant(pk_of("follow_up", kind="bukti"))
    ),
    # Reports: asked for with POST (every reader may), made by a job (its page is the answer).
    "web:reports": page(kab),
    "web:report_pengurangan": write(kab_with(fmt="xlsx"), 302, viewer=REPORT_JOB),
    "web:report_uji_petik": write(
        kab_with(tahun=UJI_PETIK_YEAR, fmt="xlsx"), 302, viewer=REPORT_JOB
    ),
    # Its year and format come in the POST body: an empty POST names no year.
    "web:report_uji_petik_chosen": write(kab, 404, viewer={"POST": 404}),
    "web:report_profil": write(pk_of("location", fmt="pdf"), 302, viewer=REPORT_JOB),
    # Jobs: seen by their starter and the administrators of their region (not by the viewer).
    "web:jobs": Route(scoped=False),
    "web:job": page(pk_of("job"), viewer=NOT_THEIRS),
    "web:job_download": page(pk_of("job"), viewer=NOT_THEIRS),
    "web:job_retry": write(pk_of("failed_job"), 302, viewer={"POST": 404}),
}

#: An unknown value for each kind of URL argument: an id or upload that does not exist, a
#: region code inside Tanah Laut that does not exist, a year outside 2000–2100, a format, a
#: table or a kind of file that is not served.
UNKNOWN: dict[str, Any] = {
    "code": "63.01.99",
    "pk": 2_000_000_000,
    "job": 2_000_000_000,
    "other": 2_000_000_000,
    "upload": uuid.UUID(int=0),
    "tahun": 1800,
    "fmt": "doc",
    "table": "nope",
    "kind": "nope",
    "uidb64": "MQ",
    "token": "bukan-token",
}


# --- Which routes exist -----------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    name: str  # "namespace:name", or "" for a pattern without a name
    pattern: str  # the whole path pattern, as written


def all_patterns(
    patterns: list[URLPattern | URLResolver] | None = None,
    prefix: str = "",
    namespace: tuple[str, ...] = (),
) -> Iterator[Found]:
    """Every URL pattern of the project, through every include."""
    for item in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(item, URLResolver):
            inner = (*namespace, item.namespace) if item.namespace else namespace
            yield from all_patterns(item.url_patterns, prefix + str(item.pattern), inner)
        else:
            name = ":".join((*namespace, item.name)) if item.name else ""
            yield Found(name, prefix + str(item.pattern))


def is_admin(found: Found) -> bool:
    return found.name.startswith(ADMIN_NAMESPACE + ":") or found.pattern.startswith("admin/")


#: Each route's URL arguments, from its pattern's converters (``<int:pk>``): known before the
#: data exist, so that the tests can be listed.
ARGUMENTS = {
    f.name: tuple(re.findall(r"<(?:\w+:)?(\w+)>", f.pattern)) for f in all_patterns() if f.name
}


def is_api(found: Found) -> bool:
    return found.name.startswith(API_NAMESPACE + ":") or found.pattern.startswith("api/")


def test_every_route_is_in_the_table() -> None:
    patterns = [f for f in all_patterns() if not is_admin(f) and not is_api(f)]
    names = {f.name for f in patterns if f.name}
    problems = [
        *(
            f"URL pattern {f.pattern!r} has no name: name it, then add it"
            for f in patterns
            if not f.name
        ),
        *(f"route {n} is missing from ROUTES" for n in sorted(names - set(ROUTES))),
        *(f"ROUTES lists {n}, which no longer exists" for n in sorted(set(ROUTES) - names)),
    ]
    assert not problems, "\n".join(problems)


def test_the_table_knows_an_unknown_value_for_every_argument() -> None:
    arguments = {key for name in ROUTES for key in ARGUMENTS.get(name, ())}
    assert not arguments - set(UNKNOWN), f"UNKNOWN needs a value for {arguments - set(UNKNOWN)}"


# --- The checklist, route by route --------------------------------------------------------------

PRIVATE = {name: route for name, route in ROUTES.items() if not route.public}
SCOPED = {name: route for name, route in PRIVATE.items() if route.scoped}


def cases(routes: Mapping[str, Route], methods: Callable[[Route], tuple[str, ...]]) -> list[Any]:
    return [
        pytest.param(name, method, id=f"{name}-{method}")
        for name, route in routes.items()
        for method in methods(route)
    ]


def url_of(name: str, world: World, **changes: Any) -> str:
    return reverse(name, kwargs={**ROUTES[name].kwargs(world), **changes})


def call(client: Client, method: str, url: str) -> HttpResponseBase:
    """The answer, its file read to the end (which closes it, as a WSGI server would)."""
    response: HttpResponseBase = getattr(client, method.lower())(url)
    body(response)
    return response


def said(response: HttpResponseBase) -> str:
    """The start of an answer, for the failure message."""
    if response.streaming:
        return f"{response.status_code} (streamed)"
    # Not streamed: an HttpResponse, which has `content` (the stubs type the base class).
    return f"{response.status_code}: {response.content[:300]!r}"  # type: ignore[attr-defined]


def client_of(world: World, persona: str) -> Client:
    return world.personas.client(persona)


@pytest.mark.parametrize(("name", "method"), cases(PRIVATE, lambda r: r.methods))
def test_anonymous_visitors_are_sent_to_the_login(name: str, method: str, world: World) -> None:
    url = url_of(name, world)
    response = call(Client(), method, url)
    assert response.status_code == 302, said(response)
    assert response["Location"].startswith(reverse("web:login") + "?next="), response["Location"]


@pytest.mark.parametrize(
    ("name", "method"), cases({n: r for n, r in ROUTES.items() if r.public}, lambda r: r.methods)
)
def test_public_routes_answer_anonymous_visitors(name: str, method: str, world: World) -> None:
    cache.clear()  # failed logins of other test modules must not make the login answer 429
    response = call(Client(), method, url_of(name, world))
    assert response.status_code == ROUTES[name].ok[method], said(response)


@pytest.mark.parametrize(("name", "method"), cases(PRIVATE, lambda r: r.methods))
def test_the_administrator_of_the_regency_is_served(name: str, method: str, world: World) -> None:
    response = call(client_of(world, "admin"), method, url_of(name, world))
    assert response.status_code == ROUTES[name].ok[method], said(response)


def variant_cases() -> list[Any]:
    return [
        pytest.param(name, index, id=f"{name}-{v.query or 'variant'}-{index}")
        for name, route in PRIVATE.items()
        for index, v in enumerate(route.variants)
    ]


@pytest.mark.parametrize(("name", "index"), variant_cases())
def test_every_download_of_a_route_is_scoped_like_it(name: str, index: int, world: World) -> None:
    route = ROUTES[name]
    variant = route.variants[index]
    changes = variant.kwargs(world) if variant.kwargs else {}
    url = url_of(name, world, **changes) + (f"?{variant.query}" if variant.query else "")
    response = call(client_of(world, "admin"), "GET", url)
    assert response.status_code == 200, said(response)
    assert response["Content-Disposition"].startswith("attachment"), response.headers
    assert call(client_of(world, "outsider"), "GET", url).status_code == 404
    facilitator = call(client_of(world, "facilitator"), "GET", url)
    assert facilitator.status_code == route.facilitator_status("GET"), said(facilitator)


@pytest.mark.parametrize(("name", "method"), cases(SCOPED, lambda r: r.methods))
def test_an_outsider_gets_404_for_anything_in_tanah_laut(
    name: str, method: str, world: World
) -> None:
    response = call(client_of(world, "outsider"), method, url_of(name, world))
    assert response.status_code == 404, said(response)


@pytest.mark.parametrize(("name", "method"), cases(SCOPED, lambda r: r.methods))
def test_a_desa_facilitator_gets_404_outside_their_desa(
    name: str, method: str, world: World
) -> None:
    """The facilitator of Sarang Halang, an editor there, sees nothing else of Tanah Laut."""
    response = call(client_of(world, "facilitator"), method, url_of(name, world))
    assert response.status_code == ROUTES[name].facilitator_status(method), said(response)


@pytest.mark.parametrize(("name", "method"), cases(PRIVATE, lambda r: r.methods))
def test_the_viewer_reads_but_may_not_write(name: str, method: str, world: World) -> None:
    response = call(client_of(world, "viewer"), method, url_of(name, world))
    assert response.status_code == ROUTES[name].viewer_status(method), said(response)


def _bad_cases() -> list[Any]:
    """(route, argument) pairs: every argument of every route, given an unknown value."""
    return [
        pytest.param(name, key, id=f"{name}-{key}")
        for name in PRIVATE
        for key in ARGUMENTS.get(name, ())
    ]


@pytest.mark.parametrize(("name", "key"), _bad_cases())
def test_an_unknown_id_or_code_is_404(name: str, key: str, world: World) -> None:
    route = ROUTES[name]
    url = url_of(name, world, **{key: UNKNOWN[key]})
    response = call(client_of(world, "admin"), route.methods[0], url)
    assert response.status_code == route.bad.get(key, 404), said(response)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        pytest.param(name, code, id=f"{name}-{code}")
        for name in SCOPED
        if "code" in ARGUMENTS[name]
        for code in ("63", "ID")
    ],
)
def test_the_province_and_the_nation_above_a_regency_are_404(
    name: str, code: str, world: World
) -> None:
    """A role in Tanah Laut covers what lies inside it, not the province or the country."""
    route = ROUTES[name]
    response = call(client_of(world, "admin"), route.methods[0], url_of(name, world, code=code))
    assert response.status_code == 404, said(response)


@pytest.mark.parametrize(
    ("name", "method"),
    cases(ROUTES, lambda r: tuple(m for m in METHODS if m not in r.methods)),
)
def test_other_methods_are_405(name: str, method: str, world: World) -> None:
    response = call(client_of(world, "admin"), method, url_of(name, world))
    assert response.status_code == 405, said(response)


# --- Django's admin site --------------------------------------------------------------------------


def admin_path(pattern: str) -> str:
    """A concrete path for an admin pattern: "1" for every argument, the first app of
    ``(?P<app_label>auth|audit|…)``, anything for the catch-all."""
    path = re.sub(r"<(?:\w+:)?\w+>", "1", pattern)
    path = re.sub(r"\(\?P<\w+>([\w|]+)\)", lambda m: m.group(1).split("|")[0], path)
    path = path.replace("(?P<url>.*)", "anything/")
    return "/" + path.replace("^", "").replace("$", "")


ADMIN_PATHS = sorted({admin_path(f.pattern) for f in all_patterns() if is_admin(f)})


@pytest.mark.parametrize("path", ADMIN_PATHS)
@pytest.mark.parametrize("persona", [None, "admin", "outsider"])
def test_the_django_admin_is_for_staff_only(path: str, persona: str | None, world: World) -> None:
    """Anonymous visitors and the product's own administrators (not staff) end on the admin's
    login page, whatever the admin URL."""
    client = Client() if persona is None else client_of(world, persona)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == reverse("admin:login"), response.redirect_chain
    assert response.context["form"] is not None  # the login form, not a page of data
