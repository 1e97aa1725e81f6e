"""The rule-based extractor: spaCy parse + trigger lexicon + dependency rules for the arguments."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from movegraph.extractors.actors import (
    CIVILIAN_SHIP_PREFIXES,
    ActorResolver,
    publisher_actor,
    state_government,
    state_military,
    un_by_default,
)
from movegraph.extractors.base import register_extractor
from movegraph.extractors.calibration import ConfidenceMap
from movegraph.extractors.datelines import blank_dateline, dateline_end
from movegraph.extractors.geo_data import REGION_DEMONYMS
from movegraph.extractors.mentions import with_conjuncts
from movegraph.extractors.nlp import DEFAULT_MODEL, is_heading, load_pipeline
from movegraph.extractors.places import PlaceResolver, with_english_names
from movegraph.extractors.quantities import parse_quantity
from movegraph.extractors.readers import EventReader, RuleReader
from movegraph.extractors.times import Tense, default_interval, resolve_time
from movegraph.extractors.triggers import (
    GUEST_VERBS,
    NEEDS_PLACE,
    ORIGIN_OBJECT_VERBS,
    PLACE_OBJECT_VERBS,
    PLACE_OF_NOUNS,
    SENDING_VERBS,
    Trigger,
    is_goods,
)
from movegraph.schema import Actor, Article, MovementEvent, Place, Quantity, TextSpan, TimeInterval

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

log = logging.getLogger(__name__)

DESTINATION_PREPS: frozenset[str] = frozenset({"to", "into", "in", "at", "toward", "towards", "onto", "inside"})
GOAL_PREPS: tuple[str, ...] = ("to", "into", "toward", "towards", "onto")  # the "to Y" of "from X to Y"
# "left for Cairo", "headed for the border": "for" names a destination only after these verbs.
FOR_DESTINATION_VERBS: frozenset[str] = frozenset(
    {"leave", "depart", "head", "set", "sail", "bind", "embark", "fly", "flee", "escape"}
)
# Verbs whose "on" object is the goal: "march on Kinshasa", "advanced on Bukavu", "converged on the capital".
ON_DESTINATION_VERBS: frozenset[str] = frozenset({"march", "advance", "converge", "descend"})
REPORTING_VERBS: frozenset[str] = frozenset(
    {
        "say", "tell", "report", "announce", "claim", "confirm", "state", "add", "note", "write",
        "estimate", "believe", "deny", "dismiss", "reject", "allege", "warn", "insist", "assert",
        "acknowledge", "disclose", "reveal", "indicate", "quote", "cite", "brief", "inform", "accuse",
    }
)
VEHICLES: frozenset[str] = frozenset(
    {
        "air", "aircraft", "boat", "bus", "car", "ferry", "flight", "foot", "helicopter", "jet",
        "land", "plane", "rail", "road", "sea", "ship", "train", "truck", "vessel", "dinghy",
    }
)
# Civilians named without nationality who share the article's one civilian nationality; "migrants" do not:
# their nationality is often left open on purpose.
UNMARKED_CIVILIANS: frozenset[str] = frozenset(
    {"refugee", "people", "person", "civilian", "family", "child", "woman", "resident", "evacuee", "thousand",
     "hundred"}
)
# "arrived ... following a trip to X", "returned from a visit to X": the verb's subject made the trip.
FRAMING_PREPS: frozenset[str] = frozenset({"after", "following", "before", "during", "on", "from"})
# Conveyances whose passengers are the movers ("a ferry carrying 300 refugees arrived").
CONVEYANCES: frozenset[str] = frozenset(
    {"aircraft", "airliner", "boat", "bus", "convoy", "dinghy", "ferry", "flight", "helicopter", "jet", "plane",
     "ship", "train", "vessel", "c-17", "c-130"}
)
CLOCK_WORDS: frozenset[str] = frozenset({"gmt", "utc", "bst", "cet", "est", "edt", "pst", "am", "pm", "a.m.", "p.m."})
CARRYING_VERBS: frozenset[str] = frozenset({"carry", "transport", "bring", "ferry", "fly"})
# "made a trip to Kyiv", "paid a visit to Oslo": the subject of the light verb moves.
LIGHT_VERBS: frozenset[str] = frozenset({"make", "pay", "take", "begin", "start", "undertake", "complete", "conduct"})
# "crossed its border", "arrived in his country": the owner's country is the place.
OWNED_PLACE_NOUNS: frozenset[str] = frozenset(
    {"country", "border", "borders", "territory", "soil", "homeland", "capital", "shores", "land", "airspace", "waters"}
)
# "the country", "the province", "the city" name no place: they refer back to the last one named, at this level
DESCRIBED_PLACE_NOUNS: dict[str, str] = {
    "country": "country", "nation": "country", "kingdom": "country", "republic": "country",
    "province": "region", "region": "region", "state": "region",
    "city": "town", "town": "town", "capital": "town", "village": "town",
}
# "refugees fleeing the fighting in Sudan": civilians take the nationality of the country they flee.
FLEEING_VERBS: frozenset[str] = frozenset({"flee", "escape"})
# "returned the base to", "transferred control of the city to": a handover of a place or of power, not a move.
HANDOVER_VERBS: frozenset[str] = frozenset({"return", "transfer"})
HANDED_OVER: frozenset[str] = frozenset(
    {"base", "camp", "facility", "installation", "territory", "control", "sovereignty", "power", "authority",
     "land", "airfield", "airport", "outpost", "city", "town", "village", "area", "region", "province", "district"})
# Nouns whose "of" names places ("the cities of Bosaso, Galkayo"), whatever the tagger takes the names for
PLACE_NOUNS: frozenset[str] = frozenset({"city", "town", "village", "region", "province", "district", "state",
                                         "country", "island", "port", "capital"})
# Nouns that make the name after them a ship's ("the British destroyer Daring").
VESSEL_NOUNS: frozenset[str] = frozenset(
    {"ship", "ships", "vessel", "vessels", "destroyer", "frigate", "corvette", "cruiser", "submarine", "carrier",
     "warship", "cutter", "tanker", "ferry", "boat", "supertanker", "tankers", "freighter", "trawler", "yacht",
     "liner", "icebreaker", "sailboat"})
# Moves whose goal is never the mover's own country ("invading the country", "deported to the country").
FOREIGN_GOAL_LEMMAS: frozenset[str] = frozenset(
    {"invade", "invasion", "incursion", "infiltrate", "immigrate", "emigrate", "deport", "deportation", "expel"})
RETURN_LEMMAS: frozenset[str] = frozenset({"return", "repatriate", "repatriation", "go back", "come back"})
HOME_NOUNS: frozenset[str] = frozenset({"home", "homeland", "country", "village", "town", "land"})
# A headline about people leaving home: its plural nationalities are the article's civilians ("Ivorians Flee").
TITLE_DISPLACEMENT = re.compile(r"\b(?:flee|flees|fled|fleeing|flight|exodus|evacuat\w*|deport\w*|expel\w*|"
                                r"displace\w*|repatriat\w*)\b", re.IGNORECASE)
# A country's name as mover of these nouns means its armed forces ("Ruritania's invasion").
MILITARY_NOUNS: frozenset[str] = frozenset(
    {"invasion", "incursion", "deployment", "redeployment", "withdrawal", "pullout", "buildup", "build-up"}
)
MILITARY_TRIGGERS: frozenset[str] = MILITARY_NOUNS | {
    "invade", "deploy", "redeploy", "withdraw", "mass", "advance", "retreat", "pull", "occupy", "march", "push",
}
# Groups of these types need a nationality to be an actor key worth an edge ("unknown/military" is noise).
# Words that stand for part of a group named earlier when they head the mover phrase.
QUANTIFIER_MOVERS: frozenset[str] = frozenset({
    "many", "most", "some", "all", "several", "few", "both", "half", "majority", "rest", "those", "these",
})
GROUP_TYPES: frozenset[str | None] = frozenset({"military", "government", "civilians"})
FIRST_PERSON_PLURAL: frozenset[str] = frozenset({"we", "us"})
# A group keyed by its state or body alone: without one ("the team", "advance teams") it has no key at all.
UNKEYABLE_WITHOUT_AFFILIATION: frozenset[str] = frozenset({"military", "government", "organization", "other"})
# Armed groups outside a state's forces: coordinated with a state's troops, they are still not that state's.
NON_STATE_FORCES: frozenset[str] = frozenset({
    "mercenary", "fighter", "militant", "militia", "militiaman", "militiamen", "rebel", "insurgent", "guerrilla",
    "jihadist", "gunman", "gunmen", "raider", "paramilitary", "paramilitaries", "separatist"})
# Entity labels that are never places, though a gazetteer may know the word ("March", a town in England).
NOT_PLACE_ENTS: frozenset[str] = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})
LOCATOR_PREPS: frozenset[str] = frozenset({"in", "at"})
# Prepositions that place a destination phrase's head inside a named place ("the camp on the outskirts of X").
INSIDE_PREPS: tuple[str, ...] = ("of", "in", "at", "on", "outside", "within", "inside")
WATER_EDGES: frozenset[str] = frozenset({"bank", "shore", "riverbank", "coastline"})
PLACE_PHRASE_PREPS: frozenset[str] = frozenset({"of", "in"})
MOVER_PHRASE_PREPS: frozenset[str] = frozenset({"of", "from"})
PLACE_ENTS: frozenset[str] = frozenset({"GPE", "LOC", "FAC"})
# Future and modal auxiliaries: a bare weekday or month after them lies ahead of publication (spec 3).
FUTURE_AUXILIARIES: frozenset[str] = frozenset(
    {"will", "shall", "'ll", "wo", "could", "can", "may", "might", "would", "should", "must", "'d"}
)
PLURAL_PRONOUNS: frozenset[str] = frozenset({"they", "them", "their", "we", "us", "our"})
SINGULAR_PRONOUNS: frozenset[str] = frozenset({"he", "she", "him", "her", "his"})
# Civilians a state moves who are its own by the word itself (others it moves are of any state).
OWN_PEOPLE: frozenset[str] = frozenset({"citizen", "national", "expatriate", "expat", "compatriot", "diplomat"})
AID_VERBS: frozenset[str] = frozenset({"assist", "help", "support", "aid", "reinforce", "bolster"})
REPATRIATION_LEMMAS: frozenset[str] = frozenset({"repatriate", "repatriation"})  # a move back to one's own state
BORDER_NOUNS: frozenset[str] = frozenset({"border", "frontier"})  # a state's own side "at"/"along" them
BORDER_WORDS: frozenset[str] = BORDER_NOUNS | {"boundary", "line"}  # no goal: "the Line of Control"
HOSTING_VERBS: frozenset[str] = GUEST_VERBS | {"invite"}  # whose object is the guest of "for a visit"
# A state's own forces named without the state ("government forces", "the military"): they move at home.
DOMESTIC_FORCES = re.compile(r"(?:the\s+)?(?:(?:government|security|state security|regime|national)\s+"
                             r"(?:forces|troops|soldiers)|military|army)")
NEIGHBOUR_WORDS: frozenset[str] = frozenset({"neighbouring", "neighboring", "surrounding", "bordering", "adjacent"})
_GUARD_OF = re.compile(r"(?:the\s+)?(?P<state>[A-Z][\w.]*(?:\s+(?!Army\b|Air\b|National\b)[A-Z][\w.]*)?)\s+"
                       r"(?:Army\s+|Air\s+)?National\s+Guard\b")  # "the New York Air National Guard"
_AIRCRAFT_DESIGNATOR = re.compile(r"[A-Z]{1,3}-\d{1,3}[A-Z]?")  # "F-15E", "MV-22", "C-17"
# Verbs whose object carries their subject: "boarded the jet ..., bound for Portugal" is the subject's move.
BOARDING_VERBS: frozenset[str] = frozenset({"board", "embark", "catch"})
# Verbs that move their object when they name a goal ("The ships took the evacuees to Cyprus"), as sending does.
TAKING_VERBS: frozenset[str] = frozenset({"take"})
# Verbs whose object does what their infinitive says ("advised Hitler to invade the UK": Hitler would invade).
OBJECT_CONTROL_VERBS: frozenset[str] = frozenset({
    "order", "ask", "allow", "force", "tell", "urge", "advise", "invite", "encourage", "persuade", "permit",
    "instruct", "direct", "command", "authorize", "authorise", "compel", "request", "name", "appoint", "assign",
    "enable"})
# Moves that end where the story already sent the mover when they name no place ("The brigade will arrive later").
ARRIVAL_LEMMAS: frozenset[str] = frozenset(
    {"arrive", "land", "enter", "cross", "invade", "host", "dock", "reach", "attend", "advance", "welcome"})
# "the Russian leader", "the premier": the person named before with one of these titles
LEADER_WORDS: frozenset[str] = frozenset({"leader", "premier", "head of state", "head of government"})
LEADER_TITLES: tuple[str, ...] = ("prime minister", "president", "chancellor", "premier", "king", "queen",
                                  "emperor", "emir", "sultan", "supreme leader")
SALIENCE_WINDOW = 1  # sentences back whose mover "they" or a bare "the deployment" may mean when nothing else resolves
# Words that make the name after them a place ("Fort Sam Houston", "Camp Lemonnier")
PLACE_NAME_PREFIXES: frozenset[str] = frozenset({"Fort", "Camp", "Mount", "Mt.", "Lake", "Cape", "Port"})
COREF_WINDOW = 6  # sentences back that "the soldiers" or "they" may refer to
PIPE_BATCH = 4  # articles spaCy parses at once in `extract_together`: its peak memory grows with the batch


def _role_heads(title: str) -> list[str]:
    """The words a title is later referred to by, fullest first: "deputy secretary of defense" is "the deputy
    secretary" and "the secretary" later, "prime minister" is "the minister"."""
    office = title.split(" of ")[0]
    return list(dict.fromkeys((title, office, office.split()[-1])))


