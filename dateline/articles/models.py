"""Stories and the date buckets that hold them.

Stories are not children of section pages: they live under their edition in date buckets
(/en/2026/11/29/<slug>/), so that no page has more than a day's stories as children however
large the archive grows, and sections are references that fronts query.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TitleFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager, PageViewRestriction
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from dateline.articles.blocks import StoryBodyBlock
from dateline.articles.forms import StoryForm
from dateline.articles.panels import StoryStatusPanel, StoryTabbedInterface


class ArticleQuerySet(PageQuerySet):
    def visible(self, now=None):
        """Return the stories a reader may see at ``now``: live, published at or before then,
        under no embargo that has not passed, not past their expiry time (before the scheduler
        has unpublished them), not withdrawn, and not private (under a page the newsroom made
        private in Wagtail's privacy settings: the edition, or a date bucket)."""
        now = now or timezone.now()
        # A restriction on the story or a page above it: its path starts the story's. The
        # table is empty or nearly so, so the test costs nothing per story.
        private = PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            Q(expire_at__isnull=True) | Q(expire_at__gt=now),
            ~Exists(private),
            live=True,
            published_at__lte=now,
            withdrawn_at__isnull=True,
        )

    def embargoed(self, now=None):
        """Return the stories held back by an embargo that has not passed at ``now``."""
        return self.filter(embargo_until__gt=now or timezone.now(), withdrawn_at__isnull=True)

    def for_cards(self):
        """Load what a story card shows (section, photo and its renditions) in a fixed number
        of queries, however many cards there are."""
        return self.select_related(
            "edition",
            "primary_section",
            "primary_section__edition",
            "lead_photo",
            "lead_photo__photographer",
        ).prefetch_related("lead_photo__renditions")

    def with_readable(self):
        """Annotate each story with whether readers may see it now (``readable``: visible)."""
        return self.annotate(
            readable=Exists(ArticlePage.objects.visible().filter(pk=OuterRef("pk")))
        )

    def for_story_page(self):
        """Load with each story what its own page shows of it beside the body (edition,
        locale, primary section, lead photo with its photographer, bylines, tags, corrections,
        further sections), and whether readers may see it (``readable``), in a fixed number of
        queries. The photos' renditions are loaded by the page (ArticlePage.get_context)."""
        return (
            self.with_readable()
            .select_related(
                "locale",
                "edition",
                "edition__locale",
                "primary_section",
                "primary_section__edition",
                "lead_photo",
                "lead_photo__photographer",
            )
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("person")),
                "tags",
                "corrections",
                "further_sections",
            )
        )


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


def photo_copies(lookup: str, *uses: str) -> Prefetch:
    """Return a prefetch of the renditions at ``lookup`` ("renditions" from photos,
    "lead_photo__renditions" from stories) made for the uses ``uses`` only (named in
    dateline.mediabank.renditions). A photo has about 40 copies, one per size and format of
    every use, the media bank's and the exports' included: a page loads those it shows."""
    from dateline.mediabank.models import PhotoRendition
    from dateline.mediabank.renditions import named

    specs = sorted({spec for use in uses for spec in named(use).all_specs()})
    return Prefetch(lookup, queryset=PhotoRendition.objects.filter(filter_spec__in=specs))


def route_to_story(parent: Page, request, path_components, levels_below: int):
    """Return the route to the story ``path_components`` names when it is ``levels_below``
    levels under ``parent`` (its edition or a date bucket), else None.

    A story's address goes down the year, month and day buckets, and Wagtail would read each
    level and then its specific row (two queries a level). The story is found here in one
    query, by its slug under ``parent``, with what its page shows of it (for_story_page);
    anything else (a bucket, live coverage, a story's sub-path, a miss) is left to Wagtail."""
    if len(path_components) != levels_below:
        return None
    wanted = parent.url_path + "/".join(path_components) + "/"
    for story in ArticlePage.objects.for_story_page().filter(
        slug=path_components[-1], depth=parent.depth + levels_below, path__startswith=parent.path
    ):
        if story.url_path == wanted:
            return story.route(request, [])
    return None


