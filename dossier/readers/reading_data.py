"""A reader's result as JSON-ready data and back, for the cache of readings.

An email's or a PDF's reading is a tree of the model's frozen values
(``EmailContent`` with its blocks, attachments, forwarded headers, ...).
Each value is written with its class's name and its fields, each field by
its type, and read back into the same classes: what comes out equals what
went in, field by field, time zones included. Only the model's classes are
read back, and any value of another type refuses to be written (the reading
is then not kept, and read again next time).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import enum
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from dossier import model
from dossier.i18n import Message, PluralMessage, TechnicalDetail
from dossier.model import Reading


def reading_to_data(reading: Reading) -> Any:
    """``reading`` as JSON-ready data.

    Raises:
        TypeError: it holds a value this does not write.
    """
    return _encode(reading)


def reading_from_data(data: Any) -> Reading:
    """The ``Reading`` that ``reading_to_data`` wrote.

    Raises:
        KeyError, TypeError, ValueError: the data is not what it wrote.
    """
    reading = _decode(data)
    if not isinstance(reading, Reading):
        raise TypeError("not a reading")
    return reading


def _encode(value: Any) -> Any:
    # By exact type: an enumeration is also a str or an int, a header a str.
    if value is None or type(value) in (bool, int, float, str):
        return value
    if isinstance(value, enum.Enum):
        return {"enum": type(value).__name__, "value": value.value}
    if type(value) is Message:  # said in the user's language later: its template and values
        values = {key: _encode(item) for key, item in value.values.items()}
        return {"message": value.template, "values": values}
    if type(value) is PluralMessage:  # both forms, the count among the values
        values = {key: _encode(item) for key, item in value.values.items()}
        return {"plural": [value.singular, value.plural], "values": values}
    if type(value) is TechnicalDetail:  # a library's words, said in English only
        return {"technical": str(value)}
    if type(value) is tuple:
        return {"tuple": [_encode(item) for item in value]}
    if type(value) is bytes:
        return {"bytes": base64.b64encode(value).decode()}
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {"datetime": value.replace(tzinfo=None).isoformat(), "zone": _zone(value.tzinfo)}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if dataclasses.is_dataclass(value) and getattr(model, type(value).__name__, None) is type(
        value
    ):
        return {
            "class": type(value).__name__,
            "fields": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)},
        }
    raise TypeError(f"{type(value).__name__} is not kept in the cache")


def _zone(zone: dt.tzinfo | None) -> Any:
    if zone is None:
        return None
    if isinstance(zone, ZoneInfo):
        return {"key": zone.key}
    if isinstance(zone, dt.timezone):
        offset = zone.utcoffset(None)
        name = zone.tzname(None)
        # Named only when it has a name of its own: the same object comes back.
        own = None if name == dt.timezone(offset).tzname(None) else name
        return {"offset": offset.total_seconds(), "name": own}
    raise TypeError(f"time zone {zone!r} is not kept in the cache")


def _decode(data: Any) -> Any:
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if not isinstance(data, dict):
        raise TypeError("unknown value")
    if "tuple" in data:
        return tuple(_decode(item) for item in data["tuple"])
    if "message" in data:
        values = {str(key): _decode(item) for key, item in data["values"].items()}
        return Message(str(data["message"]), **values)
    if "plural" in data:
        singular, plural = (str(form) for form in data["plural"])
        values = {str(key): _decode(item) for key, item in data["values"].items()}
        count = values.pop("count")
        if not isinstance(count, int):
            raise TypeError("a plural message without its count")
        return PluralMessage(singular, plural, count, **values)
    if "technical" in data:
        return TechnicalDetail(str(data["technical"]))
    if "bytes" in data:
        return base64.b64decode(data["bytes"], validate=True)
    if "path" in data:
        return Path(data["path"])
    if "decimal" in data:
        return Decimal(data["decimal"])
    if "datetime" in data:
        return dt.datetime.fromisoformat(data["datetime"]).replace(tzinfo=_zone_of(data["zone"]))
    if "date" in data:
        return dt.date.fromisoformat(data["date"])
    if "enum" in data:
        return _model_class(data["enum"], enum.Enum)(data["value"])
    fields = data["fields"]
    if not isinstance(fields, dict):
        raise TypeError("fields are not a mapping")
    cls = _model_class(data["class"], object)
    if not isinstance(cls, type) or not dataclasses.is_dataclass(cls):
        raise TypeError(f"{data['class']} is not a value of the model")
    made: Any = cls(**{name: _decode(field) for name, field in fields.items()})
    return made


def _zone_of(data: Any) -> dt.tzinfo | None:
    if data is None:
        return None
    if "key" in data:
        return ZoneInfo(data["key"])
    offset = dt.timedelta(seconds=float(data["offset"]))
    name = data["name"]
    return dt.timezone(offset) if name is None else dt.timezone(offset, str(name))


def _model_class(name: Any, base: type) -> Any:
    found = getattr(model, str(name), None)
    if not isinstance(found, type) or not issubclass(found, base):
        raise TypeError(f"{name} is not a class of the model")
    return found