@dataclass
class _Memory:
    """What the article has said so far: affiliated actors, people's full names, last destination."""

    published: dt.date | None
    actors: list[tuple[int, Actor]] = field(default_factory=list)
    mentions: list[tuple[int, Actor]] = field(default_factory=list)
    people: dict[str, Actor] = field(default_factory=dict)
    roles: dict[tuple[str | None, str], Actor] = field(default_factory=dict)
    whereabouts: dict[str, Place] = field(default_factory=dict)
    goals: dict[str, Place] = field(default_factory=dict)  # mover key -> the last destination the article gave it
    last_place: Place | None = None
    civilian_country: str | None = None  # the one nationality the article gives its civilians, if only one
    publisher: Actor | None = None  # the publishing state's government or armed forces: who "we" are in its release
    dateline_place: Place | None = None  # where the story was filed: what "arrived here" means
    main_military: Actor | None = None  # the armed force the article is about, when one clearly dominates
    named_places: list[tuple[int, Place]] = field(default_factory=list)  # (start char, place) of each place name
    article_text: str = ""  # the title and the text: where a person's state may be stated once for all mentions

    @property
    def publisher_country(self) -> str | None:
        """The state whose government or forces published the article, if one did."""
        return self.publisher.state if self.publisher is not None else None

    def moved(self, actor: Actor, destinations: list[Place], origin: Place | None) -> None:
        """Keep where an asserted move left the mover: its destination, or the place it left ("left Tobruk")."""
        place = destinations[-1] if destinations else origin
        if place is not None:
            self.whereabouts[actor.key] = place.model_copy(update={"text": None, "start": None, "end": None})

    def headed_for(self, actor: Actor, destinations: list[Place]) -> None:
        """Keep the last place the article sends this mover to, whatever the modality: where it arrives later."""
        if destinations:
            self.goals[actor.key] = destinations[-1].model_copy(update={"text": None, "start": None, "end": None})

    def came_from(self, actor: Actor, destinations: list[Place]) -> Place | None:
        """An unstated origin: where the article last put this mover, if that is not where it goes now.

        "Biden visited Kyiv ... He then arrived in Poland": the trip to Poland started in Kyiv.
        """
        last = self.whereabouts.get(actor.key)
        if last is None or any((p.country, p.subdivision) == (last.country, last.subdivision) for p in destinations):
            return None
        return last

    def remember_role(self, role: tuple[str | None, str], person: Actor) -> None:
        """Keep who holds a title ("chancellor", with and without nationality) for "the chancellor"."""
        affiliation, title = role
        for word in _role_heads(title):
            self.roles[(affiliation, word)] = self.roles[(None, word)] = person

    def holder(self, role: tuple[str | None, str]) -> Actor | None:
        """The person named earlier with this title ("the Austrian chancellor" -> Karl Weber), if any."""
        affiliation, title = role
        person = next((self.roles[(affiliation, word)] for word in _role_heads(title)
                       if (affiliation, word) in self.roles), None)
        if person is None and title in LEADER_WORDS:  # "the Russian leader", "the premier": its head of state
            person = next((self.roles[(affiliation, word)] for word in LEADER_TITLES
                           if (affiliation, word) in self.roles), None)
        if person is not None and affiliation is not None and person.affiliation not in (None, affiliation):
            return None
        return person

    def recent(self, sentence: int, kind: str | None) -> Actor | None:
        """The latest affiliated mover of `kind` (any group when None) in the window, else the latest mention."""
        for actors in (self.actors, self.mentions):
            for index, actor in reversed(actors):
                if sentence - index > COREF_WINDOW:
                    break
                if actor.type == kind or (kind is None and actor.type != "person"):
                    return actor
        return None

    def new_topic(self) -> None:
        """Forget who was mentioned last (not people's names): a news digest's headings start another story."""
        self.actors.clear()
        self.mentions.clear()

    def latest(self, sentence: int, window: int = 2) -> Actor | None:
        """The last mover within `window` sentences back (the passengers of "the plane")."""
        found = [(i, a) for i, a in self.actors if sentence - i <= window]
        return found[-1][1] if found else None

    def remember(self, sentence: int, actor: Actor, mover: bool) -> None:
        """Keep an actor that later mentions can refer to; movers take precedence over other mentions."""
        if actor.type == "person" and actor.name:
            known = self.people.get(actor.name)
            if known is None or (actor.affiliation and not known.affiliation):
                self.people[actor.name] = actor
        if actor.affiliation:
            (self.actors if mover else self.mentions).append((sentence, actor))


def _map_version(reader: RuleReader) -> str:
    """A user's map changes confidences: extraction caches keyed on the version must see it."""
    return f"{RuleBasedExtractor.version}+map-{reader.calibration.fingerprint()}"


