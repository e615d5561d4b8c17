"""The one access policy: who may view, add, change and delete which record.

Every channel (admin, web editors, API, commands) asks these functions; none decides by
itself. The policy is two small tables:

``ROLE_GRANTS``
    what a role may do: edit everything, edit the records of its own trajectories, or edit
    nothing; whether it deletes; whether it reads drafts.
``TRAJECTORY_BOUND``
    which records belong to trajectories, and how to find the trajectories of one record.
    Every other record of the programme (sources, sectors, organisations, initiatives,
    themes, advice, targets, memberships) is programme-wide: only coordinators edit it.

A user's access (roles, trajectory ids) is computed once and kept on the user object, so
that checking a list of records costs no query per record (for events and government
actions, prefetch ``trajectories``). The cache lives as long as the user object, i.e. one
request; :func:`access_forget` drops it after a change of memberships.

Proposals (four eyes, :mod:`imvo.proposals`): whoever edits a trajectory's records proposes
changes to it (:func:`can_propose`); a change is written only when another person approves it
(:func:`can_approve`): a coordinator (or superuser) any proposal, an SER secretariat member
the proposals for the trajectories its organisation convenes; a sector editor none; nobody
their own. Four eyes hold for everybody: a coordinator's own change is a proposal too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.db import models

from imvo.accounts.models import Membership
from imvo.accounts.roles import DOMAIN_APPS, EDITOR, NEVER_DELETED, READER

Role = Membership.Role


class Edits(Enum):
    ALL = "all"  # every record of the programme
    OWN_TRAJECTORIES = "own trajectories"  # the trajectory-bound records of its trajectories
    NOTHING = "nothing"


@dataclass(frozen=True)
class Grant:
    edits: Edits
    deletes: bool
    reads_drafts: bool


#: What each role may do. A user holding several roles gets the widest of each column.
ROLE_GRANTS: dict[str, Grant] = {
    Role.COORDINATOR: Grant(Edits.ALL, deletes=True, reads_drafts=True),
    Role.SER_SECRETARIAT: Grant(Edits.OWN_TRAJECTORIES, deletes=False, reads_drafts=True),
    Role.SECTOR_EDITOR: Grant(Edits.OWN_TRAJECTORIES, deletes=False, reads_drafts=True),
    Role.STAKEHOLDER: Grant(Edits.NOTHING, deletes=False, reads_drafts=True),
}

#: The legacy Django groups (:mod:`imvo.accounts.roles`) count as these roles.
LEGACY_GROUPS: dict[str, str] = {EDITOR: Role.COORDINATOR, READER: Role.STAKEHOLDER}


def _own_pk(obj: Any) -> set[int]:
    return {obj.pk} if obj.pk is not None else set()


def _trajectory_fk(obj: Any) -> set[int]:
    return {obj.trajectory_id} if obj.trajectory_id is not None else set()


def _linked_trajectories(obj: Any) -> set[int]:
    if obj.pk is None:
        return set()
    return {t.pk for t in obj.trajectories.all()}  # served by prefetch_related("trajectories")


#: Records that belong to trajectories: model label → the trajectory ids of one record.
#: A scoped editor edits a record when at least one of its trajectories is theirs; a record
#: with no trajectory (e.g. an event of the whole programme) only a coordinator edits.
TRAJECTORY_BOUND: dict[str, Callable[[Any], set[int]]] = {
    "trajectories.trajectory": _own_pk,
    "trajectories.participation": _trajectory_fk,
    "trajectories.phaserecord": _trajectory_fk,
    "trajectories.event": _linked_trajectories,
    "trajectories.governmentaction": _linked_trajectories,
    "agreements.agreement": _trajectory_fk,
}

#: Trajectory-bound records that only a coordinator adds: a new trajectory is a decision of
#: the programme, and a scoped editor's scope is known only once it exists.
COORDINATOR_ADDS = {"trajectories.trajectory"}

MEMBERSHIP = "accounts.membership"

#: The apps whose records the policy covers; anything else only a superuser handles.
PROGRAMME_APPS = {*DOMAIN_APPS, "accounts"}


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per user object."""

    edits_all: bool = False
    deletes: bool = False
    reads_drafts: bool = False
    trajectory_ids: frozenset[int] = frozenset()
    superuser: bool = False
    user_id: int | None = None


NO_ACCESS = Access()
_CACHE_ATTR = "_imvo_access"


