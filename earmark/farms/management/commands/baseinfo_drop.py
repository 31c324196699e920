from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from earmark.accounts.models import User
from earmark.core.errors import ROWS_REFUSED, BusinessError
from earmark.farms.services.baseinfo import baseinfo_sync_apply, baseinfo_sync_upload


class Command(BaseCommand):
    help = (
        "File-drop sync from the farm base-information collection system: every export (.csv, "
        ".xlsx) left in --dir is compared with the county's premises as --user (a county "
        "officer) would upload it; with --apply a clean diff is applied at once, otherwise it "
        "waits on the county's sync page. Done files move to done/, refused ones to refused/ "
        "with a report. Run it from cron for a scheduled sync."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", required=True)
        parser.add_argument("--user", required=True, help="the county officer the sync runs as")
        parser.add_argument("--apply", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        drop = Path(options["dir"])
        if not drop.is_dir():
            raise CommandError(f"{drop} is not a directory")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']}")
        refused = 0
        for path in sorted(p for p in drop.iterdir() if p.suffix.lower() in (".csv", ".xlsx")):
            try:
                sync = baseinfo_sync_upload(
                    actor=user, content=path.read_bytes(), file_name=path.name
                )
                errors = sync.diff.get("errors", [])
                if errors:
                    raise BusinessError(
                        _(
                            "The file has faulty rows; correct them in the collection system "
                            "and upload again."
                        ),
                        code=ROWS_REFUSED,
                        items=errors,
                    )
                if options["apply"]:
                    baseinfo_sync_apply(actor=user, sync=sync)
            except BusinessError as error:
                refused += 1
                self._move(path, drop / "refused")
                report = {"message": str(error.message), "detail": error.detail}
                (drop / "refused" / f"{path.name}.report.json").write_text(
                    json.dumps(report, ensure_ascii=False, indent=2, default=str),
                    encoding="utf-8",
                )
                self.stderr.write(f"{path.name}: refused ({error.message})")
                continue
            self._move(path, drop / "done", prefix=f"{sync.pk}-")
            diff = sync.diff
            self.stdout.write(
                f"{path.name}: sync {sync.pk}, {len(diff['new'])} new, "
                f"{len(diff['changed'])} changed, {len(diff['missing'])} missing"
                + (", applied" if options["apply"] else ", waiting for review")
            )
        if refused:
            raise CommandError(f"{refused} file(s) refused; see refused/*.report.json")

    def _move(self, path: Path, folder: Path, prefix: str = "") -> None:
        folder.mkdir(exist_ok=True)
        path.rename(folder / f"{prefix}{path.name}")
