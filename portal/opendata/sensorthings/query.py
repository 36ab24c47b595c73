"""SensorThings query options: parsing ``$top`` … ``$expand`` and applying ``$filter``.

``$filter`` is parsed by odata-query. On Observations (the one large table) the expression
becomes a Django ``Q`` through odata-query's Django visitor, with STA property names mapped to
columns; on the small entity sets (Things, Datastreams, …), which are built in memory from a
handful of queries, the same syntax tree is evaluated against each entity. Either way every
property and every literal is checked first, so a bad query is a 400 that says what to change,
never a database error.
"""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.utils.translation import gettext as _
from odata_query import ast
from odata_query import exceptions as odata_errors
from odata_query.django import AstToDjangoQVisitor
from odata_query.grammar import ODataLexer, ODataParser

# Page sizes: a client that asks for nothing gets 100; nobody gets more than 1,000 at once.
DEFAULT_TOP = 100
MAX_TOP = 1000
MAX_SKIP = 10_000_000
KNOWN_OPTIONS = ("$top", "$skip", "$count", "$orderby", "$select", "$filter", "$expand")
NESTED_OPTIONS = ("$top", "$skip", "$count", "$orderby", "$select", "$filter")
# odata-query's lexer does not know STA's ``@iot.id``; ``id`` is its documented alias.
IOT_ID = re.compile(r"'(?:[^']|'')*'|@iot\.id")


class StaError(Exception):
    """A request the API cannot answer; the message tells the client how to fix it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# --- property types ------------------------------------------------------------------------

NUMBER = "number"
TEXT = "text"
TIME = "time"
ID = "id"
ANY = "any"  # free-form values under ``properties/``: compared as they come


@dataclass(frozen=True)
class OrderKey:
    path: tuple[str, ...]
    descending: bool = False


@dataclass
class QueryOptions:
    top: int = DEFAULT_TOP
    top_given: bool = False
    skip: int = 0
    count: bool = False
    orderby: list[OrderKey] = field(default_factory=list)
    select: list[str] | None = None
    filter: ast._Node | None = None
    filter_text: str = ""
    expand: dict[str, QueryOptions] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)


def parse_options(params: Mapping[str, str], *, nested: bool = False) -> QueryOptions:
    """Query options from the query string (or from inside ``$expand=Nav(…)``)."""
    allowed = NESTED_OPTIONS if nested else KNOWN_OPTIONS
    options = QueryOptions()
    for name, value in params.items():
        if not name.startswith("$"):
            continue  # cache-busters and the like are not SensorThings options
        if name not in allowed:
            if nested and name == "$expand":
                raise StaError(
                    _(
                        "$expand works one level deep here. Expand the next level with a "
                        "second request to the navigation link."
                    )
                )
            raise StaError(
                _("%(option)s is not a query option this API knows. Use one of: %(known)s.")
                % {"option": name, "known": ", ".join(allowed)}
            )
        options.raw[name] = value
    if "$top" in options.raw:
        options.top = min(_whole_number("$top", options.raw["$top"]), MAX_TOP)
        options.top_given = True
    if "$skip" in options.raw:
        options.skip = _whole_number("$skip", options.raw["$skip"])
        if options.skip > MAX_SKIP:
            raise StaError(
                _("$skip can be at most %(most)d. Narrow the request with $filter instead.")
                % {"most": MAX_SKIP}
            )
    if "$count" in options.raw:
        value = options.raw["$count"].strip().lower()
        if value not in ("true", "false"):
            raise StaError(_("$count must be true or false, for example $count=true."))
        options.count = value == "true"
    if "$orderby" in options.raw:
        options.orderby = _orderby(options.raw["$orderby"])
    if "$select" in options.raw:
        names = [_property_name(part) for part in options.raw["$select"].split(",")]
        if not all(names):
            raise StaError(
                _("$select needs property names separated by commas, e.g. $select=id,name.")
            )
        options.select = names
    if "$filter" in options.raw:
        options.filter_text = options.raw["$filter"]
        options.filter = parse_filter(options.filter_text)
    if "$expand" in options.raw:
        options.expand = parse_expand(options.raw["$expand"])
    return options


def _whole_number(option: str, value: str) -> int:
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise StaError(
            _("%(option)s must be a whole number of 0 or more, for example %(option)s=10.")
            % {"option": option}
        )
    return int(text)


def _property_name(text: str) -> str:
    name = text.strip()
    return "id" if name == "@iot.id" else name


def _orderby(text: str) -> list[OrderKey]:
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise StaError(
                _(
                    "$orderby takes properties separated by commas, each optionally followed "
                    "by asc or desc, e.g. $orderby=phenomenonTime desc,id."
                )
            )
        path = tuple(_property_name(piece) for piece in words[0].split("/"))
        keys.append(OrderKey(path=path, descending=len(words) == 2 and words[1] == "desc"))
    return keys


def parse_filter(text: str) -> ast._Node:
    if not text.strip():
        raise StaError(_("$filter is empty. Give an expression, e.g. $filter=result gt 40."))
    # Replace ``@iot.id`` outside string literals only.
    source = IOT_ID.sub(lambda m: m.group(0) if m.group(0).startswith("'") else "id", text)
    try:
        return ODataParser().parse(ODataLexer().tokenize(source))
    except odata_errors.ODataException as error:
        raise StaError(
            _(
                "$filter could not be read (%(problem)s). Write comparisons such as "
                "result gt 40, name eq 'Elm Road' or phenomenonTime ge 2026-01-01T00:00:00Z, "
                "joined with and, or, not and parentheses."
            )
            % {"problem": str(error) or error.__class__.__name__}
        ) from error
    except (ValueError, TypeError, IndexError, KeyError, AttributeError) as error:
        raise StaError(
            _("$filter could not be read. Check quotes, brackets and operators.")
        ) from error


def parse_expand(text: str) -> dict[str, QueryOptions]:
    """``Nav1,Nav2($top=1;$orderby=id desc)`` into options per navigation property."""
    expand: dict[str, QueryOptions] = {}
    for item in _split_outside(text, ","):
        item = item.strip()
        match = re.fullmatch(r"([A-Za-z]+)(?:\((.*)\))?", item, flags=re.DOTALL)
        if not match:
            raise StaError(
                _(
                    "$expand could not be read at '%(item)s'. Write navigation properties "
                    "separated by commas, with options in brackets separated by semicolons, "
                    "e.g. $expand=Observations($orderby=phenomenonTime desc;$top=1)."
                )
                % {"item": item[:80]}
            )
        name, inner = match.group(1), match.group(2)
        params: dict[str, str] = {}
        if inner:
            for part in _split_outside(inner, ";"):
                key, sep, value = part.partition("=")
                if not sep:
                    raise StaError(
                        _("Options inside $expand look like $top=1; '%(part)s' does not.")
                        % {"part": part[:80]}
                    )
                params[key.strip()] = value
        if "/" in name or name in expand:
            raise StaError(_("Name each navigation property once in $expand."))
        expand[name] = parse_options(params, nested=True)
    return expand


def _split_outside(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside brackets and quoted strings."""
    parts, depth, quoted, current = [], 0, False, []
    for char in text:
        if char == "'":
            quoted = not quoted
        elif not quoted and char == "(":
            depth += 1
        elif not quoted and char == ")":
            depth -= 1
            if depth < 0:
                raise StaError(_("A closing bracket in $expand has no opening bracket."))
        if char == separator and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth or quoted:
        raise StaError(_("$expand has an unclosed bracket or quote."))
    parts.append("".join(current))
    return parts


