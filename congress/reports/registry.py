"""The report's chapters. A chapter is a callable (start, end) -> ChapterData, built from its app's selectors and
registered by that app from its AppConfig.ready() with ``register_chapter(key, source)``; congress never imports the
apps (import-linter's layers contract), so supervision adds its chapters when it lands without touching the rest.

ChapterData is plain data (numbers, strings, lists) so that the monthly report can store it as JSON and never
recompute it: ``as_dict`` / ``from_dict``. Charts are specifications (kind, labels, values) that congress.lib.charts
draws as SVG when a page or a PDF is rendered."""
import datetime
from collections.abc import Callable
from dataclasses import asdict, dataclass, field


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


@dataclass
class Chart:
    kind: str  # "bar" or "line"
    title: str
    labels: list[str]
    values: list[float]
    unit: str = ""
    # a line chart may compare with a second series over the same labels (last year's months), named in its legend
    previous: list[float] | None = None
    series: list[str] = field(default_factory=lambda: ["今年", "去年同期"])  # a list: the snapshot is JSON


@dataclass
class ChapterData:
    key: str
    title: str
    order: int
    # label → value (int, float or text), in the order the chapter lists them
    figures: dict = field(default_factory=dict)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ChapterData":
        return cls(key=data["key"], title=data["title"], order=data["order"], figures=dict(data.get("figures") or {}),
                   tables=[Table(**t) for t in data.get("tables") or []],
                   charts=[Chart(**c) for c in data.get("charts") or []])


@dataclass(frozen=True)
class ChapterSource:
    key: str
    title: str
    order: int
    build: Callable[[datetime.date, datetime.date], ChapterData]


chapter_sources: dict[str, ChapterSource] = {}


def register_chapter(key: str, title: str, order: int, build: Callable) -> None:
    """Register (or re-register: ready() may run twice in tests) one chapter under a stable key (the staff's narrative
    text for a chapter is stored under this key)."""
    chapter_sources[key] = ChapterSource(key, title, order, build)


def chapter_choices() -> list[tuple[str, str]]:
    return [(s.key, s.title) for s in sorted(chapter_sources.values(), key=lambda s: (s.order, s.key))]


def build_chapters(start: datetime.date, end: datetime.date, *, progress: Callable | None = None) -> list[ChapterData]:
    """Every registered chapter for the days start..end (both included), in their order. ``progress(done, total)`` is
    called after each chapter (the annual report's progress bar)."""
    sources = sorted(chapter_sources.values(), key=lambda s: (s.order, s.key))
    chapters = []
    for number, source in enumerate(sources, 1):
        chapter = source.build(start, end)
        chapter.key, chapter.title, chapter.order = source.key, chapter.title or source.title, source.order
        chapters.append(chapter)
        if progress is not None:
            progress(number, len(sources))
    return chapters


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    start = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, following - datetime.timedelta(days=1)


def months_between(start: datetime.date, end: datetime.date) -> list[tuple[int, int]]:
    """(year, month) of every month the period touches, for per-month series."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = year + (month == 12), month % 12 + 1
    return months


def percent(value: float | None) -> str:
    """A rate as the reports print it: 95.2%, or — when nothing was counted."""
    return "—" if value is None else f"{value:.1f}%"
