"""The three demo editions in a real Chromium: each speaks its own language in its interface,
says so in lang/dir, offers the other editions (the same story where it is translated) and
names its alternates; the Arabic edition's layout is the English one mirrored."""

import datetime as dt
import re
import zoneinfo

import pytest
from django.utils import formats, translation

from dateline.demo.content import EDITIONS as EDITIONS_LOADED
from dateline.demo.content import TRANSLATIONS, load_demo_stories

pytestmark = pytest.mark.browser

EDITIONS = {"en": ("ltr", "English"), "ru": ("ltr", "Русский"), "ar": ("rtl", "العربية")}
SHIPPING = "shipping-nations-agree-binding-emissions-cap"

# What the newsroom writes (headlines, standfirsts, bodies, cards, names of the edition and its
# sections, captions, tags, the newsfeed's headlines, readers' comments): in the edition's own
# language, but not the interface, and free to quote a Latin name in Russian or Arabic text.
CONTENT = ", ".join(
    [
        ".masthead__name",
        ".masthead__tagline",
        ".site-footer__note",
        ".sections-nav li:not(:first-child) a",
        ".section-label",
        ".story-headline",
        ".standfirst",
        ".story-body",
        ".lead-photo figcaption",
        ".bylines a",
        ".story-tags li",
        ".card__headline",
        ".card__standfirst",
        ".related-card",
        ".newsfeed__link",
        ".newsfeed__section",
        ".live-now__link",
        ".breaking__link",
        ".next-story__link",
        ".comment__author",
        ".comment__text",
        ".chat__author",
        ".chat__text",
        ".story-chat a",
        ".reader__content",
    ]
)
# Interface text inside content: labels the templates write around the newsroom's words.
INTERFACE = ".live-label, .next-story__label, .credit__go, .kind-label, time"
# Attributes that carry interface text (the scripts' strings come in data-text-* and a few
# others, the way discussion.js's text() reads them).
TEXT_ATTRIBUTES = re.compile(
    r"^(aria-label|placeholder|title|data-text-.*|data-label|data-loading|data-failed)$"
)
# Latin words an interface in Russian or Arabic may show: the software's and the formats'
# own names.
LATIN_ALLOWED = {
    "Dateline",
    "RSS",
    "Atom",
    "API",
    "JSON",
    "ninjs",
    "NewsML",
    "G2",
    "IPTC",
    "OpenAPI",
    "JavaScript",
}
TIME_ZONES = {edition.code: edition.time_zone for edition in EDITIONS_LOADED}

INTERFACE_TEXT = """([content, iface, pattern]) => {
    const docLang = document.documentElement.lang;
    const attr = new RegExp(pattern);
    const isContent = (el) => {
        const content = el.closest(content_selector);
        if (!content) return false;
        const label = el.closest(iface_selector);
        return !(label && content.contains(label));
    };
    const content_selector = content, iface_selector = iface;
    // Text marked as another language (the switcher's language names) is not the interface's.
    const otherLanguage = (el) => {
        const marked = el.closest('[lang]');
        return marked && marked.lang !== docLang;
    };
    const found = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!node.textContent.trim() || el.closest('script, style, template, noscript')) continue;
        if (isContent(el) || otherLanguage(el)) continue;
        found.push([el.tagName.toLowerCase() + '.' + el.className, node.textContent.trim()]);
    }
    for (const el of document.body.querySelectorAll('*')) {
        if (isContent(el) || otherLanguage(el)) continue;
        for (const a of el.attributes) {
            if (attr.test(a.name) && a.value.trim()) found.push(['@' + a.name, a.value.trim()]);
        }
    }
    return found;
}"""

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def stray_text(page, code: str) -> list[str]:
    """Return the interface texts of the page that hold another edition's script."""
    texts = page.evaluate(INTERFACE_TEXT, [CONTENT, INTERFACE, TEXT_ATTRIBUTES.pattern])
    strays = []
    for where, text in texts:
        # Placeholders the scripts fill in (%(count)s) are no words of any language.
        text = PLACEHOLDER.sub("", text)
        if code != "ru" and CYRILLIC.search(text):
            strays.append(f"{where}: {text!r} (Cyrillic)")
        if code != "ar" and ARABIC.search(text):
            strays.append(f"{where}: {text!r} (Arabic script)")
        if code != "en":
            latin = [w for w in LATIN_WORD.findall(text) if w not in LATIN_ALLOWED]
            if latin:
                strays.append(f"{where}: {text!r} (Latin: {', '.join(latin)})")
    return sorted(set(strays))


