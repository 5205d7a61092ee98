"""The window finds a one-thing's case by the same id its other starts use (see the service)."""

from services.afterlife.case_ids import afterlife_case_id

__all__ = ["afterlife_case_id"]