@register_extractor("rules")
class RuleBasedExtractor:
    """spaCy + parse rules for roles, keys and normalisation around an event reader (the rule reader by
    default; the trained extractor passes the learned one): one event per trigger mention, mover and
    destination; unknown fields stay null."""

    name = "rules"
    version = "0.1.0"

    def __init__(self, model: str = DEFAULT_MODEL, calibration: ConfidenceMap | None = None,
                 reader: EventReader | None = None, calibration_file: str | None = None) -> None:
        """Load the shared spaCy pipeline and the gazetteers once. `reader` decides triggers, modality, links
        and confidence (default: `RuleReader(calibration, calibration_file)`, whose map defaults to the user's
        in `calibration_file` when it exists, else to the packaged one)."""
        if reader is not None and (calibration is not None or calibration_file is not None):
            raise ValueError("pass `calibration` to the reader, not beside it")
        self._nlp = load_pipeline(model)
        self._places = PlaceResolver()
        self._actors = ActorResolver(self._places)
        if reader is None:
            rule_reader = RuleReader(calibration, calibration_file)
            if calibration is None and calibration_file is not None:
                self.version = _map_version(rule_reader)
            reader = rule_reader
        self.reader: EventReader = reader

    @classmethod
    def version_for(cls, calibration_file: str | None = None, **_: object) -> str:
        """The version an extractor built with these options reports, without loading spaCy."""
        return _map_version(RuleReader(None, calibration_file)) if calibration_file is not None else cls.version

    @classmethod
    def needs_torch(cls, **_: object) -> bool:
        """Never: spaCy's small CPU pipeline and the rules run without it (thinc imports it only if it can)."""
        return False

    def extract(self, article: Article) -> list[MovementEvent]:
        """Every movement event of `article`, offsets into `article.text`."""
        doc = self._nlp(blank_dateline(article.text))
        self.reader.prepare(doc)
        try:
            return self._read(article, doc)
        finally:
            self.reader.release(doc)

    def extract_together(self, articles: Sequence[Article]) -> list[list[MovementEvent] | Exception]:
        """The events of each article, as `extract` finds them, or the exception that article raised.

        The articles are parsed together (`nlp.pipe`) and the reader prepares them together (the event model
        reads all their candidates in one pass: the trained extractor's `extract_batch`); the rules then read
        each article on its own, so one bad article fails alone. A failure of the shared parse or reading
        raises: the caller may fall back to `extract` per article. The rule extractor itself offers no
        `extract_batch`: with the rule reader there is nothing to pool, and bench/extract measured no gain
        from the shared parse (12.8 against 12.2 CPU seconds for 60 articles) but 230 MiB more peak RSS.
        """
        docs = list(self._nlp.pipe((blank_dateline(a.text) for a in articles), batch_size=PIPE_BATCH))
        self.reader.prepare_many(docs)
        results: list[list[MovementEvent] | Exception] = []
        for article, doc in zip(articles, docs, strict=True):
            try:
                results.append(self._read(article, doc))
            except Exception as exc:  # noqa: BLE001 - one article's failure is its own result, never the batch's
                results.append(exc)
            finally:
                self.reader.release(doc)
        return results

    def _read(self, article: Article, doc: Doc) -> list[MovementEvent]:
        """The events of one parsed and prepared article."""
        chunks = list(doc.noun_chunks)  # spaCy recomputes noun chunks on every access: once per article
        sentences = list(doc.sents)
        headings = [is_heading(sentence) for sentence in sentences]
        digest = any(a and b for a, b in zip(headings, headings[1:], strict=False))  # "Gaza war\nRafah offensive"
        memory = _Memory(published=article.published, publisher=publisher_actor(article.source),
                         dateline_place=self._dateline_place(article.text),
                         # a digest tells many stories: no one nationality of civilians, no one armed force
                         civilian_country=None if digest else self._civilian_country(chunks, article.title or ""),
                         main_military=None if digest else self._main_military(chunks),
                         named_places=self._named_places(doc),
                         article_text=f"{article.title or ''}\n{article.text}")
        for person in self._actors.titled_people(article.title or ""):  # whom "President Arroyo" names later
            memory.people.setdefault(person.name or "", person)
        by_sentence: dict[int, list[Span]] = {}
        for chunk in sorted(chunks + _unchunked_people(doc, chunks), key=lambda span: span.start):
            by_sentence.setdefault(chunk.sent.start, []).append(chunk)
        events: list[MovementEvent] = []
        for index, (sentence, heading) in enumerate(zip(sentences, headings, strict=True)):
            if digest and heading and not headings[index - 1]:
                memory.new_topic()  # a digest's next item: "the rebels" there are not the last item's
            self._remember_mentions(sentence, by_sentence.get(sentence.start, []), index, memory)
            if heading:
                continue
            for trigger in self.reader.triggers(sentence):
                events.extend(self._events(article, trigger, sentence, index, memory))
        log.debug("article %s: %d events", article.id, len(events))
        return events

    # ------------------------------------------------------------------ per trigger

    def _events(self, article: Article, trigger: Trigger, sentence: Span, index: int,
                memory: _Memory) -> list[MovementEvent]:
        """The events of one trigger: one per mover and destination."""
        if _handover(trigger):
            log.debug("trigger %r at %d: a handover, no move", trigger.text, trigger.start)
            return []
        mover_tokens, agent_token = _mover_tokens(trigger)
        agent = self._agent(agent_token, sentence, index, memory, trigger)
        movers: list[tuple[Token, Actor]] = []
        for tokens in self._mover_choices(trigger, sentence, mover_tokens):
            movers = self._resolved_movers(tokens, sentence, index, memory, trigger, agent)
            if movers:
                break
        if not movers:
            movers = _salient_mover(trigger, mover_tokens, index, memory)
        if not movers:
            movers = self._domestic_forces(trigger, sentence, mover_tokens, memory)
        if not movers:
            log.debug("trigger %r at %d: no mover resolves", trigger.text, trigger.start)
            return []
        movers += self._companions(trigger, sentence, index, memory, movers)
        for _, actor in movers:
            memory.remember(index, actor, mover=True)
        linked = _not_origins(_split(self.reader.linked_heads(trigger, sentence, "DESTINATION")), trigger)
        linked_places = [head for head in linked if not _within_movers(head, movers)]
        destinations = self._destinations(trigger, sentence, movers[0][1], memory) or self._places_of(
            linked_places, trigger, sentence, movers[0][1], memory)
        if not destinations and trigger.kind == "verb" and trigger.lemma in SENDING_VERBS:
            destinations = self._aided_state(trigger, sentence)
        # "the voluntary repatriation of its citizens from South Africa": with no goal stated, back to their own state
        home_bound = (not destinations and trigger.lemma in REPATRIATION_LEMMAS
                      and any(actor.state for _, actor in movers))
        if home_bound:
            movers = [(token, actor) for token, actor in movers if actor.state]
        if not destinations and not home_bound and (trigger.kind == "noun" or trigger.lemma in NEEDS_PLACE):
            log.debug("trigger %r at %d: no destination, and its kind needs one", trigger.text, trigger.start)
            return []
        modality = self.reader.modality(trigger, movers[0][0])
        time = self._time(trigger, sentence, modality, memory.published)
        evidence_start = _evidence_start(sentence)
        common: dict[str, Any] = {
            "article_id": article.id,
            "trigger": TextSpan(text=trigger.text, start=trigger.start, end=trigger.end),
            "via": self._via(trigger, sentence),
            "vehicle": _vehicle(trigger),
            "agent": agent,
            "time": time,
            "modality": modality,
            "factual": modality == "asserted",
            "source": self._source(trigger, sentence, memory),
            "sentence": article.text[evidence_start:sentence.end_char],
            "sentence_start": evidence_start,
            "sentence_end": sentence.end_char,
        }
        stated_origin = self._origin(trigger, sentence)
        events = []
        for token, actor in movers:
            quantity = _quantity(token)
            origin = stated_origin or memory.came_from(actor, destinations)
            if modality == "asserted":
                memory.moved(actor, destinations, stated_origin)
            memory.headed_for(actor, destinations)
            places: list[Place | None] = list(destinations) if destinations else [None]
            if not destinations and trigger.lemma in ARRIVAL_LEMMAS and _names_no_goal(trigger):
                places = [memory.goals.get(actor.key)]
            if home_bound:
                places = [with_english_names(Place(country=actor.state))]
            for place in places:
                events.append(MovementEvent(
                    **common,
                    mover=actor,
                    destination=place,
                    origin=origin,
                    quantity=quantity.value if quantity else None,
                    approximate=quantity.approximate if quantity else None,
                    confidence=self.reader.confidence(trigger, actor, place),
                ))
        return events

    def _domestic_forces(self, trigger: Trigger, sentence: Span, mover_tokens: list[Token],
                         memory: _Memory) -> list[tuple[Token, Actor]]:
        """"Government forces entered Aden", "the military pushed into Vakarai": a state's own forces, named
        without the state, moving inside one country are that country's (so the annotations, 12 of 12)."""
        if len(mover_tokens) != 1 or not DOMESTIC_FORCES.fullmatch(_phrase(mover_tokens[0], frozenset()).text.lower()):
            return []
        unnamed = Actor(affiliation=None, type="military")
        countries = {p.country for p in self._destinations(trigger, sentence, unnamed, memory)}
        country = countries.pop() if len(countries) == 1 else None
        if country is None:
            return []
        actor = state_military(country)
        span = _phrase(mover_tokens[0], MOVER_PHRASE_PREPS)
        return [(mover_tokens[0], actor.model_copy(update={"text": span.text, "start": span.start_char,
                                                          "end": span.end_char}))]

    def _mover_choices(self, trigger: Trigger, sentence: Span, rule_tokens: list[Token]) -> list[list[Token]]:
        """Mover heads to try in turn, the first that resolves wins: the role linker's and the parse rules'
        (in the order `link_first` says), then the tagger's."""
        rules = [_passengers(tok, trigger) for tok in rule_tokens]
        linked = [_passengers(_possessed_person(tok), trigger)
                  for tok in _split(self.reader.linked_heads(trigger, sentence, "MOVER"))]
        tagged = [tok for tok in self.reader.argument_heads(trigger, sentence, "MOVER") if tok not in rules]
        return [linked, rules, tagged] if self.reader.link_first else [rules, linked, tagged]

    def _resolved_movers(self, tokens: list[Token], sentence: Span, index: int, memory: _Memory,
                         trigger: Trigger, agent: Actor | None) -> list[tuple[Token, Actor]]:
        """The mover heads that resolve to an actor, with it; a listed set of nationalities gives one each."""
        movers: list[tuple[Token, Actor]] = []
        for tok in tokens:
            listed = self._listed_nationalities(tok)
            actors: list[Actor | None] = (list(listed) if listed
                                          else [self._actor(tok, sentence, index, memory, trigger, agent)])
            movers.extend((tok, actor) for actor in actors if actor is not None)
        return movers

    def _companions(self, trigger: Trigger, sentence: Span, index: int, memory: _Memory,
                    movers: list[tuple[Token, Actor]]) -> list[tuple[Token, Actor]]:
        """Forces that moved with the movers ("co-deployed with Polish forces", "deployed alongside Kenyan
        troops"): movers too, each with its own event. Only armed forces and governments of another state."""
        if trigger.kind == "noun":
            return []
        keys = {actor.key for _, actor in movers}
        found = []
        for prep in _preps(trigger.token, ("with", "alongside")):
            for token in [t for pobj in _pobjs(prep) for t in with_conjuncts(pobj)]:
                if token.ent_type_ in PLACE_ENTS:
                    continue  # "massing along the border with Gaza": a place, however the parse hangs it
                span = _phrase(token, MOVER_PHRASE_PREPS)
                actor = self._actors.resolve(span.text, context=sentence.text)
                if (actor is not None and actor.type in ("military", "government") and actor.affiliation
                        and actor.key not in keys):
                    found.append((token, actor.model_copy(update={"text": span.text, "start": span.start_char,
                                                                   "end": span.end_char})))
                    keys.add(actor.key)
        return found

    def _phrase_actor(self, token: Token, sentence: Span) -> Actor | None:
        """The actor the phrase headed by `token` names by itself, without the article's memory."""
        return self._actors.resolve(_phrase(token, MOVER_PHRASE_PREPS).text, context=sentence.text)

    def _conjunct_state(self, token: Token, sentence: Span, actor: Actor) -> Actor:
        """"Six U.S. Air Force F-16s and about 300 personnel arrived": forces that name no state, coordinated
        with forces that do, are that state's (not the article's main force, which may be the enemy)."""
        for other in token.conjuncts:
            found = self._phrase_actor(other, sentence)
            if found is not None and found.type == "military" and found.affiliation:
                return actor.model_copy(update={"affiliation": found.affiliation})
        return actor

    def _bidder_state(self, token: Token, trigger: Trigger, sentence: Span, actor: Actor) -> Actor:
        """"Kyrgyzstan's interim government asked retired police officers to travel to Osh": forces or officials
        a state's government or military tells to move (the object of the verb the trigger completes) act for
        that state."""
        if token.dep_ != "dobj" or trigger.token.dep_ != "xcomp" or trigger.token.head.i != token.head.i:
            return actor
        bidder = _subject(token.head)
        found = self._phrase_actor(bidder, sentence) if bidder is not None else None
        if found is not None and found.type in ("military", "government") and found.affiliation:
            return actor.model_copy(update={"affiliation": found.affiliation})
        return actor

    def _listed_nationalities(self, token: Token) -> list[Actor]:
        """"French and Malian troops entered Timbuktu", "Troops from Ghana, Nigeria and Senegal arrived": one actor
        per state, each with the whole phrase as text."""
        span = _phrase(token, MOVER_PHRASE_PREPS)
        listed = [c for prep in _preps(token, ("from",)) for pobj in _pobjs(prep) for c in with_conjuncts(pobj)]
        if len(listed) > 1:  # "Troops from Ghana, Nigeria and Senegal": the phrase stops at the first state
            span = token.doc[span.start:max(span.end, max(c.right_edge.i for c in listed) + 1)]
        if " and " not in span.text:
            return []
        return [actor.model_copy(update={"text": span.text, "start": span.start_char, "end": span.end_char})
                for actor in self._actors.split_nationalities(span.text)]

    def _actor(self, token: Token, sentence: Span, index: int, memory: _Memory,
               trigger: Trigger, agent: Actor | None = None, is_agent: bool = False) -> Actor | None:
        """Resolve a mover or agent head to an Actor, with light coreference; None for goods.

        A group without nationality sent by a state belongs to it ("Norway sent 300 soldiers").
        """
        if is_goods(token) or _backer(token) or _of_goods(token):
            return None
        span = _phrase(token, MOVER_PHRASE_PREPS)
        if len(span) > 1 and span[-1].dep_ == "case":
            span = span[:-1]  # "President Obama's travel": the mover is "President Obama"
        known = memory.people.get(_full_name(span.text, memory))
        role = self._actors.role(span.text)
        holder = memory.holder(role) if role else None
        actor = known or holder or self._actors.resolve(span.text, context=sentence.text)
        if token.lower_ in FIRST_PERSON_PLURAL and memory.publisher is not None:
            actor = memory.publisher  # "We left the United Kingdom for Ireland" in a State Department blog
        if is_agent and token.lower_ == "it" and token.dep_ == "nsubj":
            country = self._reporting_country(token, sentence, memory)  # "Britain says it is sending troops"
            actor = state_government(country) if country else actor
        if (token.ent_type_ == "PERSON" and (actor is None or actor.type != "person")
                and self._actors.ship(span.text) is None and not _vessel_named(span)):  # "USS Hershel “Woody” Williams"
            actor = self._named_person(token, span.text, memory) or actor
        if actor is None and not is_agent and _quantifier_pronoun(token):
            actor = Actor(affiliation=None, type="other")  # "most of those who fled": whoever moved last
        if actor is None and not is_agent and _is_conveyance(token):
            actor = memory.latest(index)  # "The plane touched down": the people the article just put on it
        if actor is None and token.lower_ in ("his", "her"):
            actor = Actor(affiliation=None, type="person")  # "on his first visit": whom it refers to, below
        if actor is None:
            return None
        if actor.type == "civilians" and actor.affiliation is None:
            actor = self._fled_country(token, sentence, actor)
        self._remember_role(span, actor, memory)
        if (not is_agent and token.ent_type_ in PLACE_ENTS | {"NORP"} and actor.type in ("government", "civilians")
                and self._actors.actor_type(token.lower_) is None):  # "Roma" tagged as a place still names people
            if trigger.lemma in MILITARY_TRIGGERS:
                actor = actor.model_copy(update={"type": "military", "name": None})  # "the Russians invaded"
            elif actor.type == "government" or token.ent_type_ != "NORP":
                return None  # "Moscow arrived": a place name is no mover outside military verbs
        if (actor.affiliation is None and actor.type != "person" and agent is not None and agent.affiliation
                and token.pos_ != "PRON" and (actor.type != "civilians" or token.lemma_.lower() in OWN_PEOPLE)):
            # "Norway sent 300 soldiers", "Britain evacuated 200 citizens"; but "Italy has repatriated migrants"
            # names no Italians, and a pronoun is who it refers to ("They find their way": not the finders' state)
            actor = actor.model_copy(update={"affiliation": agent.affiliation})
        if un_by_default(actor, span.text) and agent is not None and agent.state:
            # "Uganda is preparing to send its peacekeeping troops"
            actor = actor.model_copy(update={"affiliation": agent.affiliation})
        if actor.affiliation is None and actor.type in ("military", "government") and any(
                c.dep_ == "poss" and c.lower_ in ("its", "their") for c in token.children):
            owner = self._reporting_country(token, sentence, memory)  # "Lebanon says its soldiers will deploy"
            actor = actor.model_copy(update={"affiliation": owner}) if owner else actor
        if actor.affiliation is None and actor.type == "military" and token.lemma_.lower() not in NON_STATE_FORCES:
            actor = self._conjunct_state(token, sentence, actor)
        if actor.affiliation is None and actor.type in ("military", "government") and not is_agent:
            actor = self._bidder_state(token, trigger, sentence, actor)
        if actor.type == "person" and not actor.name and token.lower_ in SINGULAR_PRONOUNS:
            actor = self._subject_antecedent(token, sentence, index, memory) or actor
        actor = _corefer(actor, token, index, memory)
        if actor.type == "person" and actor.name and not actor.affiliation:
            stated = self._actors.stated_affiliation(actor.name, memory.article_text)
            if stated:  # "President Arroyo" in a White House release titled "... Philippine President ..."
                actor = actor.model_copy(update={"affiliation": stated})
        if (not actor.affiliation and memory.publisher_country
                and (actor.type == "person" or (actor.type == "military" and not is_agent))):
            # "Secretary Clinton will visit Israel" in a State Department release, "About 300 Soldiers will deploy"
            # in an Army one with no force named before: they act for the government that published it
            actor = actor.model_copy(update={"affiliation": memory.publisher_country})
        if actor.affiliation is None and actor.type in UNKEYABLE_WITHOUT_AFFILIATION:
            return None
        if actor.type == "person" and not actor.name:
            return None  # "he" with nobody named before: a person is keyed by name, so no key at all
        return actor.model_copy(update={"text": span.text, "start": span.start_char, "end": span.end_char})

    def _subject_antecedent(self, pronoun: Token, sentence: Span, index: int, memory: _Memory) -> Actor | None:
        """The named person a "he"/"his" refers to in its own sentence: the subject of the nearest verb above it
        that has another subject ("President Bush says he will visit India", "Pope Benedict arrives ... on his
        first visit", "Before deciding to cancel his trip, Mr. Netanyahu ..."); None when that subject is no
        named person ("The ministry said he ...")."""
        for node in pronoun.ancestors:
            if node.pos_ not in ("VERB", "AUX"):
                continue
            subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")
                            and not c.left_edge.i <= pronoun.i <= c.right_edge.i), None)  # not "his visit"
            if subject is None:
                continue
            actor = self._phrase_actor(subject, sentence)
            if subject.ent_type_ == "PERSON" and (actor is None or actor.type != "person"):
                actor = self._named_person(subject, _phrase(subject, MOVER_PHRASE_PREPS).text, memory)
            if actor is None or actor.type != "person" or not actor.name:
                return None
            return _corefer(actor, subject, index, memory)
        return None

    def _civilian_country(self, chunks: list[Span], title: str) -> str | None:
        """The nationality of the article's civilians when it names exactly one ("Ukrainian refugees", "Afghans",
        "refugees fleeing Myanmar"; in the title too: "Colombian Refugees Flood Border Town")."""
        found = set(self._title_civilians(title))
        for chunk in chunks:
            if self._actors.actor_type(chunk.root.lower_) == "civilians" or chunk.root.ent_type_ == "NORP":
                actor = self._actors.resolve(chunk.text, context=chunk.sent.text)
                if actor is not None and actor.type == "civilians" and not actor.affiliation:
                    actor = self._fled_country(chunk.root, chunk.sent, actor)
                if actor is not None and actor.type == "civilians" and actor.state:
                    found.add(actor.state)
        return found.pop() if len(found) == 1 else None

    def _title_civilians(self, title: str) -> list[str]:
        """Nationalities of civilians a headline names ("Colombian Refugees"): headline case defeats the parser,
        so each civilians noun is read with the two words before it."""
        words = re.findall(r"[\w'’.-]+", title)
        found = []
        displaced = bool(TITLE_DISPLACEMENT.search(title))
        for i, word in enumerate(words):
            if (displaced and word[:1].isupper() and word.endswith("s")
                    and self._actors.actor_type(word.lower()) is None):
                actor = self._actors.resolve(word)  # "More Ivorians Flee to Liberia", "Flight of ... Armenians"
                if actor is not None and actor.type == "civilians" and actor.affiliation:
                    found.append(actor.affiliation)
            elif i and self._actors.actor_type(word.lower()) == "civilians":
                start = max(0, i - 2)
                if start and f"{words[start - 1]} {words[start]}".lower() in REGION_DEMONYMS:
                    start -= 1  # "Central American Migrant Caravans": not American ones
                actor = self._actors.resolve(" ".join(words[start:i + 1]))
                if actor is not None and actor.type == "civilians" and actor.state:
                    found.append(actor.state)
        return found

    def _main_military(self, chunks: list[Span]) -> Actor | None:
        """The armed force named at least twice as often as any other ("U.S. soldiers" in an Army story
        that mentions Russia's invasion once): what "the battalion" means when no force is named nearby."""
        counts: dict[str, int] = {}
        first: dict[str, Actor] = {}
        for chunk in chunks:
            if self._actors.actor_type(chunk.root.lower_) != "military" and chunk.root.ent_type_ not in ("NORP", "ORG"):
                continue
            actor = self._actors.resolve(chunk.text, context=chunk.sent.text)
            if actor is not None and actor.type == "military" and actor.affiliation:
                counts[actor.affiliation] = counts.get(actor.affiliation, 0) + 1
                first.setdefault(actor.affiliation, actor)
        main = _dominant(counts)
        return first[main] if main else None

    def _fled_country(self, token: Token, sentence: Span, actor: Actor) -> Actor:
        """"Refugees fleeing the war in Sudan": the one country named in the fleeing clause."""
        nouns = [token, *(o for prep in _preps(token, ("of",)) for o in _pobjs(prep))]  # "hundreds of refugees"
        clauses = [c for noun in nouns for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBG"]
        if token.dep_ == "nsubj" and token.head.dep_ == "csubj" and token.head.tag_ == "VBG":
            clauses.append(token.head)  # the parse of "Refugees fleeing X continue to ..."
        if token.dep_ == "nsubj":  # "people fled into Thailand to escape fighting in Burma": the purpose clause
            clauses.extend(c for c in token.head.children if c.dep_ in ("advcl", "xcomp") and c.tag_ == "VB")
        for child in clauses:
            if child.lemma_.lower() in FLEEING_VERBS:
                clause = sentence.doc[child.i:child.right_edge.i + 1]
                codes = {p.country for ent in clause.ents if ent.label_ in PLACE_ENTS
                         for p in [self._places.resolve(ent.text, context=sentence.text)] if p and p.country}
                if len(codes) == 1:
                    code = codes.pop()
                    return actor.model_copy(update={"affiliation": code, "name": None})
        return actor

    def _agent(self, token: Token | None, sentence: Span, index: int, memory: _Memory,
               trigger: Trigger) -> Actor | None:
        """Who sent the movers; a state name is a valid agent ("Norway sent soldiers")."""
        if token is None:
            return None
        return self._actor(token, sentence, index, memory, trigger, is_agent=True)

    def _remember_mentions(self, sentence: Span, chunks: list[Span], index: int, memory: _Memory) -> None:
        """Record the actors and people a sentence names (its noun `chunks`), for later "they"/"Stubb" mentions,
        and its named ships, for a later bare "Comfort" ("USNS Comfort departed ... Comfort will visit")."""
        for m in _SHIP_NAME.finditer(sentence.text):
            navy = self._actors.ship(m.group(0))
            if navy is not None:
                memory.people.setdefault(m.group(0), navy)
        for role, person in self._actors.titled_mentions(sentence.text):  # "Secretary of Defense Leon Panetta",
            memory.remember_role(role, person)  # which the parse may split at "of" and tag as no PERSON
        for chunk in chunks:
            if chunk.root.ent_type_ == "PERSON" and self._places.country_code(chunk.text):
                continue  # a state the tagger took for a person ("in Ukraine"): a place here, no one "they" means
            if chunk.root.ent_type_ == "PERSON" or self._actors.actor_type(chunk.root.lower_):
                actor = self._actors.resolve(chunk.text, context=sentence.text)
                if chunk.root.ent_type_ == "PERSON" and (actor is None or actor.type != "person"):
                    actor = self._named_person(chunk.root, chunk.text, memory) or actor  # "refugee Olena ..."
                if actor is not None and actor.type == "person" and actor.name and not actor.affiliation:
                    actor = self._with_apposed_title(actor, chunk, chunks, sentence)
                if actor is not None and actor.type != "other":
                    actor = _corefer(actor, chunk.root, index, memory)
                    memory.remember(index, actor, mover=False)
                    self._remember_role(chunk, actor, memory)

    def _with_apposed_title(self, person: Actor, chunk: Span, chunks: list[Span], sentence: Span) -> Actor:
        """A named person takes the state of a title set beside the name ("the Polish President himself,
        Andrzej Duda"; "Andrzej Duda, Poland's president"), which the name alone does not give."""
        for other in chunks:
            if other.root.ent_type_ == "PERSON" or not _apposed(chunk, other):
                continue
            titled = self._actors.resolve(f"{other.text} {person.name}", context=sentence.text)
            if titled is not None and titled.type == "person" and titled.affiliation:
                return person.model_copy(update={"affiliation": titled.affiliation})
        return person

    def _named_person(self, token: Token, text: str, memory: _Memory) -> Actor | None:
        """A PERSON entity with no title ("Olena Petrenko, 34,"): a person keyed by the fullest name.

        Nationality only from words before the name in the same phrase ("Ukrainian refugee ...").
        """
        ent = next((e for e in token.doc.ents if e.label_ == "PERSON" and e.start <= token.i < e.end), None)
        if ent is None:
            return None
        ent = _whole_name(ent)
        name = _full_name(re.sub(r"['’]s$", "", ent.text).strip(), memory)
        if len(name) < 3 or not name[:1].isupper() or not self._person_name(name, ent):
            return None
        if any(self._actors.actor_type(word.lower()) in GROUP_TYPES for word in name.split()[1:]):
            return None  # "Team Kadena Airmen", "Amphibious Squadron 11": a unit; "Airman Kyle Williams" is a person
        prefix = text[: text.find(ent.text)] if ent.text in text else ""
        affiliation = self._actors.body(prefix) if prefix.strip() else None  # "V-O-A's Alisha Ryu": voa
        known = memory.people.get(name)
        if known is not None:  # an affiliation only this mention gives is kept ("American rapper Kanye West")
            return known if known.affiliation or not affiliation else known.model_copy(
                update={"affiliation": affiliation})
        navy = self._actors.ship(name)
        if navy is not None:  # "USS Ross" tagged as a person: the ship, and "Ross" later is the ship too
            memory.people[name] = navy
            return navy
        return Actor(affiliation=affiliation, type="person", name=name)

    def _person_name(self, name: str, ent: Span) -> bool:
        """False for what the tagger takes for a person's name but is not one: a state ("Malawi will deploy"),
        a place named after a person ("Fort Sam Houston") or listed after a place noun ("the cities of Bosaso,
        Galkayo"), a civilian ship ("MV Hondius"), an acronym ("JMSDF"), a name with digits ("MV-22 Osprey") or
        after an aircraft's designation ("F-15E Strike Eagles"), a people after "ethnic" ("ethnic Slavs")."""
        first = name.split()[0]
        before = ent.doc[ent.start - 1].text if ent.start > 0 else ""
        return not (self._places.country_code(name) or first in CIVILIAN_SHIP_PREFIXES
                    or first in PLACE_NAME_PREFIXES or before in PLACE_NAME_PREFIXES
                    or re.search(r"\d", name) or re.fullmatch(r"[A-Z]{3,}", name)  # "MV-22 Osprey", "JMSDF"
                    or _AIRCRAFT_DESIGNATOR.fullmatch(before)  # "F-15E Strike Eagles"
                    or before.lower() == "ethnic"  # "some ethnic Slavs": a people
                    or _named_as_place(ent.root))  # "the cities of Bosaso, Galkayo, Qardho"

    def _remember_role(self, mention: Span, actor: Actor, memory: _Memory) -> None:
        """A named person with a title ("Austrian Chancellor Karl Weber") is who "the chancellor" means later."""
        if actor.type != "person" or not actor.name:
            return
        before = mention.doc.text[mention.sent.start_char:mention.start_char]
        role = self._actors.title_of(mention.text, before)
        if role is not None:
            memory.remember_role((role[0] or actor.affiliation, role[1]), actor)

    def _destinations(self, trigger: Trigger, sentence: Span, mover: Actor, memory: _Memory) -> list[Place]:
        """Resolved destinations of the parse rules: prepositional objects, place objects, "there", "home"."""
        return self._places_of(_destination_heads(trigger), trigger, sentence, mover, memory)

    def _places_of(self, heads: list[Token], trigger: Trigger, sentence: Span, mover: Actor,
                   memory: _Memory) -> list[Place]:
        """Destination heads resolved to places ("there" to the last place named, "home" to the mover's country)."""
        found: list[tuple[Place, bool]] = []  # (place, named by a locator preposition "in"/"at")
        # "Rwanda ... invading the country": where movers invade or are deported to, "the country" is not their own
        own = mover.state if trigger.lemma in FOREIGN_GOAL_LEMMAS else None
        for head in heads:
            if head.lower_ in ("there", "here"):
                known = memory.dateline_place if head.lower_ == "here" and memory.dateline_place else memory.last_place
                if known is not None:
                    found.append((known.model_copy(update={"text": None, "start": None, "end": None}), False))
                continue
            if head.lower_ == "home" and not _a_home_somewhere(head):
                if mover.state:
                    home = self._movers_home_town(mover, sentence)
                    found.append((home or with_english_names(Place(country=mover.affiliation)), False))
                continue
            if mover.state and _home_of_returning_mover(head, trigger):
                home = self._movers_home_town(mover, sentence)
                span = _phrase(head, PLACE_PHRASE_PREPS)
                found.append((home.model_copy(update={"text": span.text, "start": span.start_char,
                                                      "end": span.end_char}) if home is not None
                              else _movers_own_country(head, mover), False))
                continue
            if mover.state and _own_border(head, trigger, mover):
                found.append((_movers_own_country(head, mover, qualifier=head.text), False))
                continue
            if _neighbours_of_one_state(head):
                continue  # "neighbouring countries of Ukraine", "Ukraine's neighbours": not Ukraine
            owned = self._owned_place(head, trigger, sentence, memory)
            if owned is not None:
                found.append((owned, head.head.lower_ in LOCATOR_PREPS))
                continue
            place = (self._place(head, sentence) or _described_place(head, memory, own)
                     or self._place_named_inside(head, sentence, memory, own)
                     if head.ent_type_ not in NOT_PLACE_ENTS and not _clock_time(head) else None)
            if place is not None and not _country_of_previous(head, place, found):
                found.append((place, _attachment(head).lower_ in LOCATOR_PREPS))
        # "entered the valley in northern Ruritania": once a destination is named, "in" only locates it
        places = [p for p, locator in found if not locator] or [p for p, _ in found]
        explicit = [p for p in places if p.start is not None]
        if explicit:
            memory.last_place = explicit[-1]
        return places

    def _named_places(self, doc: Doc) -> list[tuple[int, Place]]:
        """Every place name of the article that resolves, in text order: what "the country" refers back to. A name
        that only qualifies a noun ("the first senior U.S. official to visit the country") is no such referent."""
        named = []
        for ent in doc.ents:
            if ent.label_ in PLACE_ENTS and ent.root.dep_ != "compound":
                place = self._places.resolve(ent.text, context=ent.sent.text)
                if place is not None and place.country:
                    named.append((ent.start_char, place))
        return named

    def _dateline_place(self, text: str) -> Place | None:
        """The place of the story's dateline ("SOTO CANO AIR BASE, Honduras —"), else None."""
        dateline = re.sub(r"\([^)]*\)|[-–—:]+\s*$", "", text[: dateline_end(text)]).strip(" ,")
        place = self._places.resolve(dateline) if dateline and not dateline[:1].isdigit() else None
        return place if place is not None and place.country else None

    def _owned_place(self, head: Token, trigger: Trigger, sentence: Span, memory: _Memory) -> Place | None:
        """"its border", "his country": the country of the reporting subject ("Egypt said ... crossed its border")."""
        owner = next((c for c in head.children if c.dep_ == "poss" and c.lower_ in ("its", "his", "her", "their")),
                     None)
        if owner is None or head.lemma_.lower() not in OWNED_PLACE_NOUNS:
            return None
        country = self._reporting_country(trigger.token, sentence, memory)
        return with_english_names(Place(country=country, qualifier=head.text)) if country else None

    def _reporting_country(self, token: Token, sentence: Span, memory: _Memory) -> str | None:
        """The country of the subject of the reporting verb above `token` ("Egypt said ...")."""
        for node in token.ancestors:
            if node.lemma_.lower() in REPORTING_VERBS:
                subject = next((c for c in node.children if c.dep_ == "nsubj"), None)
                country = self._owner_country(subject, sentence, memory) if subject is not None else None
                if country:
                    return country
        return None

    def _owner_country(self, token: Token, sentence: Span, memory: _Memory) -> str | None:
        """The country a reporting subject stands for: a state ("Egypt") or a person's affiliation."""
        span = _phrase(token, MOVER_PHRASE_PREPS)
        code = self._places.country_code(span.text) if token.ent_type_ in ("GPE", "NORP") else None
        if code:
            return code
        person = memory.people.get(_full_name(span.text, memory))
        if person is not None and person.state:
            return person.state
        actor = self._actors.resolve(span.text, context=sentence.text)
        if actor is not None and actor.state:
            return actor.state
        owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
        return self._places.country_code(owner.text) if owner is not None else None  # "Azerbaijan's Defense Ministry"

    def _aided_state(self, trigger: Trigger, sentence: Span) -> list[Place]:
        """The state a sending names only as whom it helps ("deployed military members to assist the people of
        Guatemala", "will send 500 soldiers to help Mali"): forces sent to aid a state go there."""
        for clause in trigger.token.children:
            if clause.dep_ not in ("advcl", "xcomp") or clause.lemma_.lower() not in AID_VERBS:
                continue
            for obj in (c for c in clause.children if c.dep_ == "dobj"):
                named = [obj, *(o for prep in _preps(obj, ("of",)) for o in _pobjs(prep))]
                places = [p for token in named if token.pos_ == "PROPN" and (p := self._place(token, sentence))]
                if places:
                    return places
        return []

    def _movers_home_town(self, mover: Actor, sentence: Span) -> Place | None:
        """The town or region of their own state that the movers' phrase names them by ("Iraqi residents of
        Fallujah", "Gori residents"): where their homes are. None when it names none below the state."""
        span = sentence.doc.char_span(mover.start, mover.end) if mover.start is not None and mover.end is not None \
            else None
        if span is None:
            return None
        for ent in span.ents:
            guard = _GUARD_OF.match(ent.text) if ent.label_ == "ORG" else None  # "the Illinois Army National Guard"
            if ent.label_ != "GPE" and guard is None:
                continue
            place = self._places.resolve(guard.group("state") if guard else ent.text, context=sentence.text)
            if place is not None and place.country == mover.affiliation and place.subdivision:
                return place.model_copy(update={"text": None, "start": None, "end": None})
        return None

    def _place(self, head: Token, sentence: Span) -> Place | None:
        """Resolve the place phrase headed by `head`, with its offsets."""
        span = _phrase(head, PLACE_PHRASE_PREPS)
        place = self._places.resolve(span.text, context=sentence.text)
        if place is None or place.country is None:
            return None
        return place.model_copy(update={"text": span.text, "start": span.start_char, "end": span.end_char})

    def _place_named_inside(self, head: Token, sentence: Span, memory: _Memory, own: str | None,
                            depth: int = 3) -> Place | None:
        """A place named inside a destination phrase that is no place itself: "the Thai town, Mae Sot", "the camp
        on the outskirts of Kolofata", "the Training Center at Fort Polk"; through appositions and locating
        prepositions only (not "near", "from" or "with": those name another place); "the southern part of the
        country" as "the country" is read."""
        if depth == 0 or head.lemma_.lower() in WATER_EDGES:
            return None  # "the left bank of the Dnipro" names a river, not the city of that name
        inner = [c for c in head.children if c.dep_ == "appos"]
        inner += [o for prep in _preps(head, INSIDE_PREPS) for o in _pobjs(prep)]
        for token in inner:
            place = (self._place(token, sentence) or _described_place(token, memory, own)
                     or self._place_named_inside(token, sentence, memory, own, depth - 1))
            if place is not None:
                return place
        return None

    def _origin(self, trigger: Trigger, sentence: Span) -> Place | None:
        """Where from: a "from"/"out of" object of the trigger or of the verb it is chained with
        ("set off from Tobruk and reached Crete", "landed after flying out of Kabul"), or the
        object of "left/fled X"."""
        for head in _origin_heads(trigger):
            place = self._place(head, sentence)
            if place is not None:
                return place
        return None

    def _via(self, trigger: Trigger, sentence: Span) -> Place | None:
        """The path: "via Poland", "through Moldova"."""
        for prep in _preps(trigger.token, ("via", "through")):
            for pobj in _pobjs(prep):
                place = self._place(pobj, sentence)
                if place is not None:
                    return place
        return None

    def _time(self, trigger: Trigger, sentence: Span, modality: str, published: dt.date | None) -> TimeInterval:
        """The trigger's time expression, or the default interval of its modality."""
        found = _time_expression(trigger, sentence)
        if found is None:
            return default_interval(published, modality)
        span, reporting = found
        tense: Tense = "future" if modality == "expected" else _tense(trigger.token)
        interval = resolve_time(span.text, published, tense=tense, reporting=reporting)
        if interval.start is None and interval.end is None:
            return default_interval(published, modality).model_copy(update={"text": span.text})
        return interval.model_copy(update={"span_start": span.start_char, "span_end": span.end_char})

    def _source(self, trigger: Trigger, sentence: Span, memory: _Memory) -> str | None:
        """Who makes the claim: "according to X", or the subject of a reporting verb above the trigger."""
        for token in sentence:
            if token.lower_ == "according":
                for pobj in (p for prep in _preps(token, ("to",)) for p in _pobjs(prep)):
                    return _source_text(pobj, memory)
        for node in trigger.token.ancestors:
            if node.lemma_.lower() in REPORTING_VERBS:
                subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None and subject.dep_ == "nsubj":
                    return _source_text(subject, memory)
        return None


# ---------------------------------------------------------------------- dependency helpers


def _mover_tokens(trigger: Trigger) -> tuple[list[Token], Token | None]:
    """Heads of the movers (conjuncts split) and of the agent, if any."""
    token = trigger.token
    if trigger.kind == "noun":
        mover = _noun_mover(trigger)
        # "The U.S. military is delaying the deployment of 3,500 troops": who acts on the deployment sent them
        agent = _subject(token.head) if token.dep_ == "dobj" and token.head.pos_ == "VERB" else None
        return (with_conjuncts(mover), agent if agent is not mover else None) if mover is not None else ([], None)
    deps = {c.dep_: c for c in token.children}
    obj, agent = deps.get("dobj"), None
    by = next((p for p in _preps(token, ("by",)) if p.dep_ == "agent"), None)
    if "agent" in deps:
        by = deps["agent"]
    sends = trigger.lemma in SENDING_VERBS or (trigger.lemma in TAKING_VERBS and bool(_preps(token, ("to",))))
    if sends and obj is not None and obj.ent_type_ not in PLACE_ENTS and obj.lower_ != "home":
        mover = obj
        agent = _subject(token)
    elif trigger.lemma in GUEST_VERBS and obj is not None and obj.ent_type_ not in PLACE_ENTS:
        mover = obj  # the host is no agent: it sent nobody
    else:
        mover = _subject(token)
        if by is not None and "nsubjpass" in deps:
            agent = next(iter(_pobjs(by)), None)
    if mover is None:
        return [], None
    return with_conjuncts(mover), agent


def _handover(trigger: Trigger) -> bool:
    """"returns its last military base in Chad to the Chad National Army": a place or power changes hands, and
    nobody moves."""
    return trigger.kind == "verb" and trigger.lemma in HANDOVER_VERBS and any(
        c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in HANDED_OVER for c in trigger.token.children)


def _origin_heads(trigger: Trigger) -> list[Token]:
    """Heads of the places a trigger names as its origin: "from"/"out of" objects of it or of the verb it is
    chained with, and the object of "left/fled X"."""
    token = trigger.token
    holders = [token, *(c for c in token.children if c.dep_ in ("conj", "advcl") and c.pos_ == "VERB")]
    if token.dep_ == "conj" and token.head.pos_ == "VERB":
        holders.append(token.head)
    if trigger.kind == "noun" and token.dep_ == "dobj" and token.head.pos_ == "VERB":
        holders.append(token.head)  # "made the crossing from Somalia"
    holders += [o for holder in list(holders) for prep in _preps(holder, ("by", "aboard", "on"))
                for o in _pobjs(prep)]  # "by boat from Somalia"
    heads = [c for holder in holders for prep in _preps(holder, ("from", "out")) for c in _pobjs(prep)]
    if trigger.lemma in ORIGIN_OBJECT_VERBS:  # "departed Naval Station Norfolk", however the parser labels it
        heads += [c for c in token.children if c.dep_ in ("dobj", "npadvmod", "attr", "oprd")]
        if _left_object(trigger):  # "left camp in Thailand": where the place left is
            heads += [o for prep in _preps(token, tuple(LOCATOR_PREPS)) for o in _pobjs(prep)]
    return heads


def _left_object(trigger: Trigger) -> bool:
    """A verb whose object is the origin ("left camp", "fled their homes") with that object stated: an "in"
    or "at" phrase beside it locates the place left, never the goal. Not "evacuate", whose object is as often
    the people moved ("evacuated those personnel ... at the Embassy in Khartoum")."""
    return (trigger.lemma in ORIGIN_OBJECT_VERBS and trigger.lemma != "evacuate"
            and any(c.dep_ == "dobj" for c in trigger.token.children))


def _not_origins(heads: list[Token], trigger: Trigger) -> list[Token]:
    """Linked destination heads less those the parse reads as where the move started, or as a part of such
    a phrase ("coming from several cities in Somalia", "left Malaysia", "welcomed refugees from Syria"): the
    linker confuses the two."""
    origins = [t for head in _origin_heads(trigger) for t in head.subtree]
    return [h for h in heads if h not in origins and not _from_object(h)]


def _from_object(head: Token) -> bool:
    """The object of a "from" (or "out of") phrase, wherever it hangs: "refugees from Syria" names no goal; nor
    does "outside" or "beyond" ("his first trip outside Ukraine")."""
    prep = head.head if head.dep_ == "pobj" else None
    return prep is not None and (prep.lower_ in ("from", "outside", "beyond")
                                 or (prep.lower_ == "of" and prep.head.lower_ == "out"))


def _clock_time(head: Token) -> bool:
    """"at around 1945 GMT", "at 11:15 am": a clock time, whatever the tagger calls it."""
    return head.lower_ in CLOCK_WORDS or any(c.lower_ in CLOCK_WORDS for c in head.children)


def _whole_name(ent: Span) -> Span:
    """A PERSON entity with the PERSON entities right before it: the tagger splits "José Adolfo | Macías Villamar"."""
    start = ent.start
    while (before := next((e for e in ent.doc.ents if e.label_ == "PERSON" and e.end == start), None)) is not None:
        start = before.start
    return ent.doc[start:ent.end]


def _backer(token: Token) -> bool:
    """True for the state in "Rwandan-backed rebels": it backs the movers, it does not move."""
    doc = token.doc
    return (token.i + 2 < len(doc) and doc[token.i + 1].text == "-"
            and doc[token.i + 2].lower_ in ("backed", "supported", "sponsored", "funded", "armed", "trained"))


def _within_movers(head: Token, movers: list[tuple[Token, Actor]]) -> bool:
    """True for a word inside a mover's own phrase: "Prime Minister Jens Stoltenberg of Norway" names where he
    is from, not where he goes."""
    return any(actor.start is not None and actor.end is not None and actor.start <= head.idx < actor.end
               for _, actor in movers)


def _evidence_start(sentence: Span) -> int:
    """Where an event's evidence starts: the sentence's start, or 0 for the first sentence after a blanked
    dateline, so the evidence keeps the article's own text, dateline included."""
    return 0 if not sentence.doc.text[:sentence.start_char].strip() else sentence.start_char


def _named_as_place(token: Token) -> bool:
    """True for a name listed after a place noun ("the cities of Bosaso, Galkayo, Qardho"): the tagger's PERSON
    there is a place."""
    while token.dep_ == "conj":
        token = token.head
    of = token.head
    return token.dep_ == "pobj" and of.lower_ == "of" and of.head.lemma_.lower() in PLACE_NOUNS


def _vessel_named(span: Span) -> bool:
    """A ship the tagger took for a person: "Australian frigate Perth", "the British destroyer Daring"."""
    return any(t.lower_ in VESSEL_NOUNS for t in span if t.ent_type_ != "PERSON")


def _of_goods(token: Token) -> bool:
    """People named only as what goods are of: "the bodies of 757 Ukrainian soldiers" moved as bodies."""
    prep = token if token.dep_ == "prep" else token.head if token.dep_ == "pobj" else None
    return prep is not None and prep.lower_ == "of" and is_goods(prep.head)


def _quantifier_pronoun(token: Token) -> bool:
    """"many", "most of those", "some of them", "the rest": a part of a group named before."""
    if token.lower_ not in QUANTIFIER_MOVERS:
        return False
    objects = [o for prep in _preps(token, ("of",)) for o in _pobjs(prep)]
    return all(o.pos_ == "PRON" or o.lower_ in ("those", "these", "them") for o in objects)


def _possessed_person(token: Token) -> Token:
    """The person a linked possessor qualifies ("VOA's Sonja Pace visited": Pace, not VOA, though the tagger may
    not know Pace for a name), else the token."""
    head = token.head
    if (token.dep_ == "poss" and token.ent_type_ != "PERSON" and head.pos_ == "PROPN"
            and head.ent_type_ in ("PERSON", "")):
        return head
    return token


def _is_conveyance(token: Token) -> bool:
    """True for a plane, ship, bus or convoy as the grammatical mover."""
    return token.lemma_.lower() in CONVEYANCES or token.lower_ in CONVEYANCES


def _passengers(token: Token, trigger: Trigger) -> Token:
    """The people a conveyance carries ("a ferry carrying 300 refugees", "Biden's train", "boats that
    arrived carrying 150 people"), else `token`."""
    if not _is_conveyance(token):
        return token
    for child in [*token.children, *trigger.token.children]:
        if child.dep_ == "poss" and child.ent_type_ == "PERSON":
            return child
        if child.dep_ in ("acl", "relcl", "advcl", "xcomp") and child.lemma_.lower() in CARRYING_VERBS:
            obj = next((c for c in child.children if c.dep_ == "dobj"), None) or _next_head_noun(child)
            if obj is not None and not is_goods(obj):
                # "carrying House of Representatives Speaker Nancy Pelosi" parses the name as a conjunct
                return next((c for c in (obj, *obj.conjuncts) if c.ent_type_ == "PERSON"), obj)
        if child.dep_ == "prep" and child.lower_ == "with":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None and not is_goods(obj) and obj.lemma_.lower() not in CONVEYANCES:
                return obj
    return token


def _next_head_noun(token: Token) -> Token | None:
    """The first phrase head after `token` ("carrying House Speaker Nancy Pelosi" misparsed: "Pelosi")."""
    for nxt in token.doc[token.i + 1 : token.sent.end]:
        if nxt.pos_ in ("NOUN", "PROPN", "PRON") and nxt.dep_ not in ("compound", "amod", "poss", "nmod"):
            return nxt
        if nxt.pos_ in ("VERB", "AUX", "ADP", "PUNCT"):
            return None
    return None


def _subject(token: Token) -> Token | None:
    """The subject of a verb, inherited through xcomp/conj chains and participles ("troops deployed to")."""
    node = token
    for _ in range(4):
        subject = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            if subject.tag_ in ("WDT", "WP") and node.dep_ == "relcl":
                return node.head
            if node.i != token.i and node.dep_ != "conj" and subject.dep_ == "nsubj" and _has_object(node):
                return next(c for c in node.children if c.dep_ == "dobj")
            return subject
        if node.i != token.i and node.dep_ != "conj" and _has_object(node):
            return next(c for c in node.children if c.dep_ == "dobj")  # "..., enabling refugees to escape"
        if node.dep_ == "acl" and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return _described_person(node.head)
        if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            return _described_person(node.head)  # "Blinken, the first diplomat to visit China"
        clause = next((c for c in node.children if c.dep_ == "csubj"), None)
        if clause is not None and clause.tag_ == "VBG":  # "Refugees fleeing X continue to flow into Y"
            inner = next((c for c in clause.children if c.dep_ == "nsubj"), None)
            if inner is not None:
                return inner
        if node.dep_ == "pcomp" and node.head.lower_ == "from" and node.head.dep_ == "prep":
            obj = next((c for c in node.head.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj  # "bans Netanyahu from entering the country": the object is kept from moving
        if (node.i == token.i and token.tag_ == "VBN" and token.dep_ in ("advcl", "conj")
                and token.head.lemma_.lower() not in BOARDING_VERBS):  # "boarded the jet, bound for": not the jet
            obj = next((c for c in token.head.children if c.dep_ == "dobj"), None)
            if obj is not None:
                return obj  # "recalled the soldiers, then flown back to base"
        if node.dep_ not in ("xcomp", "conj", "advcl", "ccomp", "pcomp") or node.head == node:
            return None
        node = node.head
    return None


def _described_person(noun: Token) -> Token:
    """The person a description stands beside ("Blinken ..., the first top diplomat to ..."), else `noun`."""
    if noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON":
        return noun.head
    if noun.dep_ in ("npadvmod", "attr") and noun.head.pos_ in ("VERB", "AUX"):  # "Blinken is the first ... to"
        subject = next((c for c in noun.head.children if c.dep_ == "nsubj"), None)
        if subject is not None and (subject.ent_type_ == "PERSON" or subject.pos_ == "PROPN"):
            return subject
    return noun


def _has_object(node: Token) -> bool:
    """True for "ordered troops to deploy": the object of the governing verb is the mover."""
    return node.lemma_.lower() in OBJECT_CONTROL_VERBS and any(
        c.dep_ == "dobj" for c in node.children
    )


def _noun_mover(trigger: Trigger) -> Token | None:
    """The mover of a noun trigger: "arrival of troops", "their deployment", "troop withdrawal"."""
    token = trigger.token
    if trigger.lemma == "way":  # "refugees are on their way to Chad", "made their way into Chad"
        verb = token.head.head if token.dep_ == "pobj" else token.head
        return _subject(verb)
    if trigger.lemma not in PLACE_OF_NOUNS:
        for prep in _preps(token, ("of", "by")):
            for pobj in _pobjs(prep):
                return pobj
    for child in token.children:
        if child.dep_ == "poss":
            return child
    if token.dep_ == "dobj" and token.head.lemma_.lower() in LIGHT_VERBS:
        return _subject(token.head)  # "Biden made a surprise trip to Kyiv"
    guest = _hosted_guest(token)
    if guest is not None:
        return guest  # "President Obama will host Prime Minister Sharif for an official visit"
    if token.dep_ == "pobj" and token.head.lower_ in FRAMING_PREPS and token.head.head.pos_ == "VERB":
        return _subject(token.head.head)  # "Biden arrived in Poland following a surprise trip to Ukraine"
    for child in token.children:
        if child.dep_ in ("compound", "amod") and (child.ent_type_ in ("NORP", "GPE") or child.pos_ == "NOUN"):
            return child
    return None


def _hosted_guest(noun: Token) -> Token | None:
    """The object of "host/welcome/receive/invite ... for a visit", "is hosting the squadron during a port
    visit": the guest is who visits."""
    prep = noun.head
    if noun.dep_ != "pobj" or prep.lower_ not in ("for", "during") or prep.head.lemma_.lower() not in HOSTING_VERBS:
        return None
    return next((c for c in prep.head.children if c.dep_ == "dobj"), None)


def _split(heads: list[Token]) -> list[Token]:
    """Heads with their conjuncts, each once, in order ("Biden and Zelensky" -> both)."""
    out: list[Token] = []
    for head in heads:
        out.extend(t for t in with_conjuncts(head) if t not in out)
    return out


def _a_home_somewhere(head: Token) -> bool:
    """"at his family home in Kennebunkport": a house to resolve, whose "his" may be the host's, not the
    movers' own country that a bare "home" is (also when the parse hangs it from "in": "soldiers in Lithuania
    home")."""
    return _attachment(head).lower_ in LOCATOR_PREPS and any(c.dep_ in ("poss", "det") for c in head.children)


def _neighbours_of_one_state(head: Token) -> bool:
    """"Ukraine's neighbours", "neighbouring countries of Ukraine": the states around one state, not it. With
    several names ("the neighbouring countries of Chad and Niger") the "of" names the countries themselves."""
    lemma = head.lemma_.lower()
    if lemma in ("neighbour", "neighbor") and head.tag_ == "NNS":
        return any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "of") for c in head.children)
    if head.tag_ != "NNS" or lemma not in PLACE_NOUNS or not any(
            c.dep_ in ("amod", "compound") and c.lower_ in NEIGHBOUR_WORDS for c in head.children):
        return False
    named = [o for prep in _preps(head, ("of",)) for o in _pobjs(prep)]
    return len(named) == 1 and not named[0].conjuncts


def _names_no_goal(trigger: Trigger) -> bool:
    """Whether the trigger's goal is unstated or only a border: a named goal that did not resolve ("entered the
    compound of the embassy") is somewhere else than where the story sent the mover before."""
    return all(head.lemma_.lower() in BORDER_WORDS for head in _destination_heads(trigger))


def _destination_heads(trigger: Trigger) -> list[Token]:
    """Heads of destination phrases attached to the trigger or its particle, conjuncts split."""
    token = trigger.token
    preps = set(DESTINATION_PREPS)
    if trigger.lemma in FOR_DESTINATION_VERBS:
        preps.add("for")
    if trigger.lemma in ON_DESTINATION_VERBS:
        preps.add("on")
    if _left_object(trigger) or (trigger.lemma in FLEEING_VERBS and _preps(token, ("from",))):
        preps -= LOCATOR_PREPS  # "left camp in Thailand", "fled from persecution in Myanmar": the place left
    if trigger.kind == "noun" and trigger.lemma in PLACE_OF_NOUNS:
        preps.add("of")
    heads: list[Token] = []
    holders = [token, *(c for c in token.children
                        if c.dep_ in ("prt", "advmod") and c.lower_ in ("back", "out", "off"))]
    if trigger.lemma == "way" and token.dep_ == "dobj":
        holders.append(token.head)  # "made their way into Yemen": the goal hangs from the verb
    for holder in holders:
        for prep in _preps(holder, tuple(preps)):
            heads.extend(g for h in _pobjs(prep) for g in _swallowed_by_date(h) or [h])
    for source in _preps(token, ("from",)):  # "from X to Y", parsed with "to" under "from", X or X's conjunct
        for holder in [source, *(c for p in _pobjs(source) for c in with_conjuncts(p))]:
            for prep in _preps(holder, GOAL_PREPS):
                heads.extend(_pobjs(prep))
    if trigger.kind == "verb" and trigger.lemma in PLACE_OBJECT_VERBS:
        heads.extend(c for c in token.children if c.dep_ == "dobj")
        heads.extend(g for c in token.children if c.dep_ in ("npadvmod", "dobj") for g in _swallowed_by_date(c))
    heads.extend(o for prep in _preps(token, ("along",)) for o in _pobjs(prep)
                 if o.lemma_.lower() in BORDER_NOUNS)  # "deployed along the Israeli border"
    heads.extend(c for c in token.children if c.dep_ == "advmod" and c.lower_ in ("there", "here", "home"))
    heads.extend(c for c in token.children if c.dep_ == "dobj" and c.lower_ == "home")
    if not heads and trigger.kind == "verb" and trigger.lemma in SENDING_VERBS:
        heads.extend(_goal_of_sent(token))
    return [h for head in heads for h in with_conjuncts(head)]


def _goal_of_sent(verb: Token) -> list[Token]:
    """The goal the parser hung from what was sent ("deploys 5,000 personnel to Quito to ...": "to Quito" under
    "personnel"): only goal prepositions, since "troops in Iraq" says where they were, not where they went."""
    return [pobj for sent in verb.children if sent.dep_ in ("dobj", "nsubjpass")
            for prep in _preps(sent, GOAL_PREPS) for pobj in _pobjs(prep)]


def _salient_mover(trigger: Trigger, mover_tokens: list[Token], index: int,
                   memory: _Memory) -> list[tuple[Token, Actor]]:
    """The mover of the sentence before for a plural pronoun nobody resolved ("they will return"), or for a
    motion verb or definite motion noun with no mover at all ("The deployment ..."); else none. "I", "he" and "she" are
    people, whom a group that moved before never is."""
    if mover_tokens:
        if not all(t.pos_ == "PRON" and t.lower_ in PLURAL_PRONOUNS for t in mover_tokens):
            return []
    elif trigger.kind == "noun" and not _definite(trigger.token):
        return []
    salient = memory.latest(index, window=SALIENCE_WINDOW)
    if salient is None or salient.type == "person":
        return []
    return [(mover_tokens[0] if mover_tokens else trigger.token, salient)]


def _described_place(head: Token, memory: _Memory, own: str | None = None) -> Place | None:
    """"the country", "the Caribbean nation", "the city": the last place named before in the same paragraph, at
    that level (its country; its region; a place with a town), when the phrase names no place itself; never a
    place of the country `own` (the mover's: "Tshisekedi accuses Rwanda of invading the country")."""
    level = DESCRIBED_PLACE_NOUNS.get(head.lemma_.lower())
    if level is None or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.children):
        return None
    if head.ent_type_ in PLACE_ENTS or any(t.pos_ == "PROPN" and t.dep_ == "compound" for t in head.children):
        return None  # "the Central African Republic", "the Kursk region": a name, not a description
    span = _phrase(head, PLACE_PHRASE_PREPS)
    mention: dict[str, Any] = {"text": span.text, "start": span.start_char, "end": span.end_char}  # the mention
    paragraph = head.doc.text.rfind("\n", 0, head.idx) + 1  # lists of unrelated items are one per line
    for start, place in reversed(memory.named_places):
        if start >= head.idx:
            continue
        if start < paragraph:
            return None
        if own is not None and place.country == own:
            continue
        if level == "country":
            return with_english_names(Place(country=place.country, **mention))
        if level == "region" and place.subdivision:
            return with_english_names(Place(country=place.country, subdivision=place.subdivision, **mention))
        if level == "town" and place.locality:
            return place.model_copy(update={**mention, "qualifier": None})
    return None


