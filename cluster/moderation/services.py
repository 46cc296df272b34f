"""The rules of moderation cases: who may see and do what, drafting, the personal-data gate on
sharing, blind judging, closing, outcomes, anonymous statistics, the view log, attachments and
the purge. Flush, never commit.

Access (least privilege: this is special category data about children):

- the network's **organisers** see every shared case, with the school even when hidden, close
  judging and record the outcome; they do not judge;
- **members** (SENCOs of the network's schools) see shared cases and judge those they did not
  submit; the **submitter** sees their own case in every state and edits it while a draft;
- network **observers** see and judge only the cases an organiser invited them to;
- **org admins** who hold no role in the network see no case content (their admin role is
  about accounts and settings, not pupils); they do manage the scale.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from cluster.auth.models import User
from cluster.extensions import db, utcnow
from cluster.meetings.models import Meeting
from cluster.moderation import pii
from cluster.moderation.cohort import SchoolFacts, identification_risks
from cluster.moderation.models import (
    EVIDENCE,
    AgreementRecord,
    CaseAttachment,
    CaseObserver,
    CaseView,
    Judgment,
    ModerationCase,
)
from cluster.moderation.scale import levels_of, scale_of
from cluster.networks.access import NetworkAccess
from cluster.networks.models import Network, NetworkSchool
from cluster.resources.files import UploadProblem, check_file, extract_text
from cluster.resources.storage import FileStorage
from cluster.schools.models import School
from cluster.tenancy.models import Membership

#: The text fields the personal-data checker reads, with their labels.
TEXT_FIELDS = EVIDENCE


@dataclass(frozen=True)
class CaseAccess:
    can_view: bool = False
    is_submitter: bool = False
    can_edit: bool = False
    can_judge: bool = False
    can_organise: bool = False
    #: Sees which school submitted it (organisers and the submitter always; others unless hidden).
    sees_school: bool = False


def case_access(
    membership: Membership, network_access: NetworkAccess, case: ModerationCase, invited: bool
) -> CaseAccess:
    """What ``membership`` may do with ``case`` (see the module docstring)."""
    role = network_access.role
    is_submitter = case.submitted_by_id == membership.user_id
    if is_submitter:
        return CaseAccess(
            can_view=True,
            is_submitter=True,
            can_edit=case.status == "draft",
            can_organise=role == "organiser" and case.status != "draft",
            sees_school=True,
        )
    if case.status in ("draft", "withdrawn"):
        return CaseAccess()
    if role == "organiser":
        return CaseAccess(can_view=True, can_organise=True, sees_school=True)
    if role == "member" or (role == "observer" and invited):
        return CaseAccess(can_view=True, can_judge=case.status == "open", sees_school=not case.hide_school)
    return CaseAccess()


def is_invited(case: ModerationCase, user_id: int) -> bool:
    return (
        db.session.scalar(
            sa.select(CaseObserver.user_id).where(
                CaseObserver.case_id == case.id, CaseObserver.user_id == user_id
            )
        )
        is not None
    )


# Drafting ------------------------------------------------------------------------------------------


@dataclass
class CaseDraft:
    year_group: str = ""
    primary_need: str = ""
    secondary_need: str = ""
    current_level_id: int | None = None
    proposed_level_id: int | None = None
    texts: dict[str, str] = field(default_factory=dict)
    parents_know: bool = False
    anonymised: bool = False
    hide_school: bool = False


def _apply(case: ModerationCase, draft: CaseDraft) -> None:
    allowed = {level.id for level in levels_of(case.organisation_id)}
    case.year_group, case.primary_need = draft.year_group, draft.primary_need
    case.secondary_need = draft.secondary_need if draft.secondary_need != draft.primary_need else ""
    case.current_level_id = draft.current_level_id if draft.current_level_id in allowed else None
    case.proposed_level_id = draft.proposed_level_id if draft.proposed_level_id in allowed else None
    for name in TEXT_FIELDS:
        setattr(case, name, (draft.texts.get(name) or "").strip())
    case.parents_know, case.anonymised, case.hide_school = (
        draft.parents_know,
        draft.anonymised,
        draft.hide_school,
    )
    case.updated_at = utcnow()


def create_case(network: Network, submitter: User, school_id: int | None, draft: CaseDraft) -> ModerationCase:
    """A draft case of ``network`` by ``submitter`` (nobody else sees a draft)."""
    case = ModerationCase(
        organisation_id=network.organisation_id,
        network_id=network.id,
        school_id=school_id,
        submitted_by_id=submitter.id,
        status="draft",
    )
    _apply(case, draft)
    db.session.add(case)
    db.session.flush()
    return case


def save_draft(case: ModerationCase, draft: CaseDraft) -> None:
    """Saving a draft always works: nothing typed is lost, whatever the checks say."""
    if case.status != "draft":
        raise ValueError("only a draft can be edited")
    _apply(case, draft)
    db.session.flush()


# The personal-data gate ----------------------------------------------------------------------------


@dataclass
class ShareCheck:
    """What stops a case being shared: findings per place ("apdr", "attachment-12"), and missing
    confirmations or details."""

    findings: dict[str, list] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def blocks(self) -> bool:
        return any(f.severity == "block" for found in self.findings.values() for f in found)

    @property
    def warnings(self) -> bool:
        return any(f.severity == "warn" for found in self.findings.values() for f in found)

    def ok(self, warnings_acknowledged: bool) -> bool:
        return not self.missing and not self.blocks and (warnings_acknowledged or not self.warnings)


def attachments_of(case: ModerationCase) -> list[CaseAttachment]:
    return list(
        db.session.scalars(
            sa.select(CaseAttachment).where(CaseAttachment.case_id == case.id).order_by(CaseAttachment.id)
        )
    )


def check_for_sharing(case: ModerationCase, attachments: list[CaseAttachment]) -> ShareCheck:
    """Run the personal-data checker over every text field and the text inside every attachment,
    and check the details and confirmations sharing needs."""

    texts = {name: getattr(case, name) or "" for name in TEXT_FIELDS}
    for attachment in attachments:
        texts[f"attachment-{attachment.id}"] = attachment.extracted_text or ""
    check = ShareCheck(findings=pii.check_fields({k: v for k, v in texts.items() if v}), texts=texts)
    if not case.year_group:
        check.missing["year_group"] = "Choose the pupil's year group"
    if not case.primary_need:
        check.missing["primary_need"] = "Choose the primary need"
    if case.proposed_level_id is None:
        check.missing["proposed_level_id"] = "Choose the level your school proposes"
    if not case.question.strip():
        check.missing["question"] = "Enter the question for the network"
    if not case.parents_know:
        check.missing["parents_know"] = "Confirm that the parents know the case is being discussed"
    if not case.anonymised:
        check.missing["anonymised"] = "Confirm that the case is anonymised"
    return check


class ShareRefused(ValueError):
    def __init__(self, check: ShareCheck):
        super().__init__("the case cannot be shared yet")
        self.check = check


def share(case: ModerationCase, *, warnings_acknowledged: bool, now: datetime | None = None) -> ShareCheck:
    """Open the draft for judging, only if nothing blocks it (raises :class:`ShareRefused`)."""
    check = check_for_sharing(case, attachments_of(case))
    if not check.ok(warnings_acknowledged):
        raise ShareRefused(check)
    case.status, case.shared_at = "open", now or utcnow()
    db.session.flush()
    return check


def withdraw(case: ModerationCase) -> None:
    case.status = "withdrawn"
    db.session.flush()


# Judging -------------------------------------------------------------------------------------------


def judgment_of(case: ModerationCase, user_id: int) -> Judgment | None:
    return db.session.scalar(
        sa.select(Judgment).where(Judgment.case_id == case.id, Judgment.user_id == user_id)
    )


def record_judgment(
    case: ModerationCase, user: User, level_id: int, rationale: str, now: datetime | None = None
) -> Judgment:
    """Record or change ``user``'s judgment while judging is open."""
    now = now or utcnow()
    if case.status != "open" or closes_at(case) is not None and closes_at(case) <= now:
        raise ValueError("judging of this case has closed")
    if level_id not in {level.id for level in levels_of(case.organisation_id)}:
        raise ValueError("not a level of the scale")
    judgment = judgment_of(case, user.id)
    if judgment is None:
        judgment = Judgment(
            organisation_id=case.organisation_id, case_id=case.id, user_id=user.id, created_at=now
        )
        db.session.add(judgment)
    judgment.level_id, judgment.rationale, judgment.updated_at = level_id, rationale.strip()[:1000], now
    db.session.flush()
    return judgment


