"""What a person reads in the audit log: actions as sentences, fields by their labels, values
by theirs ("Data RT diajukan untuk ditinjau"; "Volume 1a: 18 → 12"; "status: Draft → Diajukan").

Rule as data: one table per kind (actions, fields, the values of coded fields, fields never
shown). An action or field no table knows is shown as it is: a new action is never hidden.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import PurePosixPath

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: `AuditEntry.action` → what happened, as a sentence.
ACTIONS: dict[str, Promise] = {
    "observation.create": _("RT data entered"),
    "observation.update": _("RT data changed"),
    "observation.submit": _("RT data submitted for review"),
    "observation.approve": _("RT data approved"),
    "observation.return": _("RT data returned for correction"),
    "review.submit": _("Desa submitted for review"),
    "review.approve": _("Desa approved"),
    "review.return": _("Desa returned for correction"),
    "year.lock": _("Year locked"),
    "year.unlock": _("Year unlocked"),
    "rt.create": _("RT added"),
    "rt.polygon": _("RT outline changed"),
    "location.create": _("Location added"),
    "location.update": _("Location changed"),
    "location.geometry": _("Location polygon changed"),
    "location.polygon": _("Location polygon changed"),
    "sk.create": _("SK recorded"),
    "sk.update": _("SK changed"),
    "sk.version": _("New SK version recorded"),
    "sk.superseded": _("SK superseded"),
    "sk.location.add": _("Location added to the SK"),
    "investment.create": _("Investment recorded"),
    "investment.update": _("Investment changed"),
    "investment.delete": _("Investment deleted"),
    "uji_petik.draw": _("Uji petik sample drawn"),
    "uji_petik.item.create": _("Item added to the sample"),
    "uji_petik.item.purposive": _("Purposive item added to the sample"),
    "checklist.create": _("Uji petik checklist recorded"),
    "checklist.update": _("Uji petik checklist changed"),
    "finding.create": _("Finding recorded"),
    "follow_up.create": _("Follow-up agreed"),
    "follow_up.update": _("Follow-up changed"),
    "follow_up.close": _("Follow-up closed"),
    "follow_up.carry": _("Follow-up carried into a new uji petik"),
    "resurvey.update": _("Resurvey recorded"),
    "sosialisasi.create": _("Sosialisasi recorded"),
    "sosialisasi.update": _("Sosialisasi changed"),
    "sosialisasi.delete": _("Sosialisasi deleted"),
    "fgd.create": _("FGD recorded"),
    "fgd.update": _("FGD changed"),
    "fgd.delete": _("FGD deleted"),
    "membership.grant": _("Role granted"),
    "membership.revoke": _("Role revoked"),
    "user.create": _("Account created"),
    "user.deactivate": _("Account deactivated"),
    "user.password": _("Password changed"),
    "token.create": _("API token created"),
    "token.revoke": _("API token revoked"),
    "job.start": _("Job started"),
    "job.retry": _("Job retried"),
    "resurvey.create": _("Resurvey recorded"),
    "observation.photo": _("RT photo stored"),
    "observation.submission": _("RT survey submission received"),
    "regions.load": _("Regions loaded"),
    "unit_costs.save": _("Unit costs changed"),
    "unit_costs.reset": _("Unit costs reset to the defaults"),
    "user.invite": _("Account invited"),
    "user.reactivate": _("Account reactivated"),
}

#: A stored field (or a JSON field's key, "volumes.1a") → its label.
FIELDS: dict[str, Promise] = {
    "luas_ha": _("area (ha)"),
    "jumlah_bangunan": _("number of buildings"),
    "jumlah_penduduk": _("population"),
    "jumlah_kk": _("number of households"),
    "panjang_jalan_ideal_m": _("ideal road length (m)"),
    "panjang_drainase_ideal_m": _("ideal drain length (m)"),
    "status": _("status"),
    "source": _("source"),
    "rule_set": _("rule set"),
    "typology": _("typology"),
    "name": _("name"),
    "code": _("code"),
    "tahun": _("year"),
    # Fields of the other records the log shows (investments, SK, fieldwork, uji petik, users).
    "year": _("year"),
    "date": _("date"),
    "number": _("number"),
    "total_ha": _("total area (ha)"),
    "area_ha": _("area (ha)"),
    "desa": _("desa/kelurahan"),
    "desa_id": _("desa/kelurahan"),
    "kecamatan": _("kecamatan"),
    "location": _("location"),
    "rt": _("RT"),
    "region": _("region"),
    "role": _("role"),
    "user": _("user"),
    "username": _("username"),
    "purpose": _("purpose"),
    "activity": _("activity"),
    "cost": _("cost (Rp)"),
    "criterion": _("criterion"),
    "funding_source": _("funding source"),
    "unit": _("unit"),
    "volume": _("volume"),
    "note": _("note"),
    "notes": _("notes"),
    "title": _("title"),
    "place": _("place"),
    "participants": _("participants"),
    "attachment_name": _("attachment"),
    "deadline": _("deadline"),
    "finding": _("finding"),
    "responsible": _("responsible"),
    "action": _("action"),
    "closing_evidence": _("closing evidence"),
    "description": _("description"),
    "severity": _("severity"),
    "sample_item": _("sample item"),
    "investment": _("investment"),
    "position": _("position"),
    "purposive": _("purposive"),
    "stratum": _("stratum"),
    "allocation": _("allocation"),
    "min_per_stratum": _("minimum per stratum"),
    "n_requested": _("sample size asked for"),
    "population": _("population"),
    "seed": _("seed"),
    "strata_fields": _("strata"),
    "locked": _("locked"),
    "locked_at": _("locked at"),
    "locked_by": _("locked by"),
    "facilitator": _("facilitator"),
    "measured_by": _("measured by"),
    "measured_on": _("measured on"),
    "observation_id": _("RT data"),
    "carried_from": _("carried from"),
    "uji_petik": _("uji petik"),
    "superseded_by": _("superseded by"),
    "attempts": _("attempts"),
    "is_active": _("active"),
    "instance_id": _("submission"),
    "polygon": _("outline"),
    "closing_file": _("closing file"),
}

#: Prefixes of JSON fields shown key by key: "volumes.1a" → "Volume 1a".
KEYED: dict[str, Promise] = {
    "volumes": _("Volume %(key)s"),
    "percents": _("Percentage %(key)s"),
    "volumes_found": _("Volume found %(key)s"),
    "unit_costs": _("Unit cost %(key)s"),
}

#: Fields a person has no use for in the log (file digests, internal ids).
#: A stored file's path ("file") is the server's business; its name is shown.
HIDDEN = frozenset({"file_sha256", "sha256", "version", "id", "file"})

#: Fields holding a region's code ("63.01.03.1001"): shown by the region's name.
REGION_FIELDS = frozenset({"region", "desa", "desa_id", "kecamatan", "kabupaten", "kabupaten_id"})

#: Fields pointing at another record → its model ("app.Model", read through the app registry),
#: the field the value matches (an id, or a key) and how the record reads, from its fields
#: ("TL-01 Kawasan Benua Lawas"). A record since deleted shows the value as it is.
REFERENCES: dict[str, tuple[str, str, str]] = {
    "location": ("slums.Location", "pk", "{code} {name}"),
    "rt": ("slums.RtUnit", "pk", "RT {rt} · {location__code}"),
    "investment": ("investments.Investment", "pk", "{activity} ({tahun})"),
    "finding": ("inspections.Finding", "pk", "{description:.60}"),
    "sample_item": ("inspections.SampleItem", "pk", "UP{uji_petik_id}-{position}"),
    "observation_id": (
        "surveys.Observation",
        "pk",
        "RT {rt__rt} · {rt__location__code} · {tahun}",
    ),
    "uji_petik": ("inspections.UjiPetik", "pk", "{title}"),
    "carried_from": ("inspections.FollowUp", "pk", "{action:.60}"),
    "superseded_by": ("slums.SkDecree", "pk", "SK {number} ({year})"),
    # Items drawn before the stratum was recorded by its label hold its key ("63.01.03|2").
    "stratum": ("inspections.SampleItem", "stratum_key", "{stratum_label}"),
}

#: Fields whose whole numbers are names, not amounts: never grouped by thousands (a year
#: reads "2021", not "2.021"; a seed is typed back as it is; ids and positions).
AS_IS = frozenset(
    {
        "tahun",
        "year",
        "seed",
        "position",
        "rt",
        "location",
        "investment",
        "finding",
        "sample_item",
        "observation_id",
        "uji_petik",
        "carried_from",
        "code",
        "number",
    }
)


#: Coded fields of other records → the models ("app.Model") whose field of that name holds
#: the choices, first match wins. Read through the app registry: each app names its own choices.
CODED: dict[str, tuple[str, ...]] = {
    # Status of an RT-year (surveys, below) first; then a follow-up's, an investment's.
    "status": ("inspections.FollowUp", "investments.Investment"),
    "role": ("accounts.Membership",),
    "severity": ("inspections.Finding",),
    "funding_source": ("investments.Investment",),
    "allocation": ("inspections.UjiPetik",),
    "population": ("inspections.UjiPetik",),
    "quality": ("inspections.Checklist",),
    "function": ("inspections.Checklist",),
}


def _registry_label(kind: str, value: str) -> str:
    from django.apps import apps

    for dotted in CODED.get(kind, ()):
        field = apps.get_model(dotted)._meta.get_field(kind)
        for code, label in getattr(field, "choices", None) or ():
            if code == value:
                return str(label)
    return value


def _choices(kind: str) -> Callable[[str], str]:
    """The label of a coded value of one kind (imported late: the apps' models)."""

    def label(value: str) -> str:
        if kind == "status":
            from sikumuh.surveys.models import Status

            found = dict(Status.choices).get(value)
            return str(found) if found is not None else _registry_label(kind, value)
        if kind in CODED:
            return _registry_label(kind, value)
        if kind == "source":
            from sikumuh.surveys.models import Source

            return str(dict(Source.choices).get(value, value))
        if kind == "rule_set":
            return rule_set_label(value)
        from sikumuh.core.handling import Typology

        try:
            return Typology(value).label_id
        except ValueError:
            return value

    return label


#: How the importers record an outline: "MultiPolygon (412 positions)" (io.motorkawanku).
_OUTLINE = re.compile(r"(?P<kind>\w+) \((?P<count>\d+) positions\)")


def outline_label(text: str) -> str:
    """ "poligon, 412 titik" for "Polygon (412 positions)"; other text as it is."""
    match = _OUTLINE.fullmatch(text)
    if match is None:
        return text
    kind = {"Polygon": _("polygon"), "MultiPolygon": _("multipolygon")}.get(match["kind"])
    return str(_("%(kind)s, %(count)s points")) % {
        "kind": kind if kind is not None else match["kind"],
        "count": number_format(int(match["count"]), force_grouping=True),
    }


#: Fields whose values are codes → how each value reads.
VALUES: dict[str, Callable[[str], str]] = {
    **{
        kind: _choices(kind)
        for kind in ("source", "rule_set", "typology", *CODED)  # CODED holds "status"
    },
    "polygon": outline_label,
    # A stored file by its name: the folders it sits in are the server's business.
    "closing_file": lambda path: PurePosixPath(path).name,
}


def rule_set_label(rule_set_id: str) -> str:
    """ "Permen PUPR 14/2018" for "permen-pupr-14-2018" (the id itself when unknown)."""
    from sikumuh.core.criteria import UnknownRuleSet, get_rule_set

    try:
        title = get_rule_set(rule_set_id).title
    except UnknownRuleSet:
        return rule_set_id
    # "Permen PUPR No. 14/PRT/M/2018 (16 kriteria, …)" → "Permen PUPR 14/2018"
    regulation = title.split(" (")[0]
    parts = regulation.replace("No. ", "").split("/")
    return f"{parts[0]}/{parts[-1]}" if len(parts) > 2 else regulation


def action_label(action: str) -> str:
    found = ACTIONS.get(action)
    return str(found) if found is not None else action


#: Extra labels for fields the models name without a verbose name of their own.
MODEL_FIELDS_EXTRA: dict[str, Promise] = {
    "latitude": _("latitude"),
    "longitude": _("longitude"),
    "submitted_at": _("submitted at"),
    "sumber": _("source"),
}


@functools.cache
def _model_labels() -> dict[str, Promise]:
    """Field name → the verbose name a model of the project gives it (a translated string):
    the log's records are the models' own rows, so their labels are the models' labels. The
    first model (in app order) naming a field wins; names left plain by the models are not taken
    (Django would make "volume planned" of `volume_planned`, which is English)."""
    from django.apps import apps

    labels: dict[str, Promise] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("sikumuh."):
            continue
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if isinstance(verbose, Promise):
                labels.setdefault(field.name, verbose)
    return labels


def field_label(name: str) -> str:
    prefix, _dot, key = name.partition(".")
    if key and prefix in KEYED:
        return str(KEYED[prefix]) % {"key": key}
    found = FIELDS.get(name) or MODEL_FIELDS_EXTRA.get(name) or _model_labels().get(name)
    return str(found) if found is not None else name


@functools.cache
def _app_values(name: str) -> Callable[[str], str] | None:
    """The labels an app above audit gives the codes of one of its fields (its AppConfig's
    ``audit_value_labels()``), read through the app registry: each app declares its own words."""
    from django.apps import apps

    for config in apps.get_app_configs():
        offered = getattr(config, "audit_value_labels", None)
        found = offered().get(name) if offered is not None else None
        if found is not None:
            return found  # type: ignore[no-any-return]  # an app's table of label functions
    return None


def value_label(name: str, text: str) -> str:
    """A field's shown value by its label when the field holds codes: this module's tables
    first, then the app that owns the field (a job's status, an uji petik's strata fields)."""
    label = VALUES.get(name)
    shown = label(text) if label is not None else text
    if shown == text:
        offered = _app_values(name)
        shown = offered(text) if offered is not None else text
    return shown
