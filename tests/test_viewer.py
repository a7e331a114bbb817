"""The offline viewer: a self-contained graph.html, checked as text and in headless Chromium.

Browser tests open the file from ``file://`` in Debian's Chromium (driven by Playwright; no browser is
ever downloaded), abort every request that is not a ``file:`` URL and fail if any was attempted, and
drive the page with real mouse clicks and keystrokes.
"""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from kg import analytics as A
from kg import viewer as V

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "analytics_seed.trig"
SHOTS = ROOT / "outputs" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
R = "https://w3id.org/llmkg/resource/"


@pytest.fixture(scope="module")
def fixture_graph():
    store = ox.Store()
    store.load(path=str(FIXTURE))
    return A.project(store)


@pytest.fixture(scope="module")
def fixture_html(fixture_graph, tmp_path_factory):
    return V.write_viewer(fixture_graph, tmp_path_factory.mktemp("viewer") / "graph.html", title="Fixture graph")


# ------------------------------------------------------------------------------------ as text
def test_html_is_self_contained_and_writes_nothing_else(fixture_graph, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = V.write_viewer(fixture_graph, tmp_path / "out" / "graph.html")
    html = out.path.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no lib/ folder in the working directory
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["graph.html"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I)
    assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", html, re.I)
    assert "@import" not in html and "bootstrap" not in html.lower()
    assert "<link" not in html
    # vis-network, the options and data (inert JSON) and the page script; none loads a file
    assert len(re.findall(r"^<script", html, re.M)) == 4
    assert "<script src" not in html
    assert out.nodes == 22 and out.edges == 33 and out.initial_nodes == 22


def test_paper_text_is_escaped_in_the_source(fixture_html):
    html = fixture_html.path.read_text(encoding="utf-8")
    assert "<script>window.__xss" not in html
    assert "<img src=x" not in html
    assert "\\u003cscript\\u003ewindow.__xss" in html  # the title is there, as inert JSON


def test_layout_is_deterministic_and_spreads_nodes(fixture_graph):
    one, two = V.layout(fixture_graph), V.layout(fixture_graph)
    assert one == two
    pts = list(one.values())
    closest = min(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 for i, a in enumerate(pts) for b in pts[i + 1:])
    assert closest > 5


def test_page_is_the_same_whatever_the_hash_seed(tmp_path):
    """Sets iterate in an order that changes with PYTHONHASHSEED; the page must not."""
    import subprocess
    import sys

    script = ("import sys, pyoxigraph as ox; from kg import analytics as A, viewer as V; s = ox.Store(); "
              f"s.load(path={str(FIXTURE)!r}); G = A.project(s); "
              "print(V.layout(G.subgraph(sorted(G)[3:])))")
    outs = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outs) == 1


def test_initial_view_keeps_central_entities_and_linking_papers(fixture_graph):
    pr = A.pagerank(fixture_graph)
    first = V.initial_view(fixture_graph, pr, 10)
    assert len(first) == 10
    types = [fixture_graph.nodes[v]["type"] for v in first]
    assert "paper" in types and types.count("paper") <= 4
    chosen = [v for v in first if fixture_graph.nodes[v]["type"] != "paper"]
    left = [v for v, d in fixture_graph.nodes(data=True) if d["type"] != "paper" and v not in first]
    assert len(chosen) >= 6 and min(pr[v] for v in chosen) >= max(pr[v] for v in left)  # 60% to the most central


def test_initial_view_breaks_rank_ties_by_neighbours():
    """One-paper entities tie on PageRank; the first view takes those linked to more, not the first by name."""
    G = nx.MultiDiGraph()
    G.add_node("p1", type="paper", papers=["p1"])
    for v in ("a", "y", "z"):
        G.add_node(v, type="model", papers=["p1"])
        G.add_edge("p1", v, key="mentions", relation="mentions", weight=1)
    G.add_edge("z", "y", key="outperforms", relation="outperforms", weight=1)  # no rank, but a link
    pr = A.pagerank(G)
    assert pr["a"] == pr["y"] == pr["z"]
    assert V.initial_view(G, pr, 2) == ["y", "z"]