class ArchivePage(Page):
    """A date bucket under an edition: a year, a month in it, or a day in that."""

    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    day = models.PositiveSmallIntegerField(null=True, blank=True)

    parent_page_types = ["editions.Edition", "articles.ArchivePage"]
    subpage_types = ["articles.ArchivePage", "articles.ArticlePage", "live.LiveCoveragePage"]
    # Buckets are made by file_story() as stories need them, never by hand.
    is_creatable = False
    content_panels = [FieldPanel("title")]
    preview_modes: list = []
    template = "articles/archive_page.html"

    class Meta:
        verbose_name = _("date archive")
        verbose_name_plural = _("date archives")

    def route(self, request, path_components):
        levels_below = 3 - (self.month is not None) - (self.day is not None)
        found = route_to_story(self, request, path_components, levels_below)
        return found or super().route(request, path_components)

    @property
    def period_label(self) -> str:
        """Return the period in the active language: "2026", "November 2026", "29 November
        2026"."""
        if self.day:
            return formats.date_format(dt.date(self.year, self.month, self.day), "DATE_FORMAT")
        if self.month:
            return formats.date_format(dt.date(self.year, self.month, 1), "YEAR_MONTH_FORMAT")
        return str(self.year)

    def get_context(self, request, *args, **kwargs):
        from dateline.articles.queries import stories_in_period

        context = super().get_context(request, *args, **kwargs)
        context["stories"] = stories_in_period(
            self, request.GET.get("page"), getattr(request, "edition", None)
        )
        return context


