"""Small query helpers shared by the bulk paths (imports, the figure rows)."""

from collections.abc import Iterable

from django.db.models.expressions import RawSQL


def id_list(ids: Iterable[int]) -> RawSQL:
    """Integer primary keys as the right side of ``field__in=``, written out once as literals.

    Given a Python list, the ORM prepares and binds the values one by one: for the 2,000–5,000 ids
    of a bulk statement that costs more than running the statement. ``int()`` keeps the text a
    list of numbers whatever is passed.
    """
    return RawSQL(",".join(map(str, map(int, ids))) or "NULL", ())