def _swallowed_by_date(token: Token) -> list[Token]:
    """The places a date swallowed in the parse, its compounds that are no date ("entered central Timbuktu
    Monday", "arrive in the Philippines March 22": "Philippines" is a compound of "March"); [] for the rest."""
    if token.ent_type_ != "DATE":
        return []
    return [g for g in token.children if g.dep_ == "compound" and g.ent_type_ != "DATE"]


def _attachment(head: Token) -> Token:
    """What a place phrase hangs from, through conjuncts ("in Budapest, Hungary": "in" for both)."""
    while head.dep_ == "conj" and head.head != head:
        head = head.head
    return head.head


def _country_of_previous(head: Token, place: Place, found: list[tuple[Place, bool]]) -> bool:
    """True for the country that only qualifies the place before it ("Budapest, Hungary")."""
    if head.dep_ != "conj" or place.subdivision or place.locality or not found:
        return False
    previous = found[-1][0]
    return previous.country == place.country and bool(previous.subdivision or previous.locality)


def _preps(token: Token, words: tuple[str, ...]) -> list[Token]:
    """Prepositions among `token`'s children (incl. "back to", "out of" via particles)."""
    return [c for c in token.children if c.dep_ in ("prep", "agent", "dative") and c.lower_ in words]


def _pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition (through "into X" nested as prep-of-prep too)."""
    objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
    return objs + [p for c in prep.children if c.dep_ == "prep" for p in _pobjs(c)]


def _phrase(head: Token, keep_preps: frozenset[str]) -> Span:
    """The noun phrase of `head`: its modifiers and `keep_preps` attachments, without clauses or conjuncts."""
    tokens = [t for t in _phrase_tokens(head, keep_preps) if not t.is_space] or [head]  # blanked datelines
    doc: Doc = head.doc
    return doc[min(t.i for t in tokens) : max(t.i for t in tokens) + 1]


def _phrase_tokens(head: Token, keep_preps: frozenset[str]) -> list[Token]:
    """Tokens of the phrase headed by `head` (see `_phrase`)."""
    tokens = [head]
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "conj", "cc", "punct", "advcl", "appos") and not _appos_place(child):
            continue
        if child.dep_ == "prep" and child.lower_ not in keep_preps:
            continue
        if child.i > head.i and child.dep_ not in ("prep", "pobj", "appos", "compound", "nummod", "case") \
                and not _appos_place(child):
            continue
        tokens.extend(_phrase_tokens(child, keep_preps))
    return tokens


def _appos_place(child: Token) -> bool:
    """True for "Izmir, Turkey" and "the Oak Ridge National Laboratory, Tennessee": a place set off by a comma
    after the phrase (parsed as an apposition or, after a facility, as npadvmod) that helps resolve it."""
    if child.dep_ == "appos":
        return child.ent_type_ in PLACE_ENTS
    return (child.dep_ == "npadvmod" and child.ent_type_ in PLACE_ENTS and child.i > 0
            and child.doc[child.i - 1].text == ",")


def _quantity(mover: Token) -> Quantity | None:
    """The count of a mover head: "About 400 Canadian soldiers" -> 400, approximate."""
    numbers = [c for c in mover.children if c.dep_ == "nummod" and c.i < mover.i]
    if mover.pos_ == "NUM" or mover.like_num:
        numbers = [mover]
    if not numbers:
        return None
    number = numbers[0]
    return parse_quantity(mover.doc[number.left_edge.i : number.i + 1].text + _preceding_marker(mover, number))


def _preceding_marker(mover: Token, number: Token) -> str:
    """An approximation word parsed as the noun's determiner ("some 3,000 troops")."""
    return " some" if any(c.dep_ == "det" and c.lower_ == "some" and c.i < number.i for c in mover.children) else ""