def switcher(page) -> dict[str, str]:
    """Return {language code: path} of the switcher's links to the other editions."""
    links = page.locator(".edition-switcher a")
    result = {}
    for i in range(links.count()):
        link = links.nth(i)
        code = link.get_attribute("lang")
        assert link.get_attribute("hreflang") == code
        assert link.inner_text() == EDITIONS[code][1]
        result[code] = link.get_attribute("href")
    return result


def alternates(page, site: str) -> dict[str, str]:
    links = page.locator('head link[rel="alternate"][hreflang]')
    return {
        links.nth(i).get_attribute("hreflang"): links.nth(i)
        .get_attribute("href")
        .removeprefix(site)
        for i in range(links.count())
    }


def translated_slug(code: str, english_slug: str) -> str:
    return next(
        s for (c, s), original in TRANSLATIONS.items() if c == code and original == english_slug
    )


def story_path(page, demo_site, code: str, slug: str) -> str:
    """Return the address of the demo story ``slug`` of edition ``code``, found as a reader
    finds it: in the edition's archive of all stories."""
    page.goto(f"{demo_site}/{code}/archive/")
    link = page.locator(f'main a[href^="/{code}/"][href$="/{slug}/"]').first
    return link.get_attribute("href")


def open_and_settle(page, url):
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("code", ["en", "ru", "ar"])
def test_an_editions_home_front_speaks_its_language_and_offers_the_others(demo_site, page, code):
    direction, _name = EDITIONS[code]
    open_and_settle(page, f"{demo_site}/{code}/")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (code, direction)
    assert page.locator(".edition-switcher [aria-current]").get_attribute("lang") == code
    others = {c: f"/{c}/" for c in EDITIONS if c != code}
    assert switcher(page) == others
    assert alternates(page, demo_site) == {
        **{c: f"/{c}/" for c in EDITIONS},
        "x-default": "/",
    }
    assert stray_text(page, code) == []

    # Times are the edition's: its timezone, its language's month names ("29 ноября").
    time = page.locator(".front-top .card__meta time")
    moment = dt.datetime.fromisoformat(time.get_attribute("datetime"))
    local = moment.astimezone(zoneinfo.ZoneInfo(TIME_ZONES[code]))
    with translation.override(code):
        month = formats.date_format(local, "E")
    shown = time.inner_text()
    assert month in shown and f"{local:%H:%M}" in shown and str(local.day) in shown


@pytest.mark.parametrize("code", ["en", "ru", "ar"])
def test_a_translated_story_links_its_translations(demo_site, page, code):
    slugs = {c: SHIPPING if c == "en" else translated_slug(c, SHIPPING) for c in EDITIONS}
    paths = {c: story_path(page, demo_site, c, slug) for c, slug in slugs.items()}
    open_and_settle(page, demo_site + paths[code])
    direction, _name = EDITIONS[code]
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == (code, direction)
    headline = next(s["headline"] for s in load_demo_stories(code) if s["slug"] == slugs[code])
    assert page.locator("h1.story-headline").inner_text() == headline

    others = {c: p for c, p in paths.items() if c != code}
    assert switcher(page) == others
    assert page.locator(".edition-switcher a[data-translation]").count() == 2
    also_in = page.locator(".also-in a")
    assert {
        also_in.nth(i).get_attribute("hreflang"): also_in.nth(i).get_attribute("href")
        for i in range(also_in.count())
    } == others
    assert alternates(page, demo_site) == paths
    assert stray_text(page, code) == []

    # The switcher takes the reader to the same story in the other language.
    target = next(c for c in EDITIONS if c != code)
    page.locator(f'.edition-switcher a[lang="{target}"]').click()
    page.wait_for_load_state()
    assert page.url == demo_site + paths[target]
    assert page.locator("html").get_attribute("lang") == target