# --- literals --------------------------------------------------------------------------------


def literal_value(node: ast._Node, kind: str) -> Any:
    """A Python value for a filter literal, or a 400 if it cannot be compared with ``kind``."""
    if isinstance(node, ast.Null):
        return None
    if kind in (NUMBER, ID) and isinstance(node, ast.Integer):
        return int(node.val)
    if kind == NUMBER and isinstance(node, ast.Float):
        return float(node.val)
    if kind in (TEXT, ID) and isinstance(node, ast.String):
        return node.val
    if kind == TIME and isinstance(node, ast.DateTime):
        try:
            moment = datetime.datetime.fromisoformat(node.val)
        except ValueError as error:
            raise StaError(
                _("%(value)s is not a valid date and time.") % {"value": node.val}
            ) from error
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    if kind == TIME and isinstance(node, ast.Date):
        try:
            day = datetime.date.fromisoformat(node.val)
        except ValueError as error:
            raise StaError(_("%(value)s is not a valid date.") % {"value": node.val}) from error
        return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    if kind == ANY and isinstance(node, (ast.Integer, ast.Float, ast.String, ast.Boolean)):
        if isinstance(node, ast.Integer):
            return int(node.val)
        if isinstance(node, ast.Float):
            return float(node.val)
        if isinstance(node, ast.Boolean):
            return node.val.lower() == "true"
        return node.val
    expected = {
        NUMBER: _("a number, e.g. 40 or 40.5"),
        TEXT: _("a string in single quotes, e.g. 'Elm Road'"),
        TIME: _("a date and time, e.g. 2026-03-01T00:00:00Z"),
        ID: _("an id, e.g. 12 or 'site-12'"),
        ANY: _("a number, a string in single quotes, true or false"),
    }[kind]
    raise StaError(_("This property is compared with %(expected)s.") % {"expected": expected})


