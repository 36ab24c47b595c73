"""Resource paths and responses: ``Things('site-12')/Datastreams?$top=5`` to a JSON document.

A path is resolved one segment at a time (entity set, key, navigation property, property,
``$value``); the query options then apply to whatever the path ends at. Nothing here reads a
model directly: entities come from ``entities.Catalogue`` and readings from ``observations``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from django.utils.translation import gettext as _

from . import observations as obs
from .entities import ENTITY_SETS, SINGULAR_NAVIGATION, Catalogue, Entity, ObservationScope
from .entities import parse_key as parse_entity_key
from .query import (
    MemoryFilter,
    QueryOptions,
    StaError,
    lookup_path,
    parse_options,
    unknown_property,
)

# The properties each entity set shows, in the order the standard lists them.
PROPERTIES: dict[str, tuple[str, ...]] = {
    "Things": ("name", "description", "properties"),
    "Locations": ("name", "description", "encodingType", "location"),
    "HistoricalLocations": ("time",),
    "Datastreams": ("name", "description", "observationType", "unitOfMeasurement",
                    "phenomenonTime", "properties"),
    "Sensors": ("name", "description", "encodingType", "metadata", "properties"),
    "ObservedProperties": ("name", "definition", "description", "properties"),
    "Observations": ("phenomenonTime", "resultTime", "result", "resultQuality", "parameters"),
    "FeaturesOfInterest": ("name", "description", "encodingType", "feature"),
}  # fmt: skip
CONFORMANCE = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
]
SEGMENT = re.compile(r"([A-Za-z]+)(?:\((.*)\))?", flags=re.DOTALL)


@dataclass
class Collection:
    entity_set: str
    path: str  # relative to the service root, e.g. "Things('site-1')/Datastreams"
    ids: list[Any] | None = None  # None: the whole entity set
    scope: ObservationScope | None = None  # Observations only


@dataclass
class Single:
    entity: Entity
    path: str


@dataclass
class Property:
    entity: Entity
    name: str
    raw_value: bool = False


@dataclass
class Response:
    body: dict[str, Any] | str
    content_type: str = "application/json"


class Service:
    """Answers one request: ``base`` is the absolute URL of ``/sta/v1.1/``."""

    def __init__(self, catalogue: Catalogue, base: str, params: Mapping[str, str]) -> None:
        self.catalogue = catalogue
        self.base = base
        self.params = dict(params)

    # --- entry point ---------------------------------------------------------------------------

    def respond(self, path: str) -> Response:
        if not path.strip("/"):
            return Response(self.root())
        target = self.resolve(path.strip("/"))
        options = parse_options(self.params)
        if isinstance(target, Property):
            value = target.entity.as_filterable().get(target.name)
            if target.raw_value:
                if isinstance(value, (dict, list)):
                    raise StaError(_("$value works on simple properties only, such as name."))
                return Response("" if value is None else str(value), "text/plain; charset=utf-8")
            return Response({target.name: value})
        if isinstance(target, Single):
            self._check_item_options(target.entity.entity_set, options)
            return Response(self.render(target.entity, options))
        return Response(self.collection(target, options))

    def root(self) -> dict[str, Any]:
        return {
            "value": [{"name": name, "url": self.base + name} for name in ENTITY_SETS],
            "serverSettings": {"conformance": CONFORMANCE},
        }

    # --- paths -----------------------------------------------------------------------------------

    def resolve(self, path: str) -> Collection | Single | Property:
        segments = _split_path(path)
        current: Collection | Single | Property | None = None
        for position, segment in enumerate(segments):
            if isinstance(current, Property):
                if segment == "$value" and not current.raw_value:
                    current.raw_value = True
                    continue
                raise StaError(_("Nothing can follow a property except /$value."))
            match = SEGMENT.fullmatch(segment)
            if not match:
                raise StaError(
                    _("'%(segment)s' is not a valid part of a SensorThings path.")
                    % {"segment": segment[:80]}
                )
            name, key = match.group(1), match.group(2)
            if current is None:
                if name not in ENTITY_SETS:
                    raise StaError(
                        _("There is no entity set called '%(name)s'. Use one of: %(known)s.")
                        % {"name": name, "known": ", ".join(ENTITY_SETS)}
                    )
                current = Collection(name, name, scope=self._all_scope(name))
            elif isinstance(current, Single):
                current = self._step(current, name, position, segments)
            else:
                raise StaError(
                    _("Choose one entity with its id before going further, e.g. %(set)s(id)/…")
                    % {"set": current.entity_set}
                )
            if key is not None:
                if not isinstance(current, Collection):
                    raise StaError(_("Only a collection can be followed by an id in brackets."))
                current = self._member(current, parse_entity_key(current.entity_set, key))
        assert current is not None
        return current

    def _all_scope(self, entity_set: str) -> ObservationScope | None:
        return self.catalogue.all_observations() if entity_set == "Observations" else None

    def _step(
        self, current: Single, name: str, position: int, segments: Sequence[str]
    ) -> Collection | Single | Property:
        entity = current.entity
        info = ENTITY_SETS[entity.entity_set]
        if name in info.navigation:
            target_set = info.navigation[name]
            link = entity.links.get(name)
            path = f"{current.path}/{name}"
            if name in SINGULAR_NAVIGATION:
                target = self._lookup(target_set, link) if link is not None else None
                if target is None:
                    raise StaError(_("This entity has no %(name)s.") % {"name": name}, status=404)
                return Single(target, self._entity_path(target))
            if isinstance(link, ObservationScope):
                return Collection(target_set, path, scope=link)
            return Collection(target_set, path, ids=list(link or []))
        if name == "id" or name in PROPERTIES[entity.entity_set]:
            return Property(entity, name)
        raise StaError(
            _("%(set)s have no property or navigation property '%(name)s'. Use one of: %(known)s.")
            % {
                "set": entity.entity_set,
                "name": name,
                "known": ", ".join(["id", *PROPERTIES[entity.entity_set], *info.navigation]),
            }
        )

    def _member(self, collection: Collection, key: Any) -> Single:
        entity = self._lookup(collection.entity_set, key, scope=collection.scope)
        if entity is None or (collection.ids is not None and key not in collection.ids):
            raise StaError(
                _("There is no %(entity)s with the id %(id)s here.")
                % {"entity": ENTITY_SETS[collection.entity_set].singular, "id": _key_text(key)},
                status=404,
            )
        return Single(entity, self._entity_path(entity))

    def _lookup(
        self, entity_set: str, key: Any, scope: ObservationScope | None = None
    ) -> Entity | None:
        if entity_set != "Observations":
            return self.catalogue.get(entity_set, key)
        scope = scope or self.catalogue.all_observations()
        row = (
            obs.Reading.objects.filter(obs.scope_q(scope, list(self.catalogue.campaigns)), pk=key)
            .values(*obs.FIELDS)
            .first()
        )
        return self.catalogue.observation(row) if row else None

    # --- collections -------------------------------------------------------------------------

    def collection(self, target: Collection, options: QueryOptions) -> dict[str, Any]:
        self._check_expand(target.entity_set, options)
        _check_select(target.entity_set, options)
        if target.entity_set == "Observations":
            assert target.scope is not None
            campaign_ids = list(self.catalogue.campaigns)
            queryset = obs.observations(target.scope, options, campaign_ids)
            rows, more = obs.page(queryset, skip=options.skip, top=options.top)
            entities = [self.catalogue.observation(row) for row in rows]
            total = obs.count(target.scope, options, queryset) if options.count else None
        else:
            matching = self._in_memory(target, options)
            total = len(matching)
            entities = matching[options.skip : options.skip + options.top]
            more = options.skip + options.top < total
        body: dict[str, Any] = {}
        if options.count:
            body["@iot.count"] = total
        body["value"] = self.render_many(entities, options)
        if more and options.top:  # with $top=0 a next page would be empty again, forever
            body["@iot.nextLink"] = self._next_link(target.path, options, self.params)
        return body

    def _in_memory(self, target: Collection, options: QueryOptions) -> list[Entity]:
        if target.ids is None:
            entities = self.catalogue.entities(target.entity_set)
        else:
            found = (self.catalogue.get(target.entity_set, key) for key in target.ids)
            entities = [entity for entity in found if entity is not None]
        return select_in_memory(entities, target.entity_set, options)

    def _next_link(self, path: str, options: QueryOptions, params: Mapping[str, str]) -> str:
        following = dict(params)
        following["$top"] = str(options.top)
        following["$skip"] = str(options.skip + options.top)
        return self.base + quote(path, safe="/'(),-") + "?" + urlencode(following, safe="$'(),;/=:")

    # --- rendering ---------------------------------------------------------------------------

    def _entity_path(self, entity: Entity) -> str:
        return f"{entity.entity_set}({_key_text(entity.id)})"

    def render(self, entity: Entity, options: QueryOptions) -> dict[str, Any]:
        return self.render_many([entity], options)[0]

    def render_many(
        self, entities: Sequence[Entity], options: QueryOptions
    ) -> list[dict[str, Any]]:
        if not entities:
            return []
        entity_set = entities[0].entity_set
        _check_select(entity_set, options)
        rendered = [self._plain(entity, options.select) for entity in entities]
        for name, nested in options.expand.items():
            self._expand(entities, rendered, name, nested)
        return rendered

    def _plain(self, entity: Entity, select: list[str] | None) -> dict[str, Any]:
        # Ids are made of letters, digits and "-_.," only, so the path needs no escaping.
        self_link = self.base + self._entity_path(entity)
        out: dict[str, Any] = {}
        if select is None or "id" in select:
            out["@iot.id"] = entity.id
        out["@iot.selfLink"] = self_link
        for name in PROPERTIES[entity.entity_set]:
            if (select is None or name in select) and name in entity.properties:
                out[name] = entity.properties[name]
        for name in ENTITY_SETS[entity.entity_set].navigation:
            if select is None or name in select:
                out[f"{name}@iot.navigationLink"] = f"{self_link}/{name}"
        return out

    def _expand(
        self,
        parents: Sequence[Entity],
        rendered: list[dict[str, Any]],
        name: str,
        nested: QueryOptions,
    ) -> None:
        target_set = ENTITY_SETS[parents[0].entity_set].navigation[name]
        if name in SINGULAR_NAVIGATION:
            for parent, out in zip(parents, rendered, strict=True):
                link = parent.links.get(name)
                child = self._lookup(target_set, link) if link is not None else None
                out[name] = self.render(child, nested) if child is not None else None
            return
        if target_set == "Observations":
            scopes = [parent.links[name] for parent in parents]
            if nested.count and nested.filter is not None:
                raise StaError(
                    _(
                        "$count with $filter inside $expand=Observations is not offered. Ask "
                        "each Datastream's Observations with $filter and $count=true instead."
                    )
                )
            pages = obs.first_rows_each(scopes, nested, list(self.catalogue.campaigns))
            children = [
                ([self.catalogue.observation(row) for row in rows], more, scope.count)
                for (rows, more), scope in zip(pages, scopes, strict=True)
            ]
        else:
            children = []
            for parent in parents:
                found = (self.catalogue.get(target_set, key) for key in parent.links.get(name, []))
                matching = select_in_memory([e for e in found if e], target_set, nested)
                window = matching[nested.skip : nested.skip + nested.top]
                children.append((window, nested.skip + nested.top < len(matching), len(matching)))
        nested_params = dict(nested.raw)
        for parent, out, (entities, more, total) in zip(parents, rendered, children, strict=True):
            if nested.count:
                out[f"{name}@iot.count"] = total
            out[name] = self.render_many(entities, nested)
            if more and nested.top:
                path = f"{self._entity_path(parent)}/{name}"
                out[f"{name}@iot.nextLink"] = self._next_link(path, nested, nested_params)

    # --- checks ------------------------------------------------------------------------------

    def _check_item_options(self, entity_set: str, options: QueryOptions) -> None:
        self._check_expand(entity_set, options)
        _check_select(entity_set, options)

    def _check_expand(self, entity_set: str, options: QueryOptions) -> None:
        navigation = ENTITY_SETS[entity_set].navigation
        for name, nested in options.expand.items():
            if name not in navigation:
                raise StaError(
                    _("%(set)s cannot expand '%(name)s'. Use one of: %(known)s.")
                    % {"set": entity_set, "name": name, "known": ", ".join(navigation)}
                )
            target = navigation[name]
            _check_select(target, nested)
            if target == "Observations":
                obs.check_orderby(nested.orderby)
                if nested.filter is not None:
                    obs.filter_to_q(nested.filter, model=obs.Reading, columns=obs.COLUMNS)
            else:
                select_in_memory([], target, nested)


def select_in_memory(
    entities: list[Entity], entity_set: str, options: QueryOptions
) -> list[Entity]:
    """$filter and $orderby on a small entity set (checked even when it is empty)."""
    kinds = ENTITY_SETS[entity_set].kinds
    if options.filter is not None:
        predicate = MemoryFilter(options.filter, kinds)
        entities = [entity for entity in entities if predicate.matches(entity.as_filterable())]
    for key in options.orderby:
        name = "/".join(key.path)
        if name not in kinds and not name.startswith("properties/"):
            raise unknown_property("$orderby", name, kinds)
    # Stable sorts, least important key first; ties keep the set's natural order.
    for key in reversed(options.orderby):
        entities = sorted(
            entities,
            key=lambda entity, path=key.path: _sortable(lookup_path(entity.as_filterable(), path)),
            reverse=key.descending,
        )
    return entities


def _sortable(value: Any) -> tuple:
    if value is None:
        return (1, 0, "")
    if isinstance(value, bool):
        return (0, 0, int(value))
    if isinstance(value, (int, float)):
        return (0, 0, value)
    if isinstance(value, str):
        return (0, 1, value)
    return (0, 2, str(value))


def _check_select(entity_set: str, options: QueryOptions) -> None:
    if options.select is None:
        return
    known = {"id", *PROPERTIES[entity_set], *ENTITY_SETS[entity_set].navigation}
    for name in options.select:
        if name not in known:
            raise unknown_property("$select", name, known)


def _key_text(key: Any) -> str:
    if isinstance(key, int):
        return str(key)
    return "'" + str(key).replace("'", "''") + "'"


def _split_path(path: str) -> list[str]:
    segments, current, quoted = [], [], False
    for char in path:
        if char == "'":
            quoted = not quoted
        if char == "/" and not quoted:
            segments.append("".join(current))
            current = []
        else:
            current.append(char)
    segments.append("".join(current))
    if quoted or any(not segment for segment in segments):
        raise StaError(_("The path has an empty part or an unclosed quote."))
    return segments