def access_of(user: Any) -> Access:
    """The user's access; cached on the user object (see :func:`access_forget`)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = _compute(user)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def access_forget(user: Any) -> None:
    """Drop the cached access of ``user`` (after its memberships or groups changed)."""
    for attr in (_CACHE_ATTR, _APPROVAL_ATTR):
        if user is not None and hasattr(user, attr):
            delattr(user, attr)


def _compute(user: Any) -> Access:
    if user.is_superuser:
        return Access(True, True, True, superuser=True, user_id=user.pk)
    memberships = list(user.memberships.all())
    groups = user.groups.filter(name__in=LEGACY_GROUPS).values_list("name", flat=True)
    roles = {m.role for m in memberships} | {LEGACY_GROUPS[name] for name in groups}
    grants = [ROLE_GRANTS[role] for role in roles]
    edits_all = any(g.edits is Edits.ALL for g in grants)
    scoped = [m for m in memberships if ROLE_GRANTS[m.role].edits is Edits.OWN_TRAJECTORIES]
    return Access(
        edits_all=edits_all,
        deletes=any(g.deletes for g in grants),
        reads_drafts=any(g.reads_drafts for g in grants),
        trajectory_ids=frozenset() if edits_all else frozenset(_scoped_trajectories(scoped)),
        user_id=user.pk,
    )


def _scoped_trajectories(memberships: Iterable[Membership]) -> set[int]:
    """The trajectory ids that SER secretariat and sector editor memberships cover."""
    from imvo.trajectories.models import Participation, Trajectory

    convening: set[int] = set()  # SER secretariat: trajectories its organisation convenes
    taking_part: set[int] = set()  # sector editor: trajectories its organisation takes part in
    sectors: set[int] = set()  # sector editor: trajectories of the sector and its sub-sectors
    ids: set[int] = set()  # sector editor: one explicit trajectory
    for m in memberships:
        if m.role == Role.SER_SECRETARIAT:
            convening.add(m.organisation_id)
            continue
        for wanted, value in ((taking_part, m.organisation_id), (sectors, m.sector_id)):
            if value is not None:
                wanted.add(value)
        if m.trajectory_id is not None:
            ids.add(m.trajectory_id)
    scope = models.Q()
    if convening:
        scope |= models.Q(
            participations__role=Participation.Role.CONVENOR,
            participations__organisation__in=convening,
        )
    if taking_part:
        scope |= models.Q(participations__organisation__in=taking_part)
    if sectors:
        scope |= models.Q(sectors__in=_with_sub_sectors(sectors))
    if scope:
        ids |= set(Trajectory.objects.filter(scope).values_list("pk", flat=True).distinct())
    return ids


def _with_sub_sectors(sector_ids: set[int]) -> set[int]:
    from imvo.sectors.models import Sector

    children: dict[int | None, list[int]] = {}
    for pk, parent in Sector.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(sector_ids), list(sector_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _label(model_or_obj: Any) -> str:
    return model_or_obj._meta.label_lower


def _covered(label: str) -> bool:
    return label.split(".")[0] in PROGRAMME_APPS


def _is_published(obj: Any) -> bool:
    """Everything recorded today is published; a model may add ``is_published`` for drafts."""
    return bool(getattr(obj, "is_published", True))


# --- the public questions -------------------------------------------------------------------


def editable_trajectories(user: Any) -> set[int] | None:
    """The ids of the trajectories whose records ``user`` edits; None means all of them."""
    access = access_of(user)
    return None if access.edits_all else set(access.trajectory_ids)


def can_view(user: Any, obj: models.Model) -> bool:
    """Published records are public; memberships only coordinators and the member see."""
    access = access_of(user)
    label = _label(obj)
    if access.superuser:
        return True
    if not _covered(label):
        return False
    if label == MEMBERSHIP:
        return access.edits_all or (access.user_id is not None and obj.user_id == access.user_id)
    if _is_published(obj):
        return True
    return access.reads_drafts or can_edit(user, obj)


def can_edit(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may change ``obj`` (or save it, when it is new).

    When a change moves a record to another trajectory, ask for the stored record and for the
    changed one.
    """
    access = access_of(user)
    label = _label(obj)
    if access.superuser:
        return True
    if not _covered(label):
        return False
    if access.edits_all:
        return True
    trajectories_of = TRAJECTORY_BOUND.get(label)
    if trajectories_of is None:  # a programme-wide record
        return False
    return bool(trajectories_of(obj) & access.trajectory_ids)


def can_delete(user: Any, obj: models.Model) -> bool:
    """Only coordinators delete; phase records are history and nobody deletes them."""
    label = _label(obj)
    if label in NEVER_DELETED:
        return False
    access = access_of(user)
    return access.superuser or (_covered(label) and access.deletes)