def _vehicle(trigger: Trigger) -> TextSpan | None:
    """Means of travel: "by ship", "aboard a C-17"."""
    for prep in _preps(trigger.token, ("by", "aboard", "on")):
        for pobj in _pobjs(prep):
            if prep.lower_ == "aboard" or pobj.lemma_.lower() in VEHICLES:
                span = _phrase(pobj, frozenset())
                return TextSpan(text=span.text, start=span.start_char, end=span.end_char)
    return None


def _time_expression(trigger: Trigger, sentence: Span) -> tuple[Span, bool] | None:
    """The DATE entity that belongs to the trigger, else to a reporting verb above it (reporting=True)."""
    token = trigger.token
    chain = [token, *_clause_heads(token)]
    reporting = [n for n in token.ancestors if n.lemma_.lower() in REPORTING_VERBS]
    found: tuple[Span, bool] | None = None
    for ent in sentence.ents:
        if ent.label_ != "DATE":
            continue
        owner = _owner(ent.root)
        span = _with_preposition(ent)
        if owner in chain:
            return span, False
        if owner in reporting and found is None:
            found = (span, True)
    return found


def _clause_heads(token: Token) -> list[Token]:
    """Words the trigger hangs from inside its clause ("expected to be deployed by December")."""
    heads = []
    node = token
    while node.dep_ in ("xcomp", "pobj", "prep", "dobj", "nsubjpass", "nsubj", "acl") and node.head != node:
        node = node.head
        heads.append(node)
        if node.pos_ in ("VERB", "AUX"):
            break
    return heads


