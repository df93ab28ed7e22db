"""The storage of the collected static files: each under a name with a hash of its content (the
name pages use, served as immutable), with gzip and brotli copies beside it (WhiteNoise's
storage), and the site's own scripts minified on the way."""

import rjsmin
from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

# The site's own files (dateline/static/dateline/); those of Django, Wagtail and the other
# packages come minified where their authors chose to.
OWN_SCRIPTS = "dateline/"


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def _save(self, name, content):
        # Comments and indentation go (a third of the bytes); names, semicolons and line
        # breaks that end a statement stay, so the script does exactly what its source says.
        # Both copies are minified: the plain one when collected, the hashed one (named by a
        # hash of the source) when written.
        if name.startswith(OWN_SCRIPTS) and name.endswith(".js"):
            source = b"".join(content.chunks()).decode("utf-8")  # chunks() reads from the start
            content = ContentFile(rjsmin.jsmin(source).encode("utf-8"))
        return super()._save(name, content)
