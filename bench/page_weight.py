"""Compressed weight of a first page load: HTML plus its CSS and scripts.

    python -m bench.page_weight http://127.0.0.1:5000 /dev/components /

Each page is fetched with an empty cache, then every stylesheet and
script it links. Each body is gzipped at level 6, as a typical proxy
does, and the sizes are summed against the 60 KB first-load budget.
--cookie sends a session cookie for pages behind sign-in.
"""

import argparse
import gzip
import sys
import urllib.request
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from bench.load import format_table

BUDGET_BYTES = 60 * 1024


def fetch(url, cookie=None):
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to fetch {url}: loopback addresses only")
    request = urllib.request.Request(url)
    if cookie:
        request.add_header("Cookie", cookie)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def linked_assets(page_url, html):
    soup = BeautifulSoup(html, "html.parser")
    urls = [link["href"] for link in soup.find_all("link", href=True)
            if "stylesheet" in link.get("rel", [])]
    urls += [script["src"] for script in soup.find_all("script", src=True)]
    return [urljoin(page_url, url) for url in urls]


def weigh(page_url, cookie=None):
    """Return one row per resource a first load of page_url fetches."""
    html = fetch(page_url, cookie)
    rows = [(page_url, html)]
    rows += [(url, fetch(url, cookie)) for url in linked_assets(page_url, html)]
    return [{"resource": urlsplit(url).path, "bytes": len(body),
             "gzip_bytes": len(gzip.compress(body, compresslevel=6))}
            for url, body in rows]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="such as http://127.0.0.1:5000")
    parser.add_argument("paths", nargs="+", help="page paths to weigh")
    parser.add_argument("--cookie", help="Cookie header value to send")
    args = parser.parse_args()
    over = 0
    for path in args.paths:
        rows = weigh(args.base_url.rstrip("/") + path, args.cookie)
        total = sum(row["gzip_bytes"] for row in rows)
        print(f"\n{path}: {total / 1024:.1f} KB gzipped "
              f"(budget {BUDGET_BYTES // 1024} KB)")
        print(format_table(rows))
        over += total > BUDGET_BYTES
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
