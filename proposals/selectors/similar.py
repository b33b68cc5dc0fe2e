"""Similar suggestions for 并案: IDF-weighted character bigrams over title and content (no network, no segmenter)."""
import math
from collections import Counter, defaultdict

from proposals.models import (
    Suggestion,
)


def bigrams(text: str) -> Counter:
    """Chinese character bigrams of the text's CJK/alphanumeric runs (punctuation and spaces split runs)."""
    grams: Counter = Counter()
    run = []
    for ch in text + " ":
        if ch.isalnum():
            run.append(ch)
            continue
        for i in range(len(run) - 1):
            grams[run[i] + run[i + 1]] += 1
        run = []
    return grams


def _vector(suggestion) -> Counter:
    # the title says what the item is about: count it three times against the content
    grams = bigrams(suggestion.title)
    for g in grams:
        grams[g] *= 3
    grams.update(bigrams(suggestion.content))
    return grams


def weighted(grams: Counter, idf: dict | None = None) -> dict[str, float]:
    """Each bigram's count times its inverse document frequency (a bigram the idf does not know keeps its count)."""
    w = idf or {}
    return {g: tf * w.get(g, 1.0) for g, tf in grams.items()}


def norm(weights: dict[str, float]) -> float:
    return math.sqrt(sum(x * x for x in weights.values()))


def cosine(a: dict[str, float], b: dict[str, float], norm_a: float | None = None, norm_b: float | None = None) -> float:
    """The one formula of a pair's score, for the page's direct computation and the stored matches alike
    (proposals.services.similar), so the two cannot drift: the cosine of two `weighted` vectors. A caller scoring many
    pairs passes the norms it keeps; the dot product runs over the shorter vector."""
    if not a or not b:
        return 0.0
    na = norm(a) if norm_a is None else norm_a
    nb = norm(b) if norm_b is None else norm_b
    if len(a) > len(b):
        a, b = b, a
    dot = sum(x * b[g] for g, x in a.items() if g in b)
    return dot / (na * nb) if na and nb else 0.0


def similar_suggestions(suggestion: Suggestion, limit: int = 5, candidates=None) -> list[tuple[Suggestion, float]]:
    """The suggestions of the same term most like this one (bigram cosine over title and content, weighted by
    inverse document frequency so words every suggestion uses, like 建议 or 加强, count little). No network."""
    if candidates is None:
        candidates = Suggestion.objects.filter(term_id=suggestion.term_id).exclude(pk=suggestion.pk).exclude(
            status__in=(Suggestion.Status.DRAFT, Suggestion.Status.MERGED, Suggestion.Status.RETURNED)).only(
            "id", "title", "content", "number", "status", "term_id")
    candidates = [c for c in candidates if c.pk != suggestion.pk]
    vectors = {c.pk: _vector(c) for c in candidates}
    mine = _vector(suggestion)
    df: defaultdict = defaultdict(int)
    for v in [mine, *vectors.values()]:
        for g in v:
            df[g] += 1
    n = len(vectors) + 1
    idf = {g: math.log((n + 1) / (d + 0.5)) for g, d in df.items()}
    mine_w = weighted(mine, idf)
    mine_norm = norm(mine_w)
    scored = [(c, cosine(mine_w, weighted(vectors[c.pk], idf), norm_a=mine_norm)) for c in candidates]
    scored.sort(key=lambda pair: (-pair[1], pair[0].pk))
    return [(c, round(s, 4)) for c, s in scored[:limit] if s > 0]


def stored_similar(suggestion: Suggestion, limit: int = 5, among=None) -> list[tuple[Suggestion, float]] | None:
    """The stored matches (proposals.services.similar), best first, leaving out those merged or returned since and,
    with `among` (a queryset), those not in it; None when nothing is stored yet for this suggestion. One query."""
    from proposals.models import SimilarMatch

    qs = (SimilarMatch.objects.filter(suggestion=suggestion).select_related("other")
          .only("score", "other__id", "other__title", "other__number", "other__status", "other__term_id")
          .order_by("-score", "other_id"))
    matches = list(qs)
    if not matches:
        return None
    excluded = (Suggestion.Status.DRAFT, Suggestion.Status.MERGED, Suggestion.Status.RETURNED)
    keep = [m for m in matches if m.other.status not in excluded]
    if among is not None:
        allowed = set(among.filter(pk__in=[m.other_id for m in keep]).values_list("pk", flat=True))
        keep = [m for m in keep if m.other_id in allowed]
    return [(m.other, m.score) for m in keep[:limit]]


def similar_for_page(suggestion: Suggestion, limit: int = 5, among=None) -> list[tuple[Suggestion, float]]:
    """What the admin page and the merge form show: the stored matches, or, before the background computation has
    run for this suggestion (or on a demo without a worker), the direct computation."""
    stored = stored_similar(suggestion, limit=limit, among=among)
    if stored is not None:
        return stored
    candidates = None if among is None else list(among.only("id", "title", "content", "number", "term_id", "status"))
    return similar_suggestions(suggestion, limit=limit, candidates=candidates)
