"""The org admin's pages for the organisation's moderation scale and retention setting."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from cluster.extensions import db
from cluster.moderation import scale as scales
from cluster.moderation.forms import ActionForm, LevelForm, ScaleForm
from cluster.moderation.models import ScaleLevel
from cluster.moderation.views import bp
from cluster.tenancy.access import get_for_organisation, org_admin_required


def _render_scale(form: ScaleForm | None = None, level_form: LevelForm | None = None):
    scale = scales.scale_of(g.organisation.id)
    levels = scales.levels_of(g.organisation.id)
    if form is None:
        form = ScaleForm(
            data={
                "name": scale.name if scale else "Levels of need",
                "description": scale.description if scale else "",
                "retention_months": scale.retention_months if scale else 12,
            }
        )
    return render_template(
        "moderation/scale.html",
        scale=scale,
        levels=levels,
        form=form,
        level_form=level_form or LevelForm(formdata=None),
        action_form=ActionForm(),
    )


@bp.route("/moderation/scale", methods=["GET", "POST"])
@org_admin_required
def scale():
    form = ScaleForm() if request.method == "POST" else None
    if form is not None and form.validate_on_submit():
        scale = scales.ensure_scale(g.organisation.id)
        scales.update_settings(
            scale,
            name=form.name.data,
            description=form.description.data or "",
            retention_months=form.retention_months.data,
        )
        db.session.commit()
        flash("Moderation settings saved.", "success")
        return redirect(url_for(".scale"))
    return _render_scale(form)


@bp.post("/moderation/scale/levels")
@org_admin_required
def add_level():
    form = LevelForm()
    if form.validate_on_submit():
        scale = scales.ensure_scale(g.organisation.id)
        level = scales.add_level(scale, form.label.data, form.descriptor.data or "")
        db.session.commit()
        flash(f"Level “{level.label}” added.", "success")
        return redirect(url_for(".scale"))
    return _render_scale(level_form=form)


@bp.route("/moderation/scale/levels/<int:level_id>", methods=["GET", "POST"])
@org_admin_required
def edit_level(level_id: int):
    level = get_for_organisation(ScaleLevel, level_id)
    form = LevelForm(
        data=None if request.method == "POST" else {"label": level.label, "descriptor": level.descriptor}
    )
    if form.validate_on_submit():
        scales.edit_level(level, form.label.data, form.descriptor.data or "")
        db.session.commit()
        flash("Level saved.", "success")
        return redirect(url_for(".scale"))
    return render_template("moderation/level.html", level=level, form=form)


@bp.post("/moderation/scale/levels/<int:level_id>/move")
@org_admin_required
def move_level(level_id: int):
    level = get_for_organisation(ScaleLevel, level_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    scales.move_level(level, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for(".scale"))


@bp.post("/moderation/scale/levels/<int:level_id>/delete")
@org_admin_required
def delete_level(level_id: int):
    level = get_for_organisation(ScaleLevel, level_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        scales.delete_level(level)
    except scales.LevelInUse as problem:
        db.session.rollback()
        flash(str(problem), "important")
    else:
        db.session.commit()
        flash("Level deleted.", "success")
    return redirect(url_for(".scale"))
