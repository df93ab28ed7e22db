import json

from django.core.management.base import BaseCommand, CommandError

from dateline.editions.lookup import get_edition
from dateline.sections.models import Section
from dateline.wire.actions import DraftError, import_article
from dateline.wire.ingest import IngestError, read_input
from dateline.wire.parsers import ParseError
from dateline.wire.parsers.html_page import _decode, read_html_page
from dateline.wire.parsers.html_page import sniff as is_html
from dateline.wire.parsers.page_text import read_page_text
from dateline.wire.sandbox import run_bounded


class Command(BaseCommand):
    help = (
        "Turn an article page (an HTML file or address, or its visible text) into a story "
        "draft, and print an import report."
    )

    def add_arguments(self, parser):
        parser.add_argument("input", metavar="FILE_OR_URL")
        parser.add_argument("--edition", default="en")
        parser.add_argument(
            "--section", default=None, help="a section slug (default: the page's label)"
        )
        parser.add_argument("--publish", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="store nothing")
        parser.add_argument(
            "--json",
            dest="as_json",
            action="store_true",
            help="with --dry-run: print the parsed article as JSON",
        )

    def handle(self, *args, input, edition, section, publish, dry_run, as_json: bool, **options):
        the_edition = get_edition(edition)
        if the_edition is None:
            raise CommandError(f"There is no edition {edition!r}.")
        chosen = None
        if section:
            chosen = Section.objects.filter(edition=the_edition, slug=section).first()
            if chosen is None:
                raise CommandError(f"Edition {edition!r} has no section {section!r}.")
        try:
            content, url, content_type = read_input(input)
            # Read in a child bounded in time and memory: a hostile page stops there.
            if is_html(content, content_type):
                article = run_bounded(read_html_page, _decode(content), url=url)
            else:
                names = tuple(
                    Section.objects.filter(edition=the_edition).values_list("name", flat=True)
                )
                text = content.decode("utf-8-sig")
                article = run_bounded(read_page_text, text, section_names=names)
        except (IngestError, ParseError, UnicodeDecodeError) as exc:
            raise CommandError(f"{input}: {exc}. Nothing was imported.") from None
        if dry_run:
            if as_json:
                self.stdout.write(json.dumps(article.as_json(), ensure_ascii=False, indent=2))
            else:
                self.stdout.write(
                    f"Would import {article.headline!r} ({len(article.blocks)} blocks)."
                )
            return
        try:
            report = import_article(
                article, edition=the_edition, section=chosen, publish=publish, origin=input
            )
        except DraftError as exc:
            raise CommandError(f"{input}: {exc}. Nothing was imported.") from None
        story = report.story
        self.stdout.write(f"Imported {input} as story {story.pk}: {story.title}")
        self.stdout.write(f"  {'published at ' + story.url if story.live else 'draft'}")
        for line in report.placed:
            self.stdout.write(f"  placed: {line}")
        for line in report.dropped:
            self.stdout.write(f"  dropped: {line}")
        for line in report.needs_editor:
            self.stdout.write(f"  needs an editor: {line}")