def closes_at(case: ModerationCase) -> datetime | None:
    """When judging closes: the set time, or the linked meeting's start, whichever is first."""
    times = [t for t in (case.closes_at, case.meeting.starts_at if case.meeting else None) if t is not None]
    return min(times) if times else None


def may_see_judgments(case: ModerationCase, access: CaseAccess, has_judged: bool) -> bool:
    """Blind judging: others' judgments and the distribution are shown only to those who have
    judged, and to everyone with access once judging has closed."""
    return access.can_view and (case.status == "closed" or (access.can_judge and has_judged))


def judgments_of(case: ModerationCase) -> list[Judgment]:
    return list(
        db.session.scalars(sa.select(Judgment).where(Judgment.case_id == case.id).order_by(Judgment.id))
    )


def judgment_count(case: ModerationCase) -> int:
    return db.session.scalar(sa.select(sa.func.count(Judgment.id)).where(Judgment.case_id == case.id)) or 0


def close_judging(case: ModerationCase, now: datetime | None = None) -> None:
    if case.status == "open":
        case.status, case.closed_at = "closed", now or utcnow()
        db.session.flush()


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def record_outcome(case: ModerationCase, level_id: int, reason: str, now: datetime | None = None) -> None:
    """Close judging if open, record the agreed outcome, set the retention date (the
    organisation's months after the outcome) and write the case's anonymous statistics row."""
    now = now or utcnow()
    levels = levels_of(case.organisation_id)
    positions = {level.id: position for position, level in enumerate(levels)}
    if level_id not in positions:
        raise ValueError("not a level of the scale")
    close_judging(case, now)
    case.outcome_level_id, case.outcome_reason, case.outcome_at = level_id, reason.strip(), now
    scale = scale_of(case.organisation_id)
    case.retention_until = add_months(now.date(), scale.retention_months if scale else 12)
    judged = sorted(positions[j.level_id] for j in judgments_of(case) if j.level_id in positions)
    record = db.session.get(AgreementRecord, case.agreement_record_id) if case.agreement_record_id else None
    if record is None:
        record = AgreementRecord(organisation_id=case.organisation_id, network_id=case.network_id)
        db.session.add(record)
    record.closed_on = (case.closed_at or now).date()
    record.scale_size, record.levels = len(levels), judged
    record.proposed_position = positions.get(case.proposed_level_id)
    record.outcome_position = positions[level_id]
    db.session.flush()
    case.agreement_record_id = record.id
    db.session.flush()