def can_add(user: Any, model: type[models.Model] | models.Model) -> bool:
    """Whether ``user`` may add some record of ``model``.

    A scoped editor may add trajectory-bound records (not trajectories themselves); the
    channel then checks :func:`can_edit` on the new record, with its trajectory filled in,
    before saving (for events and government actions: the chosen trajectories must meet
    :func:`editable_trajectories`).
    """
    access = access_of(user)
    label = _label(model)
    if access.superuser:
        return True
    if not _covered(label):
        return False
    if access.edits_all:
        return True
    return (
        label in TRAJECTORY_BOUND and label not in COORDINATOR_ADDS and bool(access.trajectory_ids)
    )


# --- proposals and approval (four eyes) ---------------------------------------------------


@dataclass(frozen=True)
class Approval:
    """Whose proposals a user approves: all of them, or those of these trajectories."""

    approves_all: bool = False
    trajectory_ids: frozenset[int] = frozenset()


NO_APPROVAL = Approval()
_APPROVAL_ATTR = "_imvo_approval"

#: Roles that approve proposals: the ministry's coordinator any, the SER secretariat those of
#: the trajectories its organisation convenes. Sector editors and stakeholders approve none.
APPROVES_ALL = {Role.COORDINATOR}
APPROVES_CONVENED = {Role.SER_SECRETARIAT}


def approval_of(user: Any) -> Approval:
    """Whose proposals ``user`` approves; computed on first use and cached like the access."""
    access = access_of(user)
    if access is NO_ACCESS:
        return NO_APPROVAL
    cached = getattr(user, _APPROVAL_ATTR, None)
    if cached is None:
        cached = _compute_approval(user, access)
        setattr(user, _APPROVAL_ATTR, cached)
    return cached


def _compute_approval(user: Any, access: Access) -> Approval:
    if access.superuser:
        return Approval(approves_all=True)
    memberships = list(user.memberships.all())
    groups = user.groups.filter(name__in=LEGACY_GROUPS).values_list("name", flat=True)
    roles = {m.role for m in memberships} | {LEGACY_GROUPS[name] for name in groups}
    if roles & APPROVES_ALL:
        return Approval(approves_all=True)
    convening = {m.organisation_id for m in memberships if m.role in APPROVES_CONVENED}
    if not convening:
        return NO_APPROVAL
    from imvo.trajectories.models import Participation

    ids = (
        Participation.objects.current()
        .filter(role=Participation.Role.CONVENOR, organisation__in=convening)
        .values_list("trajectory_id", flat=True)
        .distinct()
    )
    return Approval(trajectory_ids=frozenset(ids))


def approvable_trajectories(user: Any) -> set[int] | None:
    """The ids of the trajectories whose proposals ``user`` approves; None means all."""
    approval = approval_of(user)
    return None if approval.approves_all else set(approval.trajectory_ids)


def can_propose(user: Any, trajectory: models.Model) -> bool:
    """Whether ``user`` may propose changes to ``trajectory``'s records: whoever edits them
    (coordinators, the SER secretariat of a convened trajectory, its sector editors)."""
    access = access_of(user)
    if access.superuser or access.edits_all:
        return True
    return trajectory.pk is not None and trajectory.pk in access.trajectory_ids


def can_approve(user: Any, proposal: Any) -> bool:
    """Whether ``user`` may approve (or reject) ``proposal`` now: it is pending, it is not
    their own, and they approve its trajectory's proposals."""
    if getattr(proposal, "status", None) != "pending":
        return False
    access = access_of(user)
    if access is NO_ACCESS or access.user_id == proposal.proposed_by_id:
        return False
    approval = approval_of(user)
    return approval.approves_all or proposal.trajectory_id in approval.trajectory_ids


def can_withdraw(user: Any, proposal: Any) -> bool:
    """Only the proposer withdraws a proposal, while it is pending."""
    access = access_of(user)
    return (
        getattr(proposal, "status", None) == "pending"
        and access is not NO_ACCESS
        and access.user_id == proposal.proposed_by_id
    )


def can_view_proposal(user: Any, proposal: Any) -> bool:
    """Proposals are not public: the proposer, the trajectory's editors and its approvers see
    them."""
    access = access_of(user)
    if access is NO_ACCESS:
        return False
    if access.user_id == proposal.proposed_by_id or access.superuser or access.edits_all:
        return True
    if proposal.trajectory_id in access.trajectory_ids:
        return True
    approval = approval_of(user)
    return approval.approves_all or proposal.trajectory_id in approval.trajectory_ids
