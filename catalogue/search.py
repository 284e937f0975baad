"""Product search behind one interface: Postgres full-text search with weighted
fields, prefix matching and trigram typo correction; on SQLite (the embedded
default) a plain word match with the same shape."""

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from catalogue.models import ProductListing, SearchWord

TOKEN = re.compile(r"[^\W_]+")
MAX_TOKENS = 8
MAX_TOKEN_LENGTH = 40
MIN_SIMILARITY = 0.35


def search_tokens(text: str) -> list[str]:
    """The words of a search, lower-cased; punctuation, quotes and symbols dropped."""
    tokens = [t.lower()[:MAX_TOKEN_LENGTH] for t in TOKEN.findall(text)]
    return tokens[:MAX_TOKENS]


def listings_matching(
    queryset: QuerySet[ProductListing], tokens: list[str]
) -> QuerySet[ProductListing]:
    """Listings matching every token (as a word prefix), annotated with `rank`."""
    if not tokens:
        return queryset.none().annotate(rank=Value(0, output_field=IntegerField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(
            " & ".join(f"{token}:*" for token in tokens),
            search_type="raw",
            config="english",
        )
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(F("search_vector"), query)
        )
    rank = Value(0, output_field=IntegerField())
    for token in tokens:
        queryset = queryset.filter(
            Q(title__icontains=token)
            | Q(keywords__icontains=token)
            | Q(description__icontains=token)
        )
        rank = rank + Case(
            When(title__icontains=token, then=Value(4)),
            When(keywords__icontains=token, then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return queryset.annotate(rank=rank)


def tokens_corrected(tokens: list[str]) -> list[str]:
    """Each token replaced by the closest word of the catalogue's vocabulary, when
    it isn't a known word (or a prefix of one) and a close enough word exists."""
    if not tokens:
        return tokens
    if connection.vendor == "postgresql":
        return _corrected_postgres(tokens)
    words = list(SearchWord.objects.values_list("word", flat=True))
    known = set(words)
    corrected = []
    for token in tokens:
        if token in known or any(word.startswith(token) for word in words):
            corrected.append(token)
            continue
        close = difflib.get_close_matches(token, words, n=1, cutoff=0.75)
        corrected.append(close[0] if close else token)
    return corrected


def _corrected_postgres(tokens: list[str]) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.token, COALESCE(
                (SELECT w.word FROM catalogue_searchword w
                  WHERE w.word LIKE t.token || '%%' LIMIT 1),
                (SELECT w.word FROM catalogue_searchword w
                  WHERE w.word %% t.token AND similarity(w.word, t.token) >= %s
                  ORDER BY similarity(w.word, t.token) DESC, w.word LIMIT 1),
                t.token)
            FROM unnest(%s::text[]) WITH ORDINALITY AS t(token, n)
            ORDER BY t.n
            """,
            [MIN_SIMILARITY, tokens],
        )
        return [token if word.startswith(token) else word for token, word in cursor]
