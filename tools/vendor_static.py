"""Copy the built files of the browser libraries (installed by ``npm ci`` from package.json and
package-lock.json) into earmark/static/vendor/, where the app serves them itself: no CDN.

Run by ``make`` before anything that serves pages; the copies are not committed."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "earmark" / "static" / "vendor"

WORKBOX = ("core", "routing", "strategies", "precaching", "expiration")
# (package, file in the package, where it is served under vendor/)
FILES = [
    ("workbox-sw", "build/workbox-sw.js", "workbox/workbox-sw.js"),
    *(
        (f"workbox-{name}", f"build/workbox-{name}.prod.js", f"workbox/workbox-{name}.prod.js")
        for name in WORKBOX
    ),
    ("idb", "build/umd.js", "idb/umd.js"),
    ("jsqr", "dist/jsQR.js", "jsqr/jsQR.js"),
    ("@noble/ed25519", "index.js", "noble-ed25519/index.js"),
]


def main() -> int:
    missing = [package for package, _, _ in FILES if not (MODULES / package).is_dir()]
    if missing:
        print(f"run `npm ci` first; missing: {', '.join(sorted(set(missing)))}", file=sys.stderr)
        return 1
    shutil.rmtree(VENDOR, ignore_errors=True)
    for package, source, target in FILES:
        destination = VENDOR / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / package / source, destination)
        licence = MODULES / package / "LICENSE"
        if licence.exists():
            shutil.copyfile(
                licence, destination.parent / f"LICENSE-{package.lstrip('@').replace('/', '-')}"
            )
    (VENDOR / ".stamp").touch()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