def _owner(token: Token) -> Token:
    """The verb or trigger noun a time expression attaches to."""
    node = token
    while node.head != node:
        node = node.head
        if node.pos_ in ("VERB", "AUX") or node.lemma_.lower() in PLACE_OF_NOUNS | MILITARY_NOUNS:
            return node
    return node


def _with_preposition(ent: Span) -> Span:
    """Include the preposition before a date ("by December", "from October 8-13")."""
    before = ent.start - 1
    if before >= ent.sent.start and ent.doc[before].lower_ in ("by", "until", "since", "from", "before", "between"):
        return ent.doc[before : ent.end]
    return ent


def _tense(token: Token) -> Tense:
    """Past, present or future, from the trigger's tag and auxiliaries."""
    auxes = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
    if auxes & FUTURE_AUXILIARIES:
        return "future"
    if token.tag_ in ("VBP", "VBZ") or auxes & {"is", "are", "am"}:
        return "present"
    return "past"


def _source_text(token: Token, memory: _Memory) -> str | None:
    """The readable source phrase; a pronoun takes the latest named person."""
    if token.pos_ == "PRON":
        people = list(memory.people)
        return people[-1] if people else None
    text = _phrase(token, frozenset({"of"})).text
    return _full_name(text, memory) if token.ent_type_ == "PERSON" else text


