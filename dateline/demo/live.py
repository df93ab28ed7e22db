"""The demo's live coverage, one page per edition: a running page with a few entries, one
pinned, two key events. All of it is made up for the demonstration."""

import datetime as dt

from django.utils import timezone

from dateline.articles.actions import file_story
from dateline.live.models import LiveCoveragePage, LiveEntry
from dateline.sections.models import Section

ENGLISH_ENTRIES = [
    # minutes ago, title, text, key event, pinned
    (
        170,
        "Talks open",
        "Delegates from 41 coastal states took their seats for the final day of the ocean "
        "treaty talks, with fishing quotas and a deep-sea mining pause still unresolved.",
        True,
        False,
    ),
    (
        130,
        "",
        "The chair asked for a short recess after two delegations objected to the wording on "
        "mining licences. Observers in the hall expect the session to resume within the hour.",
        False,
        False,
    ),
    (
        95,
        "Draft text circulated",
        "A revised draft now proposes a ten-year pause on new deep-sea mining licences, with a "
        "review after five years. Fishing quotas are left to regional bodies.",
        True,
        False,
    ),
    (
        40,
        "",
        "Small island states say they can accept the revised draft if a fund for coastal "
        "monitoring is named in the final text.",
        False,
        False,
    ),
    (
        15,
        "What is at stake",
        "The treaty would be the first to set binding rules for waters beyond national "
        "jurisdiction in this region. Follow this page for every development; key events are "
        "listed at the top.",
        False,
        True,
    ),
]


RUSSIAN_ENTRIES = [
    (
        165,
        "Переговоры открылись",
        "Делегаты 41 прибрежного государства заняли места в зале на последний день переговоров "
        "по океанскому договору. Квоты на вылов рыбы и пауза в глубоководной добыче пока не "
        "согласованы.",
        True,
        False,
    ),
    (
        120,
        "",
        "Председатель объявил короткий перерыв после возражений двух делегаций против "
        "формулировок о лицензиях на добычу. Наблюдатели ждут возобновления заседания в течение "
        "часа.",
        False,
        False,
    ),
    (
        80,
        "Разослан новый проект",
        "Новый проект предлагает десятилетний мораторий на выдачу лицензий на глубоководную "
        "добычу с пересмотром через пять лет. Квоты на вылов передаются региональным органам.",
        True,
        False,
    ),
    (
        35,
        "",
        "Малые островные государства готовы поддержать проект, если в итоговом тексте появится "
        "фонд для наблюдения за побережьем.",
        False,
        False,
    ),
    (
        10,
        "Что на кону",
        "Договор впервые установит обязательные правила для вод этого региона за пределами "
        "национальной юрисдикции. Следите за событиями на этой странице: главное — вверху.",
        False,
        True,
    ),
]

ARABIC_ENTRIES = [
    (
        160,
        "انطلاق الجلسة",
        "جلس مندوبو 41 دولة ساحلية في القاعة لليوم الأخير من مفاوضات معاهدة المحيطات، ولا تزال "
        "حصص الصيد وتعليق التعدين في أعماق البحار دون اتفاق.",
        True,
        False,
    ),
    (
        115,
        "",
        "طلب رئيس الجلسة استراحة قصيرة بعد اعتراض وفدين على صياغة بند تراخيص التعدين. ويتوقع "
        "المراقبون استئناف الجلسة خلال ساعة.",
        False,
        False,
    ),
    (
        75,
        "توزيع مسودة جديدة",
        "تقترح المسودة المعدلة تعليق منح تراخيص جديدة للتعدين في أعماق البحار مدة عشر سنوات، "
        "مع مراجعة بعد خمس سنوات.",
        True,
        False,
    ),
    (
        30,
        "",
        "الدول الجزرية الصغيرة مستعدة لقبول المسودة إذا نص النص النهائي على صندوق لمراقبة السواحل.",
        False,
        False,
    ),
    (
        8,
        "ما الذي على المحك",
        "ستكون المعاهدة أول من يضع قواعد ملزمة للمياه الواقعة خارج الولاية الوطنية في هذه "
        "المنطقة. تابعوا كل التطورات في هذه الصفحة، وأبرز الأحداث في أعلاها.",
        False,
        True,
    ),
]

# language code: (headline, slug, standfirst, entries)
COVERAGE = {
    "en": (
        "Ocean Treaty Talks: the Final Day, Live",
        "ocean-treaty-talks-live",
        "Negotiators try to close a regional ocean treaty before the deadline at midnight. "
        "Entries appear here as our reporters file them.",
        ENGLISH_ENTRIES,
    ),
    "ru": (
        "Переговоры об океанском договоре: последний день, онлайн",
        "peregovory-ob-okeanskom-dogovore-onlajn",
        "Участники переговоров пытаются согласовать региональный договор об океане до полуночи. "
        "Новости появляются здесь по мере того, как их передают наши корреспонденты.",
        RUSSIAN_ENTRIES,
    ),
    "ar": (
        "مفاوضات معاهدة المحيطات: اليوم الأخير مباشرة",
        "ocean-treaty-talks-live",
        "يحاول المفاوضون إبرام معاهدة إقليمية للمحيطات قبل انتهاء المهلة عند منتصف الليل. "
        "تظهر المستجدات هنا فور وصولها من مراسلينا.",
        ARABIC_ENTRIES,
    ),
}


def load_demo_coverage(edition) -> LiveCoveragePage:
    """Open the edition's demo coverage of the ocean treaty talks, with its entries."""
    title, slug, standfirst, entries = COVERAGE[edition.language_code]
    now = timezone.now()
    start = now - dt.timedelta(hours=3)
    coverage = file_story(edition, start).add_child(
        instance=LiveCoveragePage(
            title=title,
            slug=slug,
            locale_id=edition.locale_id,
            primary_section=Section.objects.get(edition=edition, slug="world"),
            standfirst=standfirst,
            coverage_start=start,
        )
    )
    coverage.save_revision().publish()
    for minutes, entry_title, text, key_event, pinned in entries:
        LiveEntry.objects.create(
            coverage=coverage,
            created_at=now - dt.timedelta(minutes=minutes),
            title=entry_title,
            text=f"<p>{text}</p>",
            is_key_event=key_event,
            is_pinned=pinned,
        )
    return coverage
