"""Reading a re-rendered form back in tests: each element by its id, with its attributes, its
text and (for a select) the options selected; and the check that a refused field is marked."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""
    selected: list[str] = field(default_factory=list)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, Element] = {}
        self._open: list[Element | None] = []  # the open non-void elements, None for those without id
        self._select: Element | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        element = Element(tag, attrs) if attrs.get("id") else None
        if element is not None:
            self.by_id.setdefault(attrs["id"], element)
        if tag == "select":
            self._select = element
        elif tag == "option" and self._select is not None and "selected" in attrs:
            self._select.selected.append(attrs.get("value", ""))
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag not in VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            if element is not None:
                element.text += data


def page_elements(content: str) -> dict[str, Element]:
    parser = _Elements()
    parser.feed(content)
    parser.close()
    return parser.by_id


def invalid_ids(content: str) -> set[str]:
    """The ids of the fields marked invalid on the page."""
    return {id_ for id_, element in page_elements(content).items() if element.attrs.get("aria-invalid")}


def assert_marked(content: str, field_id: str, message: str) -> None:
    """The field is marked invalid for eyes and screen readers, its error (``message``, in the
    page's language) is next to it and the field points at it, and the form's summary is shown."""
    elements = page_elements(content)
    widget = elements[field_id]
    assert widget.attrs.get("aria-invalid") == "true", widget
    assert "is-invalid" in widget.attrs.get("class", "").split(), widget
    assert f"{field_id}_error" in widget.attrs.get("aria-describedby", "").split(), widget
    assert message in elements[f"{field_id}_error"].text
    assert "form-errors" in elements
