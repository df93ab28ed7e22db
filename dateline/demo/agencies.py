"""The demo's wire desk: four made-up agencies, each a drop folder of the wire app, and the
sample material they deliver (an RSS feed, two ninjs documents, a NewsML-G2 item, kept in
``dateline/demo/wire/``). Every agency, reporter and story in it is invented for the demo."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from dateline.editions.models import Edition
from dateline.sections.models import Section
from dateline.wire.ingest import IngestResult, ingest_source
from dateline.wire.models import WireSource

MATERIAL = Path(__file__).resolve().parent / "wire"


@dataclass(frozen=True)
class DemoAgency:
    name: str
    kind: str  # a WireSource.Kind
    edition: str  # the edition whose desk the items go to
    section: str  # the slug of the section drafts go to by default
    folder: str  # its drop folder, under WIRE_DROP_ROOT's demo/
    files: tuple[str, ...]  # its material in MATERIAL


AGENCIES = [
    DemoAgency("Meridian Press", "feed", "en", "world", "meridian-press", ("meridian-press.rss",)),
    DemoAgency(
        "Harbour Wire",
        "ninjs",
        "en",
        "business",
        "harbour-wire",
        ("harbour-wire-port-strike.json",),
    ),
    DemoAgency(
        "Северное агентство",
        "ninjs",
        "ru",
        "world",
        "severnoe-agentstvo",
        ("severnoe-agentstvo-ledokol.json",),
    ),
    DemoAgency(
        "وكالة الواحة للأنباء",
        "newsml",
        "ar",
        "middle-east",
        "wahat-news",
        ("wahat-news-desalination.xml",),
    ),
]


def drop_folder_name(agency: DemoAgency) -> str:
    """Return the agency's drop folder as its source names it: relative to WIRE_DROP_ROOT."""
    return f"demo/{agency.folder}"


def drop_folder(agency: DemoAgency) -> Path:
    return Path(settings.WIRE_DROP_ROOT) / drop_folder_name(agency)


def load_demo_wire() -> IngestResult:
    """Set up the demo agencies as drop-folder sources and deliver their material: each file is
    copied into its agency's drop folder and read by the wire's own ingest (``ingest_source``),
    as a real delivery would be. An agency whose items are already on the desk is left alone.
    Return what the ingest stored."""
    result = IngestResult()
    for agency in AGENCIES:
        edition = Edition.objects.filter(slug=agency.edition).first()
        if edition is None:
            continue
        folder = drop_folder(agency)
        source, _created = WireSource.objects.get_or_create(
            name=agency.name,
            defaults={
                "kind": agency.kind,
                "folder": drop_folder_name(agency),
                "edition": edition,
                "default_section": Section.objects.filter(
                    edition=edition, slug=agency.section
                ).first(),
            },
        )
        if source.folder != drop_folder_name(agency):
            # A demo set up before drop folders had to be under WIRE_DROP_ROOT.
            source.folder = drop_folder_name(agency)
            source.save(update_fields=["folder"])
        if source.items.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for name in agency.files:
            shutil.copy(MATERIAL / name, folder / name)
        result.add(ingest_source(source))
    return result