class ArticlePage(Page):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        FEATURE = "feature", _("Feature")
        ANALYSIS = "analysis", _("Analysis")
        OPINION = "opinion", _("Opinion")
        OFFBEAT = "offbeat", _("Off-beat")

    edition = models.ForeignKey(
        "editions.Edition",
        on_delete=models.PROTECT,
        related_name="articles",
        editable=False,
        verbose_name=_("edition"),
    )
    # Every story would be a "reference" to its edition: the edition's usage count in the
    # newsroom would then count the whole archive. The tree already says where a story is.
    edition.wagtail_reference_index_ignore = True
    standfirst = models.TextField(_("standfirst"), blank=True, max_length=600)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.NEWS)
    primary_section = models.ForeignKey(
        "sections.Section",
        on_delete=models.PROTECT,
        related_name="primary_articles",
        verbose_name=_("section"),
    )
    further_sections = ParentalManyToManyField(
        "sections.Section",
        blank=True,
        related_name="further_articles",
        verbose_name=_("further sections"),
    )
    tags = ClusterTaggableManager(through="articles.ArticleTag", blank=True, verbose_name=_("tags"))
    dateline_place = models.ForeignKey(
        "sections.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("dateline place"),
    )
    dateline_agency = models.CharField(
        _("dateline agency"),
        max_length=80,
        blank=True,
        help_text=_("Leave empty for the edition's own agency."),
    )
    lead_photo = models.ForeignKey(
        "mediabank.Photo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("lead photo"),
    )
    lead_caption = models.CharField(
        _("lead photo caption"),
        max_length=500,
        blank=True,
        help_text=_("Leave empty to use the photo's own caption."),
    )
    body = StreamField(StoryBodyBlock(), blank=True, verbose_name=_("body"))
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the story is first published."),
    )
    is_top_story = models.BooleanField(
        _("top story"), default=False, help_text=_("Lead the home front with this story.")
    )
    next_story = models.ForeignKey(
        "articles.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("next story"),
        help_text=_(
            "The story readers get when they reach the end of this one. Leave empty for the "
            "next older story of the edition."
        ),
    )
    # Photos shown anywhere in the story, kept on save so that the media bank can list uses.
    photos = ParentalManyToManyField("mediabank.Photo", blank=True, related_name="stories")
    embargo_until = models.DateTimeField(
        _("embargoed until"),
        null=True,
        blank=True,
        help_text=_(
            "Nobody outside the newsroom sees the story before this time, whenever it is "
            "published or scheduled; it goes live by itself then."
        ),
    )
    # Set by actions.withdraw_story(); kept from the row whatever revision is published.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("withdrawn by"),
    )
    withdrawal_reason = models.TextField(
        _("reason for withdrawal"), blank=True, max_length=1000, editable=False
    )

    objects = ArticleManager()
    base_form_class = StoryForm

    parent_page_types = ["articles.ArchivePage"]
    subpage_types: list = []
    template = "articles/article_page.html"

    content_panels = [
        StoryStatusPanel(),
        # TitleFieldPanel, not FieldPanel: it is what fills the slug from the headline as it is
        # typed (a plain FieldPanel here lost Wagtail's title-to-slug sync).
        # (Without the "title" class: a labelled field like the others, not the page-title look.)
        TitleFieldPanel(
            "title",
            heading=_("Headline"),
            help_text=_(
                "As readers see it on the story and on fronts; the address is made from it."
            ),
            placeholder=False,
            classname="",
        ),
        FieldPanel("standfirst"),
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("primary_section"),
                FieldPanel("further_sections", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("is_top_story"),
                FieldPanel("next_story"),
            ],
            heading=_("Placement"),
        ),
        MultiFieldPanel([FieldPanel("embargo_until")], heading=_("Embargo")),
        InlinePanel("bylines", heading=_("Bylines"), label=_("Byline")),
        MultiFieldPanel(
            [FieldPanel("dateline_place"), FieldPanel("dateline_agency")], heading=_("Dateline")
        ),
        MultiFieldPanel(
            [FieldPanel("lead_photo"), FieldPanel("lead_caption")], heading=_("Lead photo")
        ),
        FieldPanel("body"),
        InlinePanel("corrections", heading=_("Corrections and updates"), label=_("Note")),
    ]
    # Wagtail's three tabs, under a summary of the fields in error (panels.StoryTabbedInterface).
    edit_handler = StoryTabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ],
        base_form_class=StoryForm,
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst", boost=2),
        index.SearchField("body"),
        index.FilterField("edition"),
        index.FilterField("published_at"),
        index.FilterField("kind"),
        # The visibility rule (ArticleQuerySet.visible) filters search results on these.
        index.FilterField("embargo_until"),
        index.FilterField("expire_at"),
        index.FilterField("withdrawn_at"),
    ]

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        indexes = [
            models.Index(fields=["edition", "-published_at"], name="article_edition_time"),
            models.Index(fields=["primary_section", "-published_at"], name="article_section_time"),
            models.Index(fields=["edition", "kind", "-published_at"], name="article_kind_time"),
            # The home front's lead: the newest top story, found without reading the others.
            models.Index(
                fields=["edition", "-published_at"],
                condition=Q(is_top_story=True),
                name="article_top_time",
            ),
        ]

    # --- derived values a page shows

    @property
    def agency(self) -> str:
        return self.dateline_agency or self.edition.agency

    @property
    def dateline_text(self) -> str:
        """Return the dateline in the edition's style: "PLACE (Agency) –", or ''."""
        if not self.dateline_place:
            return ""
        return f"{self.dateline_place.name.upper()} ({self.agency}) –"

    @property
    def caption(self) -> str:
        if self.lead_caption:
            return self.lead_caption
        return self.lead_photo.caption if self.lead_photo else ""

    @property
    def modified_at(self):
        """The last time readers saw the story change: a publish or a correction."""
        times = [t for t in (self.published_at, self.last_published_at) if t]
        times += [c.published_at for c in self.corrections.all()]
        return max(times) if times else None

    @property
    def is_embargoed(self) -> bool:
        """Whether an embargo that has not passed holds the story back."""
        return bool(self.embargo_until and self.embargo_until > timezone.now())

    @property
    def was_public(self) -> bool:
        """Whether readers could have seen the story: it has a publication time."""
        return self.published_at is not None

    @property
    def status_string(self):
        # The newsroom's listings show this: an embargo or a withdrawal is what an editor must
        # see first, before Wagtail's "draft" or "scheduled".
        if self.withdrawn_at:
            return _("withdrawn")
        if self.is_embargoed and not self.live:
            return _("embargoed until %(time)s") % {
                "time": formats.date_format(
                    timezone.localtime(self.embargo_until), "SHORT_DATETIME_FORMAT"
                )
            }
        return super().status_string

    def referenced_photos(self) -> set[int]:
        ids = {self.lead_photo_id} if self.lead_photo_id else set()
        for block in self.body:
            if block.block_type == "image" and block.value["photo"]:
                ids.add(block.value["photo"].pk)
        return ids

    def save(self, *args, **kwargs):
        if not self.edition_id:
            self.edition_id = self._edition_from_tree()
        if self.live and self.published_at is None:
            self.published_at = self.first_published_at or timezone.now()
        from dateline.mediabank.models import Photo

        self.photos = Photo.objects.filter(pk__in=self.referenced_photos())
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # (A new page is live until Wagtail decides otherwise: what counts is a live revision.)
        if self.is_embargoed and self.live and self.live_revision_id:
            raise ValidationError(
                {
                    "embargo_until": _(
                        "This story is already published: an embargo cannot take it back. "
                        "Withdraw it or unpublish it instead."
                    )
                }
            )
        if self.is_embargoed and self.expire_at and self.expire_at <= self.embargo_until:
            raise ValidationError(
                {"embargo_until": _("The story would expire before its embargo ends.")}
            )

    def save_revision(self, *args, **kwargs):
        # An embargo holds back every publish of the story, whoever or whatever publishes it:
        # the revision is scheduled for the end of the embargo at the earliest, and Wagtail's
        # scheduler (dateline run-scheduler) makes it live then.
        if self.is_embargoed and (self.go_live_at is None or self.go_live_at < self.embargo_until):
            self.go_live_at = self.embargo_until
        return super().save_revision(*args, **kwargs)

    def with_content_json(self, content):
        # A revision does not own the facts of publication or withdrawal: keep them from the
        # live row, so that publishing an older revision cannot bring a withdrawn story back.
        obj = super().with_content_json(content)
        obj.published_at = self.published_at
        obj.edition_id = self.edition_id
        obj.withdrawn_at = self.withdrawn_at
        obj.withdrawn_by_id = self.withdrawn_by_id
        obj.withdrawal_reason = self.withdrawal_reason
        return obj

    def route(self, request, path_components):
        # Wagtail serves any live page; a reader gets a story only while it is visible
        # (ArticleQuerySet.visible), and a withdrawn story that readers saw gets its notice.
        if not path_components:
            if self.withdrawn_at and self.was_public:
                return RouteResult(self)
            readable = getattr(self, "readable", None)  # when routed by ArchivePage.route
            if readable is None:
                readable = ArticlePage.objects.visible().filter(pk=self.pk).exists()
            if not readable:
                raise Http404("No such story")
        return super().route(request, path_components)

    def get_view_restrictions(self):
        # A story found readable (for_story_page) passed the visibility rule, which already
        # checked the restrictions on it and every page above it: none can apply. Wagtail's
        # check would read its ancestors and their restrictions again (two queries). An alias
        # takes its source's restrictions, which the rule does not see: Wagtail checks those.
        if getattr(self, "readable", False) and self.alias_of_id is None:
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def serve(self, request, *args, **kwargs):
        if self.withdrawn_at and not getattr(request, "is_preview", False):
            response = TemplateResponse(
                request, "articles/withdrawn_page.html", {"page": self}, status=410
            )
            response.headers["X-Robots-Tag"] = "noindex"
            return response
        return super().serve(request, *args, **kwargs)

    def _edition_from_tree(self):
        """Return the id of the edition this story is filed under (the page at depth 2)."""
        from dateline.editions.lookup import edition_id_for_path

        return edition_id_for_path(self.path)

    def get_context(self, request, *args, **kwargs):
        from dateline.articles.queries import story_cards_for

        context = super().get_context(request, *args, **kwargs)
        if not self.edition_id:  # the preview of a story not saved yet
            self.edition_id = self._edition_from_tree()
        if self.pk:  # a preview of a story not saved yet has nothing stored to load
            # The page and its JSON-LD read these several times: load each once.
            # (Nothing more for a story routed here: ArchivePage.route loaded them.)
            prefetch_related_objects(
                [self],
                Prefetch("bylines", queryset=Byline.objects.select_related("person")),
                "tags",
                "corrections",
                "further_sections",
            )
        context["story_cards"] = cards = story_cards_for(self)
        # Photos placed in the body: their photographers (credit lines) in one query, and the
        # renditions the page shows of every photo on it (lead, body, cards) in another,
        # however many there are.
        body_photos = [
            block.value["photo"]
            for block in self.body
            if block.block_type == "image" and block.value["photo"]
        ]
        prefetch_related_objects(body_photos, "photographer")
        photos = [self.lead_photo] if self.lead_photo else []
        photos += body_photos + [card.lead_photo for card in cards.values() if card.lead_photo]
        prefetch_related_objects(
            photos, photo_copies("renditions", "story_lead", "share", "story_photo", "related_card")
        )
        context["first_paragraph_id"] = next(
            (block.id for block in self.body if block.block_type == "paragraph"), None
        )
        return context


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="tagged_items")


