"""Time PDF downloads: the first (uncached) and the repeats.

    python -m bench.pdf http://127.0.0.1:5000 /plans/1/print.pdf \\
        --cookie 'session=...' --repeat 5

Prints the time and size of each download, timed from sending the
request to the last byte. The budget is 1.5 s for a typical plan of
about 15 pages and 3 s for one of 40 pages or more.
"""

import argparse
import sys
import time

from bench.page_weight import fetch


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base_url", help="such as http://127.0.0.1:5000")
    parser.add_argument("path", help="the PDF's path")
    parser.add_argument("--cookie", help="Cookie header value to send")
    parser.add_argument("--repeat", type=int, default=5,
                        help="downloads to make, at most 50")
    args = parser.parse_args()
    url = args.base_url.rstrip("/") + args.path
    for attempt in range(min(args.repeat, 50)):
        began = time.perf_counter()
        body = fetch(url, args.cookie)
        seconds = time.perf_counter() - began
        if not body.startswith(b"%PDF"):
            print(f"{url} did not return a PDF", file=sys.stderr)
            return 1
        print(f"download {attempt + 1}: {seconds:.3f} s, {len(body)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
