"""Browser tests fail on a Content-Security-Policy violation: Chromium reports each blocked inline script, handler or
style as a console error naming the policy, which a page would otherwise swallow silently (a button that does nothing)."""
import pytest

CSP_MARKERS = ("Content Security Policy", "Content-Security-Policy")


@pytest.fixture(autouse=True)
def fail_on_csp_violation(request, monkeypatch):
    if request.node.get_closest_marker("browser") is None:
        yield []
        return
    from playwright.sync_api import Browser

    violations: list[str] = []

    def listen(context):
        def on_console(message):
            if message.type == "error" and any(marker in message.text for marker in CSP_MARKERS):
                violations.append(f"{message.page.url if message.page else '?'}: {message.text}")

        context.on("console", on_console)
        return context

    original_new_context, original_new_page = Browser.new_context, Browser.new_page

    def new_context(self, *args, **kwargs):
        return listen(original_new_context(self, *args, **kwargs))

    def new_page(self, *args, **kwargs):
        page = original_new_page(self, *args, **kwargs)
        listen(page.context)
        return page

    monkeypatch.setattr(Browser, "new_context", new_context)
    monkeypatch.setattr(Browser, "new_page", new_page)
    yield violations
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)