# "USNS Comfort", "HMS Queen Elizabeth", "USS Hershel “Woody” Williams"
_SHIP_NAME = re.compile(r"\b[A-Z]{2,5}\s+[A-Z][\w'’-]*(?:\s+[“\"]?[A-Z][\w'’-]*[”\"]?){0,2}")
HONORIFICS: frozenset[str] = frozenset({"Mr.", "Mrs.", "Ms.", "Dr.", "Mr", "Mrs", "Ms", "Dr"})


def _full_name(text: str, memory: _Memory) -> str:
    """The fullest name in the article that contains every word of `text` ("Stubb" -> "Alexander Stubb")."""
    words = set(text.split()) - HONORIFICS
    if not words:
        return text
    candidates = [name for name in memory.people if words <= _name_words(name)]
    return max(candidates, key=len) if candidates else text


def _name_words(name: str) -> set[str]:
    """A name's words, with the surname a hyphen joins: "Omar al-Bashir" also gives "Bashir", "Gloria
    Macapagal-Arroyo" also gives "Arroyo"."""
    words = set(name.split())
    return words | {w.rsplit("-", 1)[1] for w in words if re.fullmatch(r"[A-Z][\w']*-[A-Z][\w']*", w)} | {
        w.split("-", 1)[1] for w in words if re.match(r"(?i)(?:al|el|ad|ash|as|ar|at|an)-\w", w)}


