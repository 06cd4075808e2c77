"""The dashboard's charts in headless Chromium at 1400 and 800 px: every chart drawn from
real data (uPlot's own data arrays, and ink on its canvas), nothing wider than the window
and no card cut off; screenshots kept in $SLIPWAY_TEST_ARTIFACTS (default: the test's tmp dir)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest
from chart_fixtures import fill, sampling_project
from serve_helpers import running

from browser import CHROMIUM, Browser, artifacts_dir
from slipway.serve import build_app

CHARTS = [
    "connections", "lock-waits", "cache-hit", "table-sizes", "index-sizes", "dead-tuples",
    "migration-durations", "feed-leads", "maintenance-runs",
]  # fmt: skip
WIDTHS = (1400, 800)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium)"
)

# The new page has loaded (Browser.open marks the page it leaves as stale).
LOADED = "document.readyState === 'complete' && !document.documentElement.dataset.stale"
# What each chart drew: points in uPlot's data, and painted pixels on its canvas.
DRAWN = """
new Promise(function (done) {
  var t0 = Date.now();
  (function wait() {
    if (document.body.getAttribute('data-charts') || Date.now() - t0 > 15000) {
      var out = {state: document.body.getAttribute('data-charts'), charts: {}};
      Object.keys(window.slipwayCharts || {}).forEach(function (id) {
        var plot = window.slipwayCharts[id], canvas = plot.ctx.canvas;
        var px = plot.ctx.getImageData(0, 0, canvas.width, canvas.height).data, ink = 0;
        for (var i = 3; i < px.length; i += 4) { if (px[i]) { ink++; } }
        out.charts[id] = {points: plot.data[0].length, series: plot.data.length - 1,
                          nonnull: plot.data.slice(1).map(function (s) {
                            return s.filter(function (v) { return v != null; }).length; }),
                          ink: ink, width: plot.width};
      });
      done(out);
    } else { setTimeout(wait, 50); }
  })();
})
"""
# Anything wider than the window, or a box whose content is wider than it: a card, a chart,
# or a table's .scroll box (which would scroll, hiding columns, if the table did not fit).
OVERFLOW = """
(function () {
  var vw = document.documentElement.clientWidth, bad = [];
  if (document.documentElement.scrollWidth > vw) {
    bad.push('page ' + document.documentElement.scrollWidth + ' > ' + vw);
  }
  document.querySelectorAll('header, main, section, .chart, .scroll, footer').forEach(function (el) {
    var r = el.getBoundingClientRect(), inner = el.firstElementChild;
    var name = el.id || (inner && inner.id) || el.className || el.tagName;
    if (r.left < 0 || r.right > vw + 0.5) { bad.push(name + ' spans ' + r.left + '..' + r.right); }
    if (el.scrollWidth > el.clientWidth + 1) {
      bad.push(name + ' content ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
  });
  return bad;
})()
"""


def test_dashboard_charts_draw_and_fit_at_1400_and_800_px(
    tmp_path: Path, project: Path, db_url: str, db_conn: psycopg.Connection[Any]
) -> None:
    assert CHROMIUM is not None
    settings = sampling_project(project, db_url)
    fill(project, settings, db_conn)
    long_name = "t_" + "x" * 60  # a table name wide enough to need its card to scroll
    db_conn.execute(f"CREATE TABLE {long_name} (id int)")
    artifacts = artifacts_dir(tmp_path)
    app = build_app(settings, ttl=0.05)
    sampler = app.state.source.sampler
    seen: dict[int, Any] = {}
    with running(app) as base:
        while sampler.taken < 3:  # a few samples, so trends are lines
            sampler._stop.wait(0.1)
        with Browser(tmp_path / "profile") as browser:
            for width in WIDTHS:
                browser.open(base + "/?window=1h", width)
                browser.wait_for(LOADED)
                drawn = browser.evaluate(DRAWN)
                overflow = browser.evaluate(OVERFLOW)
                columns = browser.evaluate(
                    "new Set([].map.call(document.querySelectorAll('main > section:not(.wide)'),"
                    " function (s) { return s.getBoundingClientRect().left; })).size"
                )
                shot = artifacts / f"dashboard-charts-{width}.png"
                browser.screenshot(shot, clip_height=20_000)  # the whole page
                seen[width] = (drawn, overflow, columns, shot)
    for width, (drawn, overflow, columns, shot) in seen.items():
        assert drawn["state"] == str(len(CHARTS)), drawn
        assert sorted(drawn["charts"]) == sorted(CHARTS), drawn
        for ident, chart in drawn["charts"].items():
            assert chart["points"] >= 1 and max(chart["nonnull"]) >= 1, (width, ident, chart)
            assert chart["ink"] > 500, (width, ident, chart)  # axes, grid and the data drawn
            assert chart["width"] <= width
        assert drawn["charts"]["connections"]["points"] >= 3
        assert drawn["charts"]["migration-durations"]["points"] == 3
        assert overflow == [], (width, overflow)
        assert (columns >= 2) if width == 1400 else (columns == 1), (width, columns)
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
