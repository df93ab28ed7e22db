from wagtail import hooks


@hooks.register("before_serve_page")
def remember_page(page, request, serve_args, serve_kwargs):
    # The page cache stores the page under its own key too (dateline.pagecache.middleware), so
    # that a change to this page alone (a live coverage's new entry) purges only this page.
    request.dateline_page_id = page.pk