# --- $filter on Observations: to a Django Q --------------------------------------------------


@dataclass(frozen=True)
class Column:
    field: str
    kind: str


COMPARATORS: dict[type, str] = {
    ast.Eq: "exact",
    ast.NotEq: "exact",
    ast.Lt: "lt",
    ast.LtE: "lte",
    ast.Gt: "gt",
    ast.GtE: "gte",
    ast.In: "in",
}


class FilterToQ(AstToDjangoQVisitor):
    """odata-query's Django visitor, limited to "property operator value" comparisons.

    STA names are mapped to columns here; anything else (arithmetic, property against
    property, functions) is refused with a message, so no odd expression reaches the database.
    """

    def __init__(self, model: type, columns: Mapping[str, Column]) -> None:
        super().__init__(model)
        self.columns = columns
        self.used: set[str] = set()

    def visit_Compare(self, node: ast.Compare) -> Q:  # type: ignore[override]
        name, comparator, literal = _property_and_literal(node)
        column = self.columns.get(name)
        if column is None:
            raise unknown_property("$filter", name, self.columns)
        self.used.add(name)
        lookup = COMPARATORS[type(comparator)]
        if isinstance(comparator, ast.In):
            values = [literal_value(item, column.kind) for item in _list_items(literal)]
            return Q(**{f"{column.field}__in": values})
        value = literal_value(literal, column.kind)
        if value is None:
            if lookup != "exact":
                raise StaError(_("null can only be compared with eq or ne."))
            condition = Q(**{f"{column.field}__isnull": True})
        elif column.kind == ID and not isinstance(value, int):
            # A string id on an entity set with whole-number ids matches nothing.
            condition = Q(pk__in=[])
        else:
            condition = Q(**{f"{column.field}__{lookup}": value})
        return ~condition if isinstance(comparator, ast.NotEq) else condition

    def visit_Identifier(self, node: ast.Identifier) -> F:
        raise StaError(
            _("'%(name)s' on its own is not a condition. Compare it, e.g. %(name)s eq …")
            % {"name": node.name}
        )

    def visit_Call(self, node: ast.Call) -> Any:
        raise StaError(
            _("Functions such as %(name)s() are not supported on Observations. Use comparisons.")
            % {"name": node.func.name}
        )

    def generic_visit(self, node: ast._Node) -> Any:
        raise StaError(_("$filter supports comparisons joined with and, or, not and brackets."))

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        return self.generic_visit(node)

    def visit_CollectionLambda(self, node: ast.CollectionLambda) -> Any:
        return self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> Any:
        if not isinstance(node.op, ast.Not):
            return self.generic_visit(node)
        return ~self._condition(node.operand)

    def visit_BoolOp(self, node: ast.BoolOp) -> Q:
        left, right = self._condition(node.left), self._condition(node.right)
        return left & right if isinstance(node.op, ast.And) else left | right

    def _condition(self, node: ast._Node) -> Q:
        result = self.visit(node)
        if not isinstance(result, Q):
            raise StaError(_("Each side of and, or and not must be a comparison."))
        return result


def filter_to_q(
    tree: ast._Node, *, model: type, columns: Mapping[str, Column]
) -> tuple[Q, set[str]]:
    visitor = FilterToQ(model, columns)
    condition = visitor.visit(tree)
    if not isinstance(condition, Q):
        raise StaError(_("$filter must be a condition, e.g. result gt 40."))
    return condition, visitor.used


def _property_and_literal(node: ast.Compare) -> tuple[str, ast._Comparator, ast._Node]:
    left, right = node.left, node.right
    if isinstance(left, ast._Literal) and isinstance(right, (ast.Identifier, ast.Attribute)):
        if isinstance(node.comparator, ast.In):
            raise StaError(_("Write in as: property in (value1, value2)."))
        # "40 lt result" is "result gt 40".
        flipped = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
        comparator = flipped.get(type(node.comparator), type(node.comparator))()
        return _property_and_literal(ast.Compare(comparator, right, left))
    if isinstance(left, ast.Attribute):
        return "/".join(_path(left)), node.comparator, right
    if not isinstance(left, ast.Identifier) or not isinstance(right, ast._Literal):
        raise StaError(
            _(
                "Comparisons must have a property on one side and a value on the other, "
                "e.g. result gt 40."
            )
        )
    return left.name, node.comparator, right


def _path(node: ast._Node) -> list[str]:
    if isinstance(node, ast.Identifier):
        return [*node.namespace, node.name]
    if isinstance(node, ast.Attribute):
        return [*_path(node.owner), node.attr]
    raise StaError(_("Property paths look like properties/code."))


