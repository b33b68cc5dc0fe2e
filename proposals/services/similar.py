"""Similar suggestions, computed in the background (a Celery task per submitted suggestion, and nightly for the current
term) and stored as each suggestion's top matches, so the admin page and the merge form read a few rows instead of
splitting every text of the term on every request (measured before: 2.9–3.0 s per page at province scale).

The score is proposals.selectors.similar.cosine, the same function the direct computation uses, over IDF-weighted
vectors; the pool is the term's suggestions that may still be merged into or be merged (not drafts, merged or returned
ones)."""
import heapq
import math
from collections import Counter, defaultdict

from django.db import transaction

from proposals.models import SimilarMatch, Suggestion, SuggestionVector
from proposals.selectors.similar import cosine, norm, weighted

POOL_EXCLUDED = (Suggestion.Status.DRAFT, Suggestion.Status.MERGED, Suggestion.Status.RETURNED)
KEEP = 5


def _vector_of(suggestion) -> dict:
    from proposals.selectors.similar import _vector

    return dict(_vector(suggestion))


def vectors_for_term(term_id: int) -> dict[int, Counter]:
    """The pool's vectors: stored ones read in one query; missing or stale ones (text edited since) computed and
    stored in one bulk statement."""
    pool = (Suggestion.objects.filter(term_id=term_id).exclude(status__in=POOL_EXCLUDED)
            .only("id", "title", "content", "term_id"))
    stored = {v.suggestion_id: v for v in SuggestionVector.objects.filter(term_id=term_id)}
    vectors: dict[int, Counter] = {}
    fresh = []
    for s in pool:
        vector = stored.get(s.pk)
        if vector is None:
            grams = _vector_of(s)
            fresh.append(SuggestionVector(suggestion_id=s.pk, term_id=term_id, grams=grams))
            vectors[s.pk] = Counter(grams)
        else:
            vectors[s.pk] = Counter(vector.grams)
    SuggestionVector.objects.bulk_create(fresh, ignore_conflicts=True)
    return vectors


def vector_forget(suggestion_id: int) -> None:
    """The text changed: the stored vector is recomputed at the next computation."""
    SuggestionVector.objects.filter(suggestion_id=suggestion_id).delete()


def _idf(vectors: dict[int, Counter]) -> dict[str, float]:
    df: defaultdict = defaultdict(int)
    for v in vectors.values():
        for g in v:
            df[g] += 1
    n = len(vectors)
    return {g: math.log((n + 1) / (d + 0.5)) for g, d in df.items()}


RARE_SHARE = 0.05  # a bigram in at most 5% of the pool (and at least 50 items) finds candidates


def _postings(vectors: dict[int, Counter]) -> dict[str, list[int]]:
    """Which suggestions hold each rare bigram: the candidates of a suggestion are those sharing one of its rare
    bigrams, so a computation costs what the overlaps cost, not the whole pool (nightly, for every item of a term)."""
    limit = max(50, int(len(vectors) * RARE_SHARE))
    postings: dict[str, list[int]] = defaultdict(list)
    for pk, v in vectors.items():
        for g in v:
            postings[g].append(pk)
    return {g: ids for g, ids in postings.items() if len(ids) <= limit}


RESCORE = 100  # candidates scored exactly per suggestion, the best by their shared rare bigrams


class Weights:
    """The pool's IDF-weighted vectors and their norms, computed once per run; a pair's score is
    proposals.selectors.similar.cosine, the formula the page's direct computation uses, given the kept norms."""

    def __init__(self, vectors: dict[int, Counter], idf: dict[str, float]):
        self.of = {pk: weighted(v, idf) for pk, v in vectors.items()}
        self.norm = {pk: norm(w) for pk, w in self.of.items()}

    def cosine(self, a: int, b: int) -> float:
        return cosine(self.of[a], self.of[b], norm_a=self.norm[a], norm_b=self.norm[b])


def _top(pk: int, weights: Weights, keep: int, postings: dict) -> list[tuple[int, float]]:
    """The `keep` best matches of `pk`: candidates are the suggestions sharing one of its rare bigrams, ranked first by
    the weight of what they share (accumulated along the postings), and the best RESCORE of them scored exactly. With
    fewer candidates than RESCORE every candidate is scored, as before; at province scale (34,000 items of a term,
    1,250 candidates each on average) this is what keeps the nightly run in minutes."""
    mine = weights.of[pk]
    shared: defaultdict = defaultdict(float)
    for g, w in mine.items():
        for other in postings.get(g, ()):
            shared[other] += w * weights.of[other][g]
    shared.pop(pk, None)
    shortlist = heapq.nlargest(RESCORE, shared, key=lambda other: (shared[other], -other)) \
        if len(shared) > RESCORE else list(shared)
    scored = [(other, round(weights.cosine(pk, other), 4)) for other in shortlist]
    scored = [pair for pair in scored if pair[1] > 0]
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:keep]


@transaction.atomic
def similar_refresh(*, suggestion_id: int, keep: int = KEEP) -> int:
    """Store the top matches of one suggestion, and enter it into the lists of the suggestions it now beats (their
    lists are kept at `keep`). Returns the number of rows written."""
    suggestion = Suggestion.objects.filter(pk=suggestion_id).only("id", "term_id", "status").first()
    if suggestion is None or suggestion.status in POOL_EXCLUDED:
        return 0
    vectors = vectors_for_term(suggestion.term_id)
    if suggestion_id not in vectors:
        return 0
    top = _top(suggestion_id, Weights(vectors, _idf(vectors)), keep, _postings(vectors))
    SimilarMatch.objects.filter(suggestion_id=suggestion_id).delete()
    rows = [SimilarMatch(suggestion_id=suggestion_id, other_id=other, score=score) for other, score in top]
    # the reverse direction: each match may now have this suggestion among its own best
    current: dict[int, list[float]] = defaultdict(list)
    for owner, score in SimilarMatch.objects.filter(suggestion_id__in=[o for o, _ in top]).values_list("suggestion_id",
                                                                                                      "score"):
        current[owner].append(score)
    for other, score in top:
        scores = sorted(current[other], reverse=True)
        if len(scores) < keep or score > scores[keep - 1]:
            rows.append(SimilarMatch(suggestion_id=other, other_id=suggestion_id, score=score))
    SimilarMatch.objects.filter(suggestion_id__in=[o for o, _ in top], other_id=suggestion_id).delete()
    SimilarMatch.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def similar_refresh_term(*, term_id: int, keep: int = KEEP) -> int:
    """Recompute every pool suggestion's matches of the term (nightly: the weights move as items come and go)."""
    vectors = vectors_for_term(term_id)
    weights, postings = Weights(vectors, _idf(vectors)), _postings(vectors)
    SimilarMatch.objects.filter(suggestion__term_id=term_id).delete()
    rows = [SimilarMatch(suggestion_id=pk, other_id=other, score=score)
            for pk in vectors for other, score in _top(pk, weights, keep, postings)]
    SimilarMatch.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def similar_schedule(suggestion: Suggestion) -> None:
    """After the transaction commits, compute the suggestion's matches in the worker."""
    from proposals.tasks import refresh_similar

    transaction.on_commit(lambda: refresh_similar.delay(suggestion.pk))


def similar_text_changed(suggestion: Suggestion) -> None:
    """Staff edited the title or content: forget the stored vector and compute the matches again."""
    vector_forget(suggestion.pk)
    similar_schedule(suggestion)
