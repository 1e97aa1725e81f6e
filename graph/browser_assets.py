"""The movegraph style and guide, served by the local server itself so the Browser applies them on connect.

Neo4j serves the Browser from the classpath folder `browser/` of its Browser jar, and the first
classpath entry holding `browser/` wins (entries are not merged). So the jar's `browser/` is
extracted once into the user cache, `browser/movegraph/` is added to it (the GraSS and a guide made
from `browser/queries.cypher`), and that folder goes first on the server's classpath. The server's
`browser.post_connect_cmd` then runs `:style` and `:play` on those URLs: nothing is fetched from
outside this machine.
"""

from __future__ import annotations

import html
import logging
import re
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)

ASSET_DIR = "movegraph"  # under /browser/ on the server
GRASS_FILE = "movegraph.grass"
GUIDE_FILE = "guide.html"
_EXTRACTED_MARK = ".movegraph-extracted"
_HEADING = re.compile(r"^//\s*\d+\.\s*(.+)$")
_PARAM_LINE = re.compile(r"^//\s+:param\s+(\w+)\s*=>\s*(.+)$")


@dataclass(frozen=True)
class ReadyQuery:
    """One ready query of `browser/queries.cypher`: its title (the `// N. ...` line) and its Cypher."""

    title: str
    cypher: str


def ready_queries(text: str) -> list[ReadyQuery]:
    """The numbered queries of a queries.cypher text, in order; a block without a `// N.` title is skipped."""
    queries = []
    for block in text.split(";"):
        lines = [line.rstrip() for line in block.strip().splitlines()]
        titles = [m.group(1).strip() for line in lines if (m := _HEADING.match(line))]
        cypher = "\n".join(line for line in lines if line and not line.lstrip().startswith("//"))
        if titles and cypher:
            queries.append(ReadyQuery(titles[-1], cypher))
    return queries


def parameters_command(text: str) -> str:
    """The `:param name => value` examples of the file's header as one `:params {...}` Browser command."""
    pairs = [f"{m.group(1)}: {m.group(2).strip()}" for line in text.splitlines() if (m := _PARAM_LINE.match(line))]
    return ":params {" + ", ".join(pairs) + "}" if pairs else ""


def guide_html(queries_text: str) -> str:
    """A Browser guide (one `<slide>` per ready query, each a clickable block) from queries.cypher."""
    params = parameters_command(queries_text)
    slides = [_slide("movegraph", "<p>Who moved where, and when, from the news. Click a grey block to copy "
                     "it into the editor, then run it. First set the parameters the queries use "
                     "(change the values to yours):</p>", params)]
    slides += [_slide(q.title, "", q.cypher) for q in ready_queries(queries_text)]
    return ("<article class=\"guide\">\n<carousel class=\"deck container-fluid\">\n"
            + "\n".join(slides) + "\n</carousel>\n</article>\n")


def _slide(title: str, intro: str, code: str) -> str:
    block = f"<pre class=\"code runnable\">{html.escape(code)}</pre>" if code else ""
    return (f"<slide class=\"row-fluid\">\n<div class=\"col-sm-12\">\n<h3>{html.escape(title)}</h3>\n"
            f"{intro}\n{block}\n</div>\n</slide>")


def prepare_browser_root(browser_jar: Path, cache_dir: Path) -> Path:
    """A classpath folder serving the Browser plus movegraph's style and guide; extracted once per jar."""
    root = cache_dir / f"{browser_jar.stem}-movegraph"
    if not (root / _EXTRACTED_MARK).is_file():
        log.info("extracting the Neo4j Browser from %s into %s (first time only)", browser_jar.name, root)
        with zipfile.ZipFile(browser_jar) as jar:
            jar.extractall(root, [n for n in jar.namelist() if n.startswith("browser/")])
        (root / _EXTRACTED_MARK).write_text(browser_jar.name + "\n")
    assets = root / "browser" / ASSET_DIR
    assets.mkdir(parents=True, exist_ok=True)
    source = resources.files("movegraph.browser")
    (assets / GRASS_FILE).write_text(source.joinpath(GRASS_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    queries = source.joinpath("queries.cypher").read_text(encoding="utf-8")
    (assets / GUIDE_FILE).write_text(guide_html(queries), encoding="utf-8")
    return root


def post_connect_command(http_url: str) -> str:
    """The server's `browser.post_connect_cmd`: apply the movegraph style, then open the guide."""
    base = f"{http_url}/browser/{ASSET_DIR}"
    return f"play {base}/{GUIDE_FILE}; style {base}/{GRASS_FILE}"
