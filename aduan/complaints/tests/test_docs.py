from pathlib import Path

from django.conf import settings

from aduan.complaints.workflow.docs import render_generated
from aduan.complaints.workflow.states import TRANSITIONS


def test_workflow_doc_matches_the_transition_table():
    """R6: docs/workflow.md shows exactly the transition table the code enforces
    (regenerate with `manage.py workflow_doc --write`)."""
    text = (Path(settings.BASE_DIR) / "docs" / "workflow.md").read_text(encoding="utf-8")
    assert render_generated() in text


def test_generated_doc_lists_every_verb_and_source():
    generated = render_generated()
    for verb, transition in TRANSITIONS.items():
        row = next(line for line in generated.splitlines() if line.startswith(f"| `{verb}` |"))
        for source in transition.sources:
            assert f"`{source.value}`" in row


def test_workflow_doc_command_prints_the_generated_part():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("workflow_doc", stdout=out)
    assert out.getvalue().strip() == render_generated().strip()
