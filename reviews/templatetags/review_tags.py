from django import template

from greenmfg.accounts.roles import Role
from reviews.checklists import REQUIRED_DEPARTMENTS, REQUIRED_DEPARTMENTS_CITATION
from reviews.forms.review import CountyReviewForm, OpinionRequestForm
from reviews.selectors.review import (
    county_review_of,
    department_choices,
    opinions_for,
    quota_with_usage,
)

register = template.Library()


@register.inclusion_tag("reviews/county_review_panel.html", takes_context=True)
def county_review_panel(context, application):
    """The county's initial review on the application page: checklist, opinions, quota."""
    user = context["request"].user
    review = county_review_of(application=application)
    initial = {"rank": review.rank, "notes": review.notes} if review else {}
    if review:
        initial.update({f"check_{code}": value for code, value in review.checklist.items()})
    can_act = application.status == "county_review" and (
        user.role == Role.COUNTY_OFFICIAL or user.is_sysadmin
    )
    quota = quota_with_usage(application=application)
    # The departments are read once: the required ones are ticked from these rows, and the
    # checkboxes are rendered from them rather than from a second read of the queryset.
    departments = department_choices(application=application)
    rows = list(departments)
    required = REQUIRED_DEPARTMENTS.get(application.batch.policy, ())
    opinion_form = OpinionRequestForm(
        departments=departments,
        initial={"departments": [d.pk for d in rows if d.department in required]},
    )
    field = opinion_form.fields["departments"]
    field.widget.choices = [(d.pk, field.label_from_instance(d)) for d in rows]
    return {
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
        "application": application,
        "review": review,
        "form": CountyReviewForm(unit_type=application.unit_type, initial=initial),
        "opinion_form": opinion_form,
        "has_departments": bool(rows),
        "opinions": opinions_for(application=application),
        "required_citation": REQUIRED_DEPARTMENTS_CITATION.get(application.batch.policy, ""),
        "quota": quota,
        "quota_used": quota.used if quota else None,
        "can_act": can_act,
    }
