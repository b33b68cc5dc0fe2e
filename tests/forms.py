"""The values a browser would post for a page's form: every input, select and textarea with its current value, as a
person submits it without touching anything (tests then change the fields they mean to)."""
from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, list[str]] = {}
        self._select = None
        self._select_first = None
        self._select_chosen = False
        self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
            self.fields.setdefault(name, [])
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in a:
                self.fields[self._select].append(value)
                self._select_chosen = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.setdefault(self._textarea, []).append("".join(self._text).lstrip("\n"))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str) -> dict:
    """{name: value or [values]} of the page's fields (for Django's test client)."""
    parser = _Fields()
    parser.feed(html)
    return {k: (v[0] if len(v) == 1 else v) for k, v in parser.fields.items() if v}
