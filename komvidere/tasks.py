"""Kernel background tasks: re-indexing search and merging tags (django-tasks).

They call the public functions of komvidere.search and komvidere.tagging, so they do exactly
what the synchronous paths do, only outside the request.
"""

import logging

from django_tasks import task
from taggit.models import Tag

from komvidere import search, tagging

logger = logging.getLogger(__name__)


@task()
def rebuild_search_index() -> int:
    """Rebuild the whole search index; return the number of entries."""
    return search.rebuild()


@task()
def merge_tags(survivor_id: int, other_ids: list[int]) -> int:
    """Merge the tags `other_ids` into `survivor_id` (tagging.tag_merge); return items moved.

    A tag deleted meanwhile is skipped, so running it twice does no harm.
    """
    survivor = Tag.objects.filter(pk=survivor_id).first()
    if survivor is None:
        logger.warning("Tag merge: the surviving tag %s no longer exists", survivor_id)
        return 0
    others = list(Tag.objects.filter(pk__in=other_ids))
    return tagging.tag_merge(survivor=survivor, others=others)
