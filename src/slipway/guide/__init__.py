"""The migration guide (`slipway guide`), dependencies (`slipway deps`) and schema docs (`slipway docs`).

Public entry points (the heavy modules load on first call):

- `guide_text(settings, fmt="md", conn=None, generated="")` -> the guide as Markdown or HTML
- `docs_text(catalog, fmt="md", title="")` -> schema documentation for a Catalog
- `render_guide_html(conn, settings)`, `render_docs_html(conn, settings)` -> HTML pages
  (used by `slipway serve` for /guide and /docs)
- `slipway.guide.deps.analyze(migrations)` -> per-migration facts: dependencies, changes, locks
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

    from slipway.catalog.model import Catalog
    from slipway.config import Settings


def guide_text(
    settings: Settings,
    fmt: str = "md",
    conn: psycopg.Connection[Any] | None = None,
    generated: str = "",
) -> str:
    from slipway.guide.collect import collect_guide
    from slipway.guide.render import render

    guide = collect_guide(settings, conn, generated)
    return render("guide.md.j2", fmt, f"{guide.project} migration guide", g=guide)


def docs_text(catalog: Catalog, fmt: str = "md", title: str = "Schema", generated: str = "") -> str:
    from slipway.guide.docs import build_docs
    from slipway.guide.render import render

    docs = build_docs(catalog, title, generated)
    return render("docs.md.j2", fmt, title, d=docs)


def render_guide_html(conn: psycopg.Connection[Any], settings: Settings) -> str:
    return guide_text(settings, "html", conn)


def render_docs_html(conn: psycopg.Connection[Any], settings: Settings) -> str:
    from slipway.catalog.introspect import introspect

    return docs_text(introspect(conn), "html", f"{settings.project_dir.name} schema")


__all__ = ["docs_text", "guide_text", "render_docs_html", "render_guide_html"]