def _dominant(counts: dict[str, int]) -> str | None:
    """The key counted at least twice as often as any other (and at least twice), else None."""
    ranked = sorted(counts.items(), key=lambda item: -item[1])
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
        return None
    return ranked[0][0]


def _corefer(actor: Actor, token: Token, index: int, memory: _Memory) -> Actor:
    """Fill a missing affiliation or full name from earlier mentions in the article."""
    if actor.type == "person":
        if token.pos_ == "PRON":
            recent = memory.recent(index, "person")
            return recent if recent is not None else actor
        if actor.name:
            full = memory.people.get(_full_name(actor.name, memory))
            if full is not None:  # the fullest name; an affiliation only this mention gives is kept
                actor = full if full.affiliation or not actor.affiliation else full.model_copy(
                    update={"affiliation": actor.affiliation})
        return actor
    if actor.affiliation:
        return actor
    if any(c.dep_ == "poss" and c.lower_ in ("his", "her") for c in token.children):
        person = memory.recent(index, "person")
        return actor.model_copy(update={"affiliation": person.affiliation}) if person is not None else actor
    if actor.type == "civilians" and not _definite(token):
        if memory.civilian_country and token.lemma_.lower() in UNMARKED_CIVILIANS:
            # "people crossed into Poland" in a story whose refugees are all Ukrainian
            return actor.model_copy(update={"affiliation": memory.civilian_country, "name": None})
        return actor  # "2,482 migrants": nationality is often unstated on purpose
    if actor.type == "civilians" and token.pos_ != "PRON" and memory.civilian_country:
        recent = memory.recent(index, "civilians")
        # "the refugees are entering Liberia" under "More Ivorians Flee to Liberia", none named nearer
        return recent if recent is not None and recent.affiliation else actor.model_copy(
            update={"affiliation": memory.civilian_country, "name": None})
    if actor.type == "military" and memory.main_military is not None:
        return memory.main_military  # "the battalion" in a story about one armed force
    recent = memory.recent(index, None if actor.type == "other" else actor.type)
    return recent if recent is not None else actor


def _home_of_returning_mover(head: Token, trigger: Trigger) -> bool:
    """"refugees returning to their homes", "return to their country", "sent to their home country", "Cameroon
    President Paul Biya returns to the country": the movers' own country, as "home" is."""
    the_country = head.lemma_.lower() in ("country", "nation") and any(
        c.dep_ == "det" and c.lower_ == "the" for c in head.children)  # as good as "their country" here
    owned = the_country or any(c.dep_ == "poss" and c.lower_ in ("their", "his", "her") for c in head.children)
    if owned and (head.lemma_.lower() == "homeland" or head.lemma_.lower() == "country" and any(
            c.lower_ == "home" and c.dep_ in ("compound", "amod") for c in head.children)):
        return True  # "redeployed to their home country", "flown to their homeland", whatever the verb
    return trigger.lemma in RETURN_LEMMAS and head.lemma_.lower() in HOME_NOUNS and owned


def _own_border(head: Token, trigger: Trigger, mover: Actor) -> bool:
    """A state's forces deployed or massed "at the border with Gaza", "along the Israeli border", "to the
    border": their own side of it (the corpus's reading), unless the verb crosses it or a possessor names the
    side ("Kyrgyzstan's border")."""
    return (head.lemma_.lower() in BORDER_NOUNS and mover.type == "military"
            and trigger.lemma not in PLACE_OBJECT_VERBS and trigger.lemma not in ORIGIN_OBJECT_VERBS
            and not any(c.dep_ == "poss" and c.lower_ not in ("its", "their") for c in head.children))


def _movers_own_country(head: Token, mover: Actor, qualifier: str | None = None) -> Place:
    """The mover's own state as the place the phrase headed by `head` names ("their homes", "the border")."""
    span = _phrase(head, PLACE_PHRASE_PREPS)
    return with_english_names(Place(country=mover.affiliation, qualifier=qualifier, text=span.text,
                                    start=span.start_char, end=span.end_char))


def _unchunked_people(doc: Doc, chunks: list[Span]) -> list[Span]:
    """PERSON names that no noun chunk covers (a parse that hangs "..., Andrzej Duda, March 6" as an adverb):
    still mentions that later "President Duda" refers to."""
    covered = {i for chunk in chunks for i in range(chunk.start, chunk.end)}
    return [ent for ent in doc.ents if ent.label_ == "PERSON" and not covered.intersection(range(ent.start, ent.end))]


def _apposed(name: Span, other: Span) -> bool:
    """True when `other` stands beside `name` as its appositive: linked so in the parse, or next to it with only
    a comma between ("the Polish President himself, Andrzej Duda", parsed otherwise)."""
    if other.root.head == name.root and other.root.dep_ == "appos" or (
            name.root.head == other.root and name.root.dep_ == "appos"):
        return True
    doc = name.doc
    if other.end <= name.start:
        between = doc[other.end:name.start]
    elif name.end <= other.start:
        between = doc[name.end:other.start]
    else:
        return False
    return [t.lower_ for t in between if t.lower_ not in ("himself", "herself")] == [","]


def _definite(token: Token) -> bool:
    """True for pronouns and "the/these/those ..." mentions, which refer back."""
    return token.pos_ == "PRON" or any(
        c.dep_ == "det" and c.lower_ in ("the", "these", "those", "this", "that") for c in token.children
    )
