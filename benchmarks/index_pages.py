"""How long pubdoctor takes to read a large Simple API page, and a whole PD4 run against it.

Run: ``python benchmarks/index_pages.py [FILES]`` (default 20000 files, about the size of the
largest projects on PyPI). A local http.server on 127.0.0.1 serves a synthetic PEP 503 page and
a PEP 691 page; nothing leaves the machine.
"""

from __future__ import annotations

import http.server
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

from pubdoctor.sources.index import JSON_TYPE, fetch
from pubdoctor.sources.indexpage import parse_html, parse_json


def pages(count: int) -> tuple[bytes, bytes]:
    names = [f"demo-{i // 20}.{i % 20}.0-cp312-cp312-manylinux_2_17_x86_64.whl" for i in range(count)]
    html = "<!DOCTYPE html><html><body>\n" + "".join(
        f'<a href="https://files.example/{n}#sha256={"0" * 64}" data-requires-python="&gt;=3.9">{n}</a><br>\n'
        for n in names) + "</body></html>"
    data = {"meta": {"api-version": "1.1"}, "name": "demo",
            "files": [{"filename": n, "url": f"https://files.example/{n}", "hashes": {"sha256": "0" * 64}}
                      for n in names]}
    return html.encode(), json.dumps(data).encode()


def best(function, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    html, body = pages(count)
    print(f"{count} files: HTML {len(html) / 1e6:.1f} MB, JSON {len(body) / 1e6:.1f} MB")
    print(f"parse_html  {best(lambda: parse_html(html)) * 1000:8.1f} ms")
    print(f"parse_json  {best(lambda: parse_json(body)) * 1000:8.1f} ms")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            wants_json = "v1+json" in self.headers.get("Accept", "") and self.path.startswith("/json/")
            payload = body if wants_json else html
            self.send_response(200)
            self.send_header("Content-Type", JSON_TYPE if wants_json else "text/html")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    for kind in ("simple", "json"):
        url = f"http://127.0.0.1:{port}/{kind}/"
        state = fetch(url, "demo", 30)
        seconds = best(lambda url=url: fetch(url, "demo", 30))
        print(f"fetch {kind:<6} {seconds * 1000:8.1f} ms ({len(state.files)} files, {len(state.versions())} versions)")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text('[project]\nname = "demo"\nversion = "3.3.0"\n', encoding="utf-8")
        from click.testing import CliRunner

        from pubdoctor.cli import cli

        def run() -> None:
            result = CliRunner().invoke(cli, ["check", str(root), "--select", "PD4",
                                              "--index-url", f"http://127.0.0.1:{port}/simple/"])
            assert result.exit_code == 1, result.output
        print(f"check PD4    {best(run) * 1000:8.1f} ms (in process, PD401 found)")
    server.shutdown()


if __name__ == "__main__":
    main()
