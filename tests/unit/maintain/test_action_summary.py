"""A maintenance action's one-line summary names what it acts on: for a partition action, the
partition (three detaches of one table's partitions read as three identical lines before)."""

from __future__ import annotations

from slipway.maintain.model import Action


def test_a_partition_action_names_its_partition() -> None:
    action = Action(
        "partitions",
        "public.messages",
        "detach",
        "older than retention 6 months",
        details={"partition": "messages_2024_01"},
    )
    assert action.summary == (
        "partitions: detach public.messages partition messages_2024_01"
        " (older than retention 6 months)"
    )


def test_other_actions_name_their_target() -> None:
    action = Action("views", "public.daily", "refresh", "scheduled", error="lock timeout")
    assert action.summary == "views: refresh public.daily (scheduled): lock timeout"
