"""The demo's content: the stories file and the sections it files them in."""

import json
from pathlib import Path

STORIES = Path(__file__).resolve().parent / "stories.json"
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


def load_demo_stories() -> list[dict]:
    return json.loads(STORIES.read_text(encoding="utf-8"))


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
