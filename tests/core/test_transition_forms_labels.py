"""The steps' forms (templates/includes/transition_forms.html): where a page offers several steps,
each 说明 field is named after its step, so a screen reader does not hear 「说明」 twice."""

import re

from django.template.loader import render_to_string

from greenmfg.core.workflow import Transition

STEPS = [
    Transition("a", "onsite", "b", frozenset({"city"}), "安排现场核查"),
    Transition("a", "fail", "c", frozenset({"city"}), "评审不通过", needs_comment=True),
]


def test_each_comment_field_is_labelled_with_its_step():
    html = render_to_string(
        "includes/transition_forms.html",
        {"transitions": [{"transition": t, "refusals": []} for t in STEPS], "action_url": "/x/"},
    )

    labels = re.findall(r'<label for="comment-(\w+)">(.*?)</label>', html, flags=re.S)
    spoken = {action: re.sub(r"<[^>]+>", "", text) for action, text in labels}
    assert spoken == {"onsite": "说明（安排现场核查）", "fail": "说明（评审不通过）*"}
