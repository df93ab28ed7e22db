import json

from django.core.management.base import BaseCommand, CommandError

from dateline.wire.ingest import IngestError, IngestResult, ingest_source, parse_input, store_items
from dateline.wire.models import WireSource
from dateline.wire.parsers import PARSERS


class Command(BaseCommand):
    help = (
        "Ingest wire items from files, addresses or configured sources (by name or id). "
        "With --dry-run print each item as a JSON line (an error object for an input that "
        "failed) and store nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="SOURCE_OR_FILE")
        parser.add_argument("--dry-run", action="store_true", help="print, store nothing")
        parser.add_argument(
            "--format", choices=sorted(PARSERS), default=None, help="default: detected"
        )

    def handle(self, *args, inputs, dry_run, format, **options):
        total = IngestResult()
        failed = 0
        for done, name in enumerate(inputs, start=1):
            source = self._source(name)
            if source is not None and not dry_run:
                result = ingest_source(source)
                total.add(result)
                if source.last_error:
                    failed += 1
                    self.stderr.write(f"[{done}/{len(inputs)}] {name}: {source.last_error}")
                else:
                    self.stderr.write(f"[{done}/{len(inputs)}] {name}: {result.summary()}")
                continue
            target = source.url or source.folder if source is not None else name
            try:
                items = parse_input(target, format=format or (source.kind if source else None))
            except IngestError as exc:
                failed += 1
                if dry_run:
                    self.stdout.write(json.dumps({"input": name, "error": str(exc)}))
                self.stderr.write(f"[{done}/{len(inputs)}] {name}: {exc}")
                continue
            if dry_run:
                for item in items:
                    self.stdout.write(
                        json.dumps({"input": name, **item.as_json()}, ensure_ascii=False)
                    )
                self.stderr.write(f"[{done}/{len(inputs)}] {name}: {len(items)} items")
                continue
            result = store_items(items, origin=name)
            total.add(result)
            self.stderr.write(f"[{done}/{len(inputs)}] {name}: {result.summary()}")
        if not dry_run:
            self.stderr.write(
                f"Ingested {len(inputs) - failed} of {len(inputs)} inputs: {total.summary()}."
            )
        if failed == len(inputs):
            raise CommandError("no input could be ingested")

    def _source(self, name: str) -> WireSource | None:
        if name.isdigit():
            return WireSource.objects.filter(pk=int(name)).first()
        if "/" in name or "." in name:
            return None
        return WireSource.objects.filter(name=name).first()