def _list_items(node: ast._Node) -> list[ast._Node]:
    if isinstance(node, ast.List):
        return list(node.val)
    return [node]


def unknown_property(option: str, name: str, known: Iterable[str]) -> StaError:
    return StaError(
        _(
            "%(option)s names '%(name)s', which this entity set does not have. "
            "Use one of: %(known)s."
        )
        % {"option": option, "name": name, "known": ", ".join(sorted(known))}
    )


# --- $filter on in-memory entities ------------------------------------------------------------

PYTHON_COMPARATORS: dict[type, Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}
TEXT_FUNCTIONS: dict[str, Callable[[str, str], bool]] = {
    "contains": lambda haystack, needle: needle in haystack,
    "substringof": lambda needle, haystack: needle in haystack,
    "startswith": str.startswith,
    "endswith": str.endswith,
}


@dataclass(frozen=True)
class MemoryFilter:
    """A parsed $filter checked against an entity set's properties, as a predicate."""

    tree: ast._Node
    kinds: Mapping[str, str]

    def __post_init__(self) -> None:
        self._check(self.tree)

    def _check(self, node: ast._Node) -> None:
        if isinstance(node, ast.BoolOp):
            self._check(node.left)
            self._check(node.right)
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            self._check(node.operand)
        elif isinstance(node, ast.Compare):
            name, comparator, literal = _property_and_literal(node)
            kind = self._kind(name)
            items = _list_items(literal) if isinstance(comparator, ast.In) else [literal]
            for item in items:
                literal_value(item, kind)
        elif isinstance(node, ast.Call):
            self._call_arguments(node)
        else:
            raise StaError(_("$filter supports comparisons joined with and, or, not and brackets."))

    def _kind(self, name: str) -> str:
        if name.startswith("properties/"):
            return ANY
        kind = self.kinds.get(name)
        if kind is None:
            raise unknown_property("$filter", name, self.kinds)
        return kind

    def _call_arguments(self, node: ast.Call) -> tuple[Callable[[str, str], bool], str, str, bool]:
        name = node.func.name.lower()
        function = TEXT_FUNCTIONS.get(name)
        args = node.args
        if function is None or len(args) != 2:
            raise StaError(
                _("Functions supported here: %(names)s, each with a property and a string.")
                % {"names": ", ".join(f"{fn}()" for fn in TEXT_FUNCTIONS)}
            )
        # substringof('x', name) puts the value first.
        value_first = name == "substringof"
        prop, value = (args[1], args[0]) if value_first else (args[0], args[1])
        if not isinstance(prop, (ast.Identifier, ast.Attribute)) or not isinstance(
            value, ast.String
        ):
            raise StaError(_("Text functions take a property and a string in single quotes."))
        path = "/".join(_path(prop))
        if self._kind(path) not in (TEXT, ID, ANY):
            raise StaError(_("Text functions work on text properties only."))
        return function, path, value.val, value_first

    def matches(self, entity: Mapping[str, Any]) -> bool:
        return bool(self._evaluate(self.tree, entity))

    def _evaluate(self, node: ast._Node, entity: Mapping[str, Any]) -> bool:
        if isinstance(node, ast.BoolOp):
            if isinstance(node.op, ast.And):
                return self._evaluate(node.left, entity) and self._evaluate(node.right, entity)
            return self._evaluate(node.left, entity) or self._evaluate(node.right, entity)
        if isinstance(node, ast.UnaryOp):
            return not self._evaluate(node.operand, entity)
        if isinstance(node, ast.Call):
            function, path, needle, value_first = self._call_arguments(node)
            value = lookup_path(entity, path.split("/"))
            if not isinstance(value, str):
                return False
            return function(needle, value) if value_first else function(value, needle)
        assert isinstance(node, ast.Compare)
        name, comparator, literal = _property_and_literal(node)
        kind = self._kind(name)
        actual = lookup_path(entity, name.split("/"))
        if isinstance(comparator, ast.In):
            return actual in [literal_value(item, kind) for item in _list_items(literal)]
        expected = literal_value(literal, kind)
        compare = PYTHON_COMPARATORS[type(comparator)]
        if expected is None or actual is None:
            return compare(actual, expected) if compare in (operator.eq, operator.ne) else False
        try:
            return bool(compare(actual, expected))
        except TypeError:
            # A string against a number, say: not equal, and neither above nor below.
            return compare is operator.ne


def lookup_path(entity: Mapping[str, Any], path: Iterable[str]) -> Any:
    value: Any = entity
    for part in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value