def set_arrangements(
    case: ModerationCase,
    *,
    closes: datetime | None,
    meeting_id: int | None,
    agenda_slot_id: int | None,
    observer_ids: list[int],
) -> None:
    """The organiser's choices: closing time, meeting and agenda slot, invited observers."""
    case.closes_at, case.meeting_id, case.agenda_slot_id = closes, meeting_id, agenda_slot_id
    db.session.execute(sa.delete(CaseObserver).where(CaseObserver.case_id == case.id))
    db.session.add_all(
        CaseObserver(organisation_id=case.organisation_id, case_id=case.id, user_id=uid)
        for uid in sorted(set(observer_ids))
    )
    db.session.flush()
    db.session.expire(case, ["meeting"])


def close_due(now: datetime) -> int:
    """Close judging of open cases whose closing time or meeting start has passed."""

    due = (
        db.session.scalars(
            sa.select(ModerationCase)
            .outerjoin(Meeting, Meeting.id == ModerationCase.meeting_id)
            .where(
                ModerationCase.status == "open",
                sa.or_(ModerationCase.closes_at <= now, Meeting.starts_at <= now),
            )
        )
        .unique()
        .all()
    )
    for case in due:
        close_judging(case, now)
    return len(due)


# The audit log -------------------------------------------------------------------------------------


