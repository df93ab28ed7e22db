from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from dateline.mediabank.models import Photo
from dateline.mediabank.usage import public_photos, published_usages

PHOTOS_PER_PAGE = 24


def photo_index(request):
    """The newest public photos first, a page at a time."""
    photos = (
        public_photos(Photo.objects.all())
        .select_related("photographer")
        .prefetch_renditions()
        .order_by("-created_at", "-pk")
    )
    page = Paginator(photos, PHOTOS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "mediabank/index.html", {"photos": page})


def photo_page(request, photo_id: int):
    """The public page of one photo: large, with caption, credit, copyright and the stories
    that use it (published ones only). A photo no published story shows is not found."""
    photo = get_object_or_404(
        public_photos(Photo.objects.select_related("photographer")), pk=photo_id
    )
    return render(
        request,
        "mediabank/photo_page.html",
        {"photo": photo, "usages": published_usages(photo)},
    )