def synthetic(n_papers: int = 200, n_entities: int = 400) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    G.graph["papers"] = {}
    for i in range(n_entities):
        G.add_node(f"e{i}", type="model" if i % 3 else "benchmark", label=f"Entity {i}", aliases=[],
                   papers=[], introduced_in=[])
    for p in range(n_papers):
        pid = f"p{p}"
        G.graph["papers"][pid] = {"identifier": pid, "title": f"Paper {p}", "url": None, "date": None}
        G.add_node(pid, type="paper", label=f"Paper {p}", aliases=[], papers=[pid], introduced_in=[])
        for k in {p % 7, (p * 13) % n_entities, (p * 31 + 5) % n_entities}:
            G.add_edge(pid, f"e{k}", key="mentions", relation="mentions", weight=1, papers=[pid],
                       evidence=[{"paper": pid, "sentence": f"Paper {p} uses Entity {k}.", "field": "abstract",
                                  "start": 0, "end": 9, "rule": "t", "confidence": 1.0}])
    return G


# ------------------------------------------------------------------------------------ in Chromium
class Tab:
    """A page opened from a file with the network cut off; records what it tried and what broke."""

    def __init__(self, browser, path: Path):
        self.attempted: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = page = self.context.new_page()
        page.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                             " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
        page.route("**/*", self._route)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("dialog", self._dialog)
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-rendered]", state="attached", timeout=20000)

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.attempted.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def shown(self) -> int:
        return self.js("() => kgViewer.shownNodeCount()")

    def node_id(self, label: str) -> int:
        node = self.js("l => kgViewer.idOf(l)", label)
        assert node is not None, label
        return node

    def click_node(self, label: str) -> None:
        nid = self.node_id(label)
        self.js("id => { kgViewer.network.stopSimulation(); kgViewer.network.focus(id, {scale: 1.2, animation: false}); }",
                nid)
        box = self.page.locator("#kg-network").bounding_box()
        xy = self.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", nid)
        self.page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])

    def click_edge(self, source: str, target: str, relation: str) -> None:
        src, dst = self.node_id(source), self.node_id(target)
        eid = self.js("""([s, t, r]) => kgViewer.edges.get({filter: e => e.from === s && e.to === t && e.relation === r})[0].id""",
                      [src, dst, relation])
        for _ in range(3):  # the layout may still move between finding the point and clicking it: check, retry
            self._click_edge_once(eid, src, dst)
            if eid in self.js("() => kgViewer.network.getSelectedEdges()"):
                return
        raise AssertionError(f"a click on the edge {source} -{relation}-> {target} did not select it")

    def _click_edge_once(self, eid, src, dst) -> None:
        self.js("() => kgViewer.network.stopSimulation()")
        self.js("([s, t]) => kgViewer.network.fit({nodes: [s, t], animation: false})", [src, dst])
        # find a point on the drawn edge (curved or straight) that hits the edge and no node
        xy = self.js("""([eid, s, t]) => {
            const net = kgViewer.network, p = net.getPositions([s, t]);
            const a = net.canvasToDOM(p[s]), b = net.canvasToDOM(p[t]);
            const len = Math.hypot(b.x - a.x, b.y - a.y), nx = -(b.y - a.y) / len, ny = (b.x - a.x) / len;
            for (const f of [0.5, 0.45, 0.55, 0.4, 0.6, 0.35, 0.65, 0.3, 0.7]) {
              for (let o = 0; o <= 60; o += 2) for (const sgn of [1, -1]) {
                const q = {x: a.x + f * (b.x - a.x) + sgn * o * nx, y: a.y + f * (b.y - a.y) + sgn * o * ny};
                if (net.getEdgeAt(q) === eid && net.getNodeAt(q) === undefined) return q;
              }
            }
            return null; }""", [eid, src, dst])
        assert xy is not None, "no clickable point found on the edge"
        box = self.page.locator("#kg-network").bounding_box()
        self.page.mouse.click(box["x"] + xy["x"], box["y"] + xy["y"])

    def details(self) -> str:
        return self.page.inner_text("#kg-details")

    def close(self, *, check: bool = True) -> None:
        csp = self.js("() => window.__csp")
        self.context.close()
        if check:
            assert self.attempted == [], f"external requests attempted: {self.attempted}"
            assert self.errors == [], f"page errors: {self.errors}"
            assert csp == [], f"content-security-policy violations: {csp}"