class Byline(Orderable):
    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="bylines", verbose_name=_("person")
    )

    panels = [FieldPanel("person")]

    class Meta(Orderable.Meta):
        verbose_name = _("byline")


class Correction(Orderable):
    """A correction or an update note shown on the story with its time."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", pgettext_lazy("note kind", "Correction")
        UPDATE = "update", pgettext_lazy("note kind", "Update")

    article = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(_("text"), max_length=2000)
    published_at = models.DateTimeField(_("time"), default=timezone.now)

    panels = [FieldPanel("kind"), FieldPanel("text"), FieldPanel("published_at")]

    class Meta(Orderable.Meta):
        verbose_name = _("correction or update")


class StoryListing(models.Model):
    """A published story's place on a list that pages show newest first: a section (primary or
    further), a tag, a person in its bylines; with the story's edition and publication time.

    A list's newest stories are then read in order from one index, however long the list and
    the archive are; joined from the link tables they had to be read whole and sorted (a busy
    tag or a section's further stories are tens of thousands at a million stories). Rows are
    kept by ``dateline.articles.listings.sync_listings`` on every publish; whether a story is
    visible is still checked on the story, so a withdrawn or expired one drops out at once."""

    class Kind(models.TextChoices):
        SECTION = "section", _("section")
        TAG = "tag", _("tag")
        PERSON = "person", _("person")

    # (The unique constraint's index, which starts with the story, serves lookups by story.)
    story = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="listings", db_index=False
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    target_id = models.PositiveIntegerField()
    edition = models.ForeignKey(
        "editions.Edition", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    published_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["story", "kind", "target_id"], name="listing_unique")
        ]
        indexes = [
            models.Index(
                fields=["kind", "target_id", "edition", "-published_at", "-story"],
                name="listing_newest",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.target_id}: story {self.story_id}"
