"""docs/workflow.md's state table and diagram, generated from TRANSITIONS.

`manage.py workflow_doc --write` rewrites the generated part; a test fails when the file and
the table drift apart.
"""

from __future__ import annotations

from django.utils import translation

from .states import TRANSITIONS, Status

BEGIN = "<!-- BEGIN GENERATED: manage.py workflow_doc --write -->"
END = "<!-- END GENERATED -->"


def render_generated() -> str:
    lines = [
        BEGIN,
        "",
        "### Transitions",
        "",
        "| verb | from | to | who | description |",
        "|---|---|---|---|---|",
    ]
    for t in TRANSITIONS.values():
        sources = ", ".join(f"`{s.value}`" for s in Status if s in t.sources)
        target = f"`{t.target.value}`" if t.target else "(no change)"
        who = ", ".join(sorted(r.value for r in t.roles)) + (
            " (own agency)" if t.own_agency else ""
        )
        lines.append(f"| `{t.verb}` | {sources} | {target} | {who} | {t.description} |")
    with translation.override("id"):
        lines += ["", "### States", "", "| state | label (id) |", "|---|---|"]
        lines += [f"| `{s.value}` | {s.label} |" for s in Status]
    lines += [
        "",
        "### Diagram",
        "",
        "```mermaid",
        "stateDiagram-v2",
        "    [*] --> received: submit",
    ]
    for t in TRANSITIONS.values():
        if t.target is None:
            continue
        for source in Status:
            if source in t.sources:
                lines.append(f"    {source.value} --> {t.target.value}: {t.verb}")
    lines += ["    closed --> [*]", "    archived --> [*]", "```", "", END]
    return "\n".join(lines)


def replace_generated(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render_generated() + text[end:]