@pytest.fixture(scope="module")
def browser():
    from conftest import chromium
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def tab(browser, fixture_html):
    t = Tab(browser, fixture_html.path)
    yield t
    t.close()


@pytest.mark.browser
def test_draws_every_node_and_edge_offline(tab):
    assert tab.shown() == 22
    assert tab.js("() => kgViewer.shownEdgeCount()") == 33
    assert tab.js("() => kgViewer.network.body.data.nodes.getIds().length") == 22
    assert tab.js("() => Object.keys(kgViewer.network.body.nodes).length") == 22
    assert tab.page.inner_text("#kg-status").startswith("Showing 22 of 22 nodes, 33 edges")
    legend = tab.page.inner_text("#kg-types")
    assert "benchmark" in legend and "paper" in legend
    assert tab.js("() => kgViewer.firstRenderMs") > 0
    # the network really drew: its canvas is not blank
    painted = tab.js("""() => { const c = document.querySelector('#kg-network canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert painted > 5000


@pytest.mark.browser
def test_search_and_filters_change_what_is_shown(tab):
    page = tab.page
    page.fill("#kg-search", "glm")
    page.keyboard.press("Enter")
    # GLM-4, its paper p4 (title mentions GLM), and their neighbours -- not the whole graph
    shown = tab.shown()
    assert 2 < shown < 22
    assert "match" in page.inner_text("#kg-status")
    visible = tab.js("() => Array.from(kgViewer.state.visible).map(i => kgViewer.details[i].label)")
    assert "GLM-4" in visible and "Mamba" not in visible
    page.fill("#kg-search", "")
    page.keyboard.press("Enter")
    assert tab.shown() == 22

    page.locator('input[data-type="paper"]').uncheck()
    assert tab.shown() == 16
    assert tab.js("() => kgViewer.shownEdgeCount()") == 3 + 3  # based_on + outperforms remain
    page.locator('input[data-type="paper"]').check()
    page.locator('input[data-type="benchmark"]').uncheck()
    assert tab.shown() == 18
    page.locator('input[data-type="benchmark"]').check()
    assert tab.shown() == 22

    before = tab.js("() => kgViewer.shownEdgeCount()")
    page.locator('input[data-relation="mentions"]').uncheck()
    after = tab.js("() => kgViewer.shownEdgeCount()")
    assert after == before - 10 and tab.shown() == 22
    # search finds aliases too
    page.locator('input[data-relation="mentions"]').check()
    page.fill("#kg-search", "LRA")
    page.keyboard.press("Enter")
    assert "Long Range Arena" in tab.details()


@pytest.mark.browser
def test_clicking_a_node_and_an_edge_shows_evidence(tab):
    tab.click_node("GLM-4")
    text = tab.details()
    assert "GLM-4" in text and "model" in text
    assert "GLM-4 closely rivals or outperforms GPT-4 on MMLU, GSM8K and HumanEval." in text
    assert "ChatGLM: A Family of Large Language Models" in text  # papers listed

    tab.click_node("Llama 2")
    text = tab.details()
    assert "Also called: LLaMA 2; Llama-2" in text
    assert "Parameters: 70,000,000,000" in text

    tab.click_edge("GLM-4", "GPT-4", "outperforms")
    text = tab.details()
    assert "GLM-4 \u2014 outperforms \u2192 GPT-4" in text
    assert "Supported by 2 papers" in text
    assert "On HumanEval, GLM-4 outperforms GPT-4." in text
    assert "GLM-4 closely rivals or outperforms GPT-4 on MMLU, GSM8K and HumanEval." in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.page.screenshot(path=str(SHOTS / "fixture_edge_details.png"))


@pytest.mark.browser
def test_repo_links_are_clickable_and_only_http(tab):
    tab.click_node("facebookresearch/llama")
    link = tab.page.locator('#kg-details a[href="https://github.com/facebookresearch/llama"]')
    assert link.count() == 1
    assert link.first.get_attribute("rel") == "noopener noreferrer"
    tab.click_node("evil/repo")
    assert "javascript:" in tab.details()  # shown as text...
    assert tab.page.locator('a[href^="javascript"]').count() == 0  # ...never as a link


@pytest.mark.browser
def test_xss_fixture_does_not_execute(tab):
    page = tab.page
    label = "EvilLM<img src=x onerror=\"window.__xss='label'\">"
    tab.click_node(label)
    assert label in tab.details()
    paper = "<script>window.__xss='title'</script>Robust Tuning of EvilLM"
    tab.click_node(paper)
    assert paper in tab.details()
    tab.click_edge(paper, "GSM8K", "evaluated_on")
    assert "EvilLM is evaluated on GSM8K <script>window.__xss='sentence'</script>." in tab.details()
    page.fill("#kg-search", "script")
    page.keyboard.press("Enter")
    assert tab.shown() >= 2
    page.fill("#kg-search", "evil")
    page.keyboard.press("Enter")
    nid = tab.node_id(label)
    tab.js("id => kgViewer.showNode(id)", nid)
    text = tab.details()
    assert "We introduce EvilLM <img src=x onerror=\"window.__xss='evidence'\">." in text
    assert "<script>window.__xss='alias'</script>" in text
    # hover tooltips too
    box = page.locator("#kg-network").bounding_box()
    xy = tab.js("id => kgViewer.network.canvasToDOM(kgViewer.network.getPositions([id])[id])", nid)
    page.mouse.move(box["x"] + xy["x"], box["y"] + xy["y"])
    tooltip = page.wait_for_selector(".vis-tooltip", state="visible")  # (the check below needs it shown)
    assert "EvilLM" in tooltip.inner_text()
    assert tab.js("() => window.__xss") is None
    assert tab.dialogs == []
    assert page.locator("#kg-details img, #kg-details script, .vis-tooltip img").count() == 0


@pytest.mark.browser
def test_large_graph_shows_top_n_then_expands(browser, tmp_path):
    G = synthetic()
    out = V.write_viewer(G, tmp_path / "big.html", top_n=100)
    assert out.initial_nodes == 100
    t = Tab(browser, out.path)
    try:
        assert t.shown() == 100
        assert "of 600 nodes" in t.page.inner_text("#kg-status")
        t.page.click("#kg-toggle-all")
        assert t.shown() == 600
        t.page.click("#kg-toggle-all")
        assert t.shown() == 100
        # search reaches nodes outside the first view
        hidden = t.js("() => kgViewer.details.findIndex((d, i) => !kgViewer.state.visible.has(i) && d.type === 'paper')")
        label = t.js("i => kgViewer.details[i].label", hidden)
        t.page.fill("#kg-search", label)
        t.page.keyboard.press("Enter")
        assert t.js("i => kgViewer.state.visible.has(i)", hidden)
        # expanding one node's neighbours adds them to the first view
        t.page.click("#kg-reset")
        assert t.shown() == 100
        inside = t.js("""() => kgViewer.details.findIndex((d, i) => kgViewer.state.visible.has(i) &&
            kgViewer.edges.get({filter: e => (e.from === i || e.to === i) &&
              !kgViewer.state.visible.has(e.from === i ? e.to : e.from)}).length > 0)""")
        t.js("i => kgViewer.showNode(i)", inside)
        t.page.get_by_role("button", name=re.compile("Show all .* neighbours")).click()
        assert t.shown() > 100
    finally:
        t.close()


@pytest.mark.browser
def test_screenshot_of_the_seed_graph(browser, sample_build):
    """The viewer ``kg build`` wrote for the bundled seed corpus: render it, search it, keep a screenshot."""
    t = Tab(browser, sample_build / "graph.html")
    try:
        total = t.js("() => kgViewer.totalNodes")
        assert total > 500 and t.shown() == 400
        assert t.js("() => kgViewer.shownEdgeCount()") > 300  # the first view is connected, not scattered
        t.page.fill("#kg-search", "GPT-4")
        t.page.keyboard.press("Enter")
        found = t.js("() => kgViewer.state.matches.map(k => kgViewer.details[k].label)")
        assert "GPT-4" in found, found  # the search finds the entity by its name
        t.page.click("#kg-reset")
        SHOTS.mkdir(parents=True, exist_ok=True)
        t.page.screenshot(path=str(SHOTS / "seed_graph.png"))
        t.js("() => kgViewer.showAll(true)")
        assert t.shown() == total
    finally:
        t.close()
    assert (SHOTS / "seed_graph.png").stat().st_size > 20000
