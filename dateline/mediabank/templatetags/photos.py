"""Photos in templates, by the name of their use (``dateline/mediabank/renditions.py``).

``{% photo_picture photo "card" sizes="…" alt=photo.default_alt_text loading="lazy" %}``
renders what Wagtail's ``{% picture %}`` renders for that use's sizes and formats;
``{% photo_image photo "share" as og_image %}`` (or with attributes, an ``<img>``) what its
``{% image %}`` does, for a use with one size and format. An unknown name is an error when the
template is compiled.
"""

from django import template
from wagtail.images.models import Picture
from wagtail.images.shortcuts import get_rendition_or_not_found, get_renditions_or_not_found

from dateline.mediabank import renditions

register = template.Library()


class PhotoNode(template.Node):
    def __init__(self, photo, name: str, attrs: dict, output_var_name: str | None):
        self.photo = photo
        self.name = name
        self.attrs = attrs
        self.output_var_name = output_var_name

    def render(self, context):
        try:
            photo = self.photo.resolve(context)
        except template.VariableDoesNotExist:
            photo = None
        if not photo:
            if self.output_var_name:
                context[self.output_var_name] = None
            return ""
        value = self.make(photo)
        if self.output_var_name:
            context[self.output_var_name] = value
            return ""
        attrs = {key: expr.resolve(context) for key, expr in self.attrs.items()}
        return self.html(value, attrs)


class PictureNode(PhotoNode):
    def make(self, photo):
        return get_renditions_or_not_found(photo, renditions.specs(photo, self.name))

    def html(self, value, attrs):
        return Picture(value, attrs).__html__()


class ImageNode(PhotoNode):
    def make(self, photo):
        return get_rendition_or_not_found(photo, renditions.single_spec(self.name))

    def html(self, value, attrs):
        return value.img_tag(attrs)


def _parse(parser, token, node_class, single: bool):
    tag_name, *bits = token.split_contents()
    usage = (
        f'{{% {tag_name} photo "name" [attr=value …] %}} or {{% {tag_name} photo "name" as var %}}'
    )
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"Use {usage}")
    photo, name = parser.compile_filter(bits[0]), bits[1][1:-1]
    try:
        if single:
            renditions.single_spec(name)
        else:
            renditions.named(name)
    except (KeyError, ValueError) as error:
        raise template.TemplateSyntaxError(f"{tag_name}: {error}") from None
    rest, attrs, output_var_name = bits[2:], {}, None
    if rest[:1] == ["as"]:
        if len(rest) != 2:
            raise template.TemplateSyntaxError(f"Use {usage}")
        output_var_name = rest[1]
    else:
        for bit in rest:
            key, sep, value = bit.partition("=")
            if not sep:
                raise template.TemplateSyntaxError(f"{tag_name}: {bit!r} is not attr=value")
            attrs[key] = parser.compile_filter(value)
    return node_class(photo, name, attrs, output_var_name)


@register.tag
def photo_picture(parser, token):
    return _parse(parser, token, PictureNode, single=False)


@register.tag
def photo_image(parser, token):
    return _parse(parser, token, ImageNode, single=True)