def record_view(case: ModerationCase, user: User, what: str = "case", now: datetime | None = None) -> None:
    db.session.add(
        CaseView(
            organisation_id=case.organisation_id,
            case_id=case.id,
            user_id=user.id,
            what=what[:200],
            viewed_at=now or utcnow(),
        )
    )
    db.session.flush()


# Attachments ---------------------------------------------------------------------------------------


def add_attachment(
    case: ModerationCase, user: User, store: FileStorage, file_name: str, data: bytes, max_bytes: int
) -> CaseAttachment:
    """Check the file as the library does (raises :class:`UploadProblem`), store it by hash in
    the moderation folder, and keep its text for the personal-data check."""
    if case.status != "draft":
        raise UploadProblem("Files can only be added to a draft")
    checked = check_file(file_name, data, max_bytes)
    text = extract_text(checked.content_type, data)
    digest = store.save(data)
    attachment = CaseAttachment(
        organisation_id=case.organisation_id,
        case_id=case.id,
        content_hash=digest,
        file_name=checked.file_name,
        content_type=checked.content_type,
        size=len(data),
        extracted_text=text,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    return attachment


def remove_attachment(attachment: CaseAttachment) -> list[str]:
    """Delete the attachment's row; return its hash if no other attachment uses the file."""
    digest = attachment.content_hash
    db.session.delete(attachment)
    db.session.flush()
    return unused_hashes([digest])


def unused_hashes(hashes: list[str]) -> list[str]:
    if not hashes:
        return []
    used = set(
        db.session.scalars(
            sa.select(CaseAttachment.content_hash).where(CaseAttachment.content_hash.in_(set(hashes)))
        )
    )
    return sorted(set(hashes) - used)


def remove_files(store: FileStorage, hashes: list[str]) -> None:
    for digest in hashes:
        store.delete(digest)


# Retention -----------------------------------------------------------------------------------------


def purge_expired(today: date) -> tuple[int, list[str]]:
    """Delete, for good, every case whose retention date has come: judgments, views, observers,
    attachment rows and the case. The anonymous statistics stay. Returns the number purged and
    the file hashes nothing refers to any more (the caller deletes them after the commit)."""
    ids = list(
        db.session.scalars(sa.select(ModerationCase.id).where(ModerationCase.retention_until <= today))
    )
    if not ids:
        return 0, []
    hashes = list(
        db.session.scalars(sa.select(CaseAttachment.content_hash).where(CaseAttachment.case_id.in_(ids)))
    )
    for model in (Judgment, CaseView, CaseObserver, CaseAttachment):
        db.session.execute(sa.delete(model).where(model.case_id.in_(ids)))
    db.session.execute(sa.delete(ModerationCase).where(ModerationCase.id.in_(ids)))
    db.session.flush()
    db.session.expire_all()
    return len(ids), unused_hashes(hashes)


# Small cohorts -------------------------------------------------------------------------------------


def cohort_risks(case: ModerationCase) -> list[str]:
    """:func:`cluster.moderation.cohort.identification_risks` for this case's school and network."""

    school = case.school
    if school is None:
        return []
    others = db.session.scalars(
        sa.select(School)
        .join(NetworkSchool, NetworkSchool.school_id == School.id)
        .where(NetworkSchool.network_id == case.network_id, School.id != school.id)
    ).all()
    facts = SchoolFacts(
        phase_group=school.phase_group,
        is_special=school.is_special,
        number_on_roll=getattr(school, "number_on_roll", None),
        others_in_phase=sum(1 for other in others if other.phase_group == school.phase_group),
    )
    return identification_risks(
        facts, case.year_group, [n for n in (case.primary_need, case.secondary_need) if n]
    )
