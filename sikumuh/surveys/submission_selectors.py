"""Reads of what a phone submission brought beside an RT-year's values: its GPS point and the
photos per criterion (stored by `surveys.actions.record_submissions`), for the RT pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from sikumuh.surveys.models import Observation, ObservationPhoto, ObservationSubmission


@dataclass(frozen=True)
class SubmissionMedia:
    """The latest submission of an RT-year (None: not from a phone) and its photos, one per
    criterion (the latest submission's where several sent one), in criterion order."""

    submission: ObservationSubmission | None = None
    photos: list[ObservationPhoto] = field(default_factory=list)


def submission_media(observation: Observation | None) -> SubmissionMedia:
    """One query for an RT-year not from a phone, two otherwise; none without an RT-year."""
    if observation is None:
        return SubmissionMedia()
    latest = observation.submissions.order_by("-imported_at", "-id").first()
    if latest is None:
        return SubmissionMedia()
    by_criterion: dict[str, ObservationPhoto] = {}
    for photo in ObservationPhoto.objects.filter(submission__observation=observation).order_by(
        "-submission__imported_at", "-submission_id"
    ):
        by_criterion.setdefault(photo.criterion, photo)
    return SubmissionMedia(latest, [by_criterion[code] for code in sorted(by_criterion)])