@pytest.mark.parametrize("code", ["ru", "ar"])
def test_a_story_without_translations_offers_the_other_home_fronts(demo_site, page, code):
    translated = {s for (c, s) in TRANSLATIONS if c == code}
    story = next(s for s in load_demo_stories(code) if s["slug"] not in translated)
    open_and_settle(page, demo_site + story_path(page, demo_site, code, story["slug"]))
    assert switcher(page) == {c: f"/{c}/" for c in EDITIONS if c != code}
    assert page.locator(".also-in").count() == 0
    assert alternates(page, demo_site) == {}
    assert stray_text(page, code) == []


def boxes(page):
    return page.evaluate(
        """() => Object.fromEntries(
            ['main', '.front-top', '.front-latest', '.newsfeed', '.masthead__name',
             '.masthead__search', '.sections-nav li:first-child a']
            .map(s => [s, document.querySelector(s).getBoundingClientRect().toJSON()]))"""
    )


def centre(box):
    return box["x"] + box["width"] / 2


def test_the_arabic_layout_mirrors_the_english_one(demo_site, page):
    layouts = {}
    for code in ("en", "ar"):
        open_and_settle(page, f"{demo_site}/{code}/")
        layouts[code] = boxes(page)
    width = page.viewport_size["width"]
    en, ar = layouts["en"], layouts["ar"]
    # English: the top story on the left, the latest stories to its right, the newsfeed panel
    # at the bottom right, the name at the left and the search at the right of the masthead.
    assert en[".front-top"]["x"] < en[".front-latest"]["x"]
    assert centre(en[".newsfeed"]) > centre(en["main"])
    assert centre(en[".masthead__name"]) < centre(en[".masthead__search"])
    # Arabic: each of them on the other side, at the mirrored place.
    assert ar[".front-top"]["x"] > ar[".front-latest"]["x"]
    assert centre(ar[".newsfeed"]) < centre(ar["main"])
    assert centre(ar[".masthead__name"]) > centre(ar[".masthead__search"])
    for selector in (".front-top", ".front-latest", ".newsfeed", ".masthead__search"):
        mirrored = width - en[selector]["x"] - en[selector]["width"]
        assert abs(ar[selector]["x"] - mirrored) <= 2, selector
    # The first section link ("Home") starts the row: on the right in Arabic.
    first = ".sections-nav li:first-child a"
    assert centre(en[first]) < width / 2 < centre(ar[first])


def test_arabic_text_runs_right_to_left_with_latin_and_numbers_in_place(demo_site, page):
    slug = translated_slug("ar", "astronomers-detect-water-vapour-on-temperate-exoplanet")
    open_and_settle(page, demo_site + story_path(page, demo_site, "ar", slug))
    paragraph = page.locator(".story-body p", has_text="KX-17 b").first
    # Body text is right-aligned: its last line ends at the right edge of the paragraph and
    # leaves the space on the left.
    layout = paragraph.evaluate(
        """p => {
            const style = getComputedStyle(p);
            const range = document.createRange();
            range.selectNodeContents(p);
            const lines = Array.from(range.getClientRects());
            const last = lines[lines.length - 1], box = p.getBoundingClientRect();
            // The Latin name and its number read left to right, in one piece, inside the line.
            const text = Array.from(p.childNodes).find(n => n.textContent.includes('KX-17 b'));
            const at = text.textContent.indexOf('KX-17 b');
            const part = (from, to) => {
                const r = document.createRange();
                r.setStart(text, from); r.setEnd(text, to);
                return r.getBoundingClientRect();
            };
            return {
                direction: style.direction, align: style.textAlign,
                lastRight: last.right, lastLeft: last.left, right: box.right, left: box.left,
                k: part(at, at + 1).left, seventeen: part(at + 3, at + 5).left,
                b: part(at + 6, at + 7).left,
            };
        }"""
    )
    assert layout["direction"] == "rtl"
    assert layout["align"] in ("start", "right")
    assert abs(layout["lastRight"] - layout["right"]) <= 2
    assert layout["lastLeft"] - layout["left"] > 20
    assert layout["k"] < layout["seventeen"] < layout["b"]
