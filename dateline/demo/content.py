"""The demo's content: its three editions (English, Russian, Arabic), the sections of each, the
story files and which stories are translations of which. Every story, person and photo is
made up for the demonstration."""

import json
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORIES = HERE / "stories.json"
SECTIONS = [
    ("world", "World"),
    ("asia", "Asia"),
    ("europe", "Europe"),
    ("americas", "Americas"),
    ("africa", "Africa"),
    ("business", "Business"),
    ("science", "Science"),
    ("offbeat", "Off-beat"),
]


@dataclass(frozen=True)
class DemoEdition:
    code: str
    site_name: str
    tagline: str
    agency: str
    time_zone: str
    date_style: str
    footer_note: str
    sections: list[tuple[str, str]]
    stories: Path


EDITIONS = [
    DemoEdition(
        code="en",
        site_name="Dateline International",
        tagline="World news as it happens: live coverage, features, analysis and the stories "
        "off the beaten track.",
        agency="Dateline",
        time_zone="Europe/London",
        date_style="day-month",
        footer_note="Sample content: every story, person and photo on this demo site is made up "
        "for Dateline's demonstration.",
        sections=SECTIONS,
        stories=STORIES,
    ),
    DemoEdition(
        code="ru",
        site_name="Датлайн",
        tagline="Новости мира в режиме реального времени: прямые трансляции, репортажи, "
        "аналитика и необычные истории.",
        agency="Датлайн",
        time_zone="Europe/Moscow",
        date_style="day-month",
        footer_note="Демонстрационные материалы: все новости, люди и фотографии на этом сайте "
        "выдуманы.",
        sections=[
            ("world", "Мир"),
            ("europe", "Европа"),
            ("asia", "Азия"),
            ("economy", "Экономика"),
            ("society", "Общество"),
            ("science", "Наука"),
            ("offbeat", "Разное"),
        ],
        stories=HERE / "stories-ru.json",
    ),
    DemoEdition(
        code="ar",
        site_name="داتلاين",
        tagline="أخبار العالم لحظة بلحظة: تغطية مباشرة وتقارير وتحليلات وقصص من خارج المألوف.",
        agency="داتلاين",
        time_zone="Asia/Dubai",
        date_style="day-month",
        footer_note="محتوى تجريبي: كل الأخبار والأشخاص والصور في هذا الموقع من نسج الخيال.",
        sections=[
            ("world", "العالم"),
            ("middle-east", "الشرق الأوسط"),
            ("africa", "أفريقيا"),
            ("economy", "اقتصاد"),
            ("science", "علوم"),
            ("culture", "ثقافة"),
            ("offbeat", "منوعات"),
        ],
        stories=HERE / "stories-ar.json",
    ),
]

# The English original of each translated demo story: {(edition, slug): English slug}.
SHIPPING = "shipping-nations-agree-binding-emissions-cap"
EXOPLANET = "astronomers-detect-water-vapour-on-temperate-exoplanet"
TRANSLATIONS = {
    ("ru", "morskie-derzhavy-soglasovali-limit-vybrosov-sudov"): SHIPPING,
    ("ru", "barzhi-na-rejne-snizili-zagruzku"): "rhine-barges-cut-loads-as-water-falls",
    ("ru", "v-atmosfere-ekzoplanety-nashli-vodyanoj-par"): EXOPLANET,
    ("ar", "shipping-nations-agree-emissions-cap"): SHIPPING,
    ("ar", "solar-mini-grids-power-nigerian-clinics"): (
        "solar-mini-grids-power-nigerian-rural-clinics"
    ),
    ("ar", "water-vapour-found-on-temperate-exoplanet"): EXOPLANET,
}


def load_demo_stories(code: str = "en") -> list[dict]:
    """Return the demo stories of the edition ``code`` as the story file holds them."""
    path = next(e.stories for e in EDITIONS if e.code == code)
    return json.loads(path.read_text(encoding="utf-8"))


def photo_files(stories: list[dict]) -> set[str]:
    """Return the photo files the stories name, lead and inline."""
    files = set()
    for story in stories:
        if story.get("lead_photo"):
            files.add(story["lead_photo"]["file"])
        for block in story.get("body", []):
            if block.get("type") == "image":
                files.add(block["photo"]["file"])
    return files
