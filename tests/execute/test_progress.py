"""Progress reporters: plain lines (CI, cron) and the rich display, both masked."""

from __future__ import annotations

import pytest

from specc.execute.executor import Event
from specc.execute.progress import reporter
from specc.execute.secrets import Masker


@pytest.mark.parametrize("rich", [False, True], ids=["plain", "rich"])
def test_reporter_shows_outcomes_and_masks_secrets(
    rich: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    masker = Masker()
    masker.add("hunter2-secret")
    with reporter(rich, masker, 3) as report:
        report(Event("start", "create:zone:z1", "createZone"))
        report(Event("done", "create:zone:z1", "Create zone z1"))
        report(Event("failed", "create:pool:p", "url rbd://admin:hunter2-secret@mon failed"))
        report(Event("skipped", "create:pod:p1", "done in an earlier run"))
    out = capsys.readouterr().out
    assert "ok create:zone:z1: Create zone z1" in out
    assert "FAILED create:pool:p: url rbd://admin:********@mon failed" in out
    assert "skip create:pod:p1: done in an earlier run" in out
    assert "hunter2-secret" not in out
    if not rich:
        assert "createZone" not in out  # starts are not logged as lines
