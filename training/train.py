"""`movegraph train`: fine-tune the event model on the span-annotated corpus, reproducibly.

Fixed seeds, a held-out split by article for calibration and metrics, progress
logged with an ETA, and the corpus hash and metrics written beside the weights.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from spacy.tokens import Doc
from torch import nn
from transformers import (
    AutoConfig,
    AutoModel,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    get_linear_schedule_with_warmup,
)

from movegraph.extractors.calibration import IDENTITY, fit_confidence_map
from movegraph.extractors.event_model import (
    CLASSES,
    LINKS,
    TAGS,
    EventModel,
    EventModelConfig,
    MarkedItem,
    load_tokenizer,
    mark,
    marker_id,
    mention_pieces,
    to_marked,
)
from movegraph.extractors.event_network import EventNetwork
from movegraph.extractors.nlp import load_pipeline
from movegraph.extractors.screen import CandidateScreen
from movegraph.schema import InputError
from movegraph.schema.annotation import AnnotatedArticle
from movegraph.training.alignment import IGNORE, marked_arguments, piece_tags
from movegraph.training.examples import (
    Example,
    build_examples,
    corpus_hash,
    entry_counts,
    lexicon_for,
    parse,
    prefilter_recall,
    read_corpus,
    selective_lexicon,
)
from movegraph.training.metrics import calibrate_temperature, evaluate_examples, pick_threshold
from movegraph.training.screen import ScreenedCandidates, fit_screen, screened_candidates
from movegraph.training.split import CALIBRATION_SHARE, HELDOUT_SHARE, is_calibration, is_heldout

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainingConfig:
    """Every knob of one training run; the defaults are the ones the README's figures come from."""

    corpus: Path
    output: Path
    base_encoder: str
    epochs: int = 3
    batch_size: int = 16
    learning_rate: float = 8e-5
    max_length: int = 96
    heldout_share: float = HELDOUT_SHARE
    # Articles that calibrate (temperature, event threshold, confidence map): apart from the held-out ones, so
    # the held-out figures are measured on articles nothing was fitted on
    calibration_share: float = CALIBRATION_SHARE
    seed: int = 13
    max_articles: int | None = None
    threads: int | None = None
    freeze_embeddings: bool = True  # 11.7M of MiniLM's 22.7M weights; small data gains nothing from them
    # Lexicon entries whose candidates are triggers less often than this (smoothed) leave the pre-filter, unless
    # its recall on the training split would fall under min_prefilter_recall (issue 12 allows a filter at 0.98)
    min_trigger_rate: float = 0.03
    min_prefilter_recall: float = 0.98
    # The screen after the lexicon keeps this share of the training split's trigger candidates (0: no screen)
    screen_recall: float = 0.995
    # Keep only the base encoder's first N transformer layers (None: all): fewer layers, a faster reader
    encoder_layers: int | None = None


def set_seed(seed: int) -> None:
    """Seed Python and torch so that a re-run gives the same model."""
    random.seed(seed)
    torch.manual_seed(seed)


def encode(tokenizer, examples: Sequence[Example], max_length: int) -> list[dict[str, list[int] | int]]:
    """Marked sentences -> input ids, class label and word-piece tags."""
    encoded = []
    for ex in examples:
        text, shift = mark(ex.sentence, ex.trigger_start, ex.trigger_end)
        enc = tokenizer(text, truncation=True, max_length=max_length, return_offsets_mapping=True)
        spans = marked_arguments(ex.arguments, ex.trigger_start, ex.trigger_end, shift)
        offsets = [tuple(o) for o in enc["offset_mapping"]]
        encoded.append({"input_ids": enc["input_ids"], "class": CLASSES.index(ex.label),
                        "tags": piece_tags(offsets, spans), "mentions": _mention_labels(ex, shift, offsets)})
    return encoded


def _mention_labels(ex: Example, shift: int, offsets: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(first piece, last piece, link label) of each candidate mention kept after truncation."""
    found = []
    for start, end, role in ex.mentions:
        pieces = mention_pieces(offsets, to_marked(start, ex.trigger_start, ex.trigger_end, shift),
                                to_marked(end, ex.trigger_start, ex.trigger_end, shift))
        if pieces is not None:
            found.append((*pieces, LINKS.index(role)))
    return found


def collate(batch: list[dict], pad_id: int) -> dict[str, torch.Tensor]:
    """Pad a batch to its longest member (dynamic padding keeps CPU steps short)."""
    width = max(len(b["input_ids"]) for b in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    tags = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    for i, b in enumerate(batch):
        n = len(b["input_ids"])
        ids[i, :n] = torch.tensor(b["input_ids"])
        mask[i, :n] = 1
        tags[i, :n] = torch.tensor(b["tags"])
    rows = [(i, first, last, label) for i, b in enumerate(batch) for first, last, label in b.get("mentions", [])]
    return {"input_ids": ids, "attention_mask": mask, "tags": tags,
            "classes": torch.tensor([b["class"] for b in batch], dtype=torch.long),
            "mentions": torch.tensor([r[:3] for r in rows], dtype=torch.long).reshape(-1, 3),
            "links": torch.tensor([r[3] for r in rows], dtype=torch.long)}


def batches(items: list[dict], size: int, rng: random.Random) -> list[list[dict]]:
    """Length-bucketed, shuffled batches: similar lengths together, order random."""
    order = sorted(range(len(items)), key=lambda i: (len(items[i]["input_ids"]), rng.random()))
    chunks = [[items[i] for i in order[j:j + size]] for j in range(0, len(order), size)]
    rng.shuffle(chunks)
    return chunks


def train(config: TrainingConfig, progress: Callable[[str], None] | None = None) -> EventModel:
    """Train, calibrate on the calibration split, measure on the held-out split, save; returns the saved model."""
    report = progress or log.info
    set_seed(config.seed)
    if config.threads:
        torch.set_num_threads(config.threads)
    overrides = encoder_overrides(config.base_encoder, config.encoder_layers)
    nlp = load_pipeline()
    data_hash = corpus_hash(config.corpus)  # taken before reading, so it names the data actually used
    articles = read_corpus(config.corpus)[: config.max_articles]
    docs = parse(articles, nlp)
    report(f"parsed {len(articles)} training articles")
    by_split: dict[str, list[tuple[AnnotatedArticle, Doc]]] = {"train": [], "calibration": [], "heldout": []}
    for article, doc in zip(articles, docs, strict=True):
        by_split[_split_of(article.id, config)].append((article, doc))
    train_pairs = by_split["train"]
    heldout_pairs = by_split["heldout"] or train_pairs[:1]  # tiny corpora (tests): something to measure on
    calibration_pairs = by_split["calibration"] or train_pairs[:1]
    lexicon = choose_lexicon([a for a, _ in train_pairs], [d for _, d in train_pairs], config, report)
    candidates = {split: screened_candidates([a for a, _ in pairs], [d for _, d in pairs], lexicon)
                  for split, pairs in (("train", train_pairs), ("heldout", heldout_pairs))}
    screen = choose_screen([a for a, _ in train_pairs], [d for _, d in train_pairs], lexicon, candidates["train"],
                           config, report)
    train_examples = build_examples([a for a, _ in train_pairs], [d for _, d in train_pairs], lexicon)
    heldout_examples = build_examples([a for a, _ in heldout_pairs], [d for _, d in heldout_pairs], lexicon)
    calibration_examples = build_examples([a for a, _ in calibration_pairs], [d for _, d in calibration_pairs],
                                          lexicon)
    tokenizer = load_tokenizer(config.base_encoder)
    encoder = encoder_for(tokenizer, config.base_encoder, overrides)
    network = EventNetwork(encoder, len(CLASSES), len(TAGS), len(LINKS), marker_id=marker_id(tokenizer))
    _fit(network, encode(tokenizer, train_examples, config.max_length), tokenizer.pad_token_id, config, report)
    model_config = EventModelConfig(base_encoder=str(config.base_encoder), max_length=config.max_length,
                                    lexicon=sorted(lexicon), links=list(LINKS), data_hash=data_hash,
                                    seed=config.seed, screen=screen.to_dict() if screen else {})
    model = EventModel(network, tokenizer, model_config)
    _calibrate(model, calibration_examples)
    _measure(model, heldout_examples, report, train_articles=len(train_pairs), heldout_articles=len(heldout_pairs),
             calibration_articles=len(calibration_pairs), train_examples=len(train_examples),
             calibration_examples=len(calibration_examples))
    _fit_fact_confidence(model, [a for a, _ in calibration_pairs], [a for a, _ in heldout_pairs],
                         f"{config.corpus} (sha256 {data_hash})", report)
    for split, pairs in (("train", train_pairs), ("heldout", heldout_pairs)):
        recall = prefilter_recall([a for a, _ in pairs], [d for _, d in pairs], lexicon, screen).recall
        model.config.metrics[f"prefilter_recall_{split}"] = round(recall, 4)  # lexicon and screen together
        kept = candidates[split].features
        if screen is not None and kept:
            share = sum(screen.keeps_features(row) for row in kept) / len(kept)
            model.config.metrics[f"screen_kept_{split}"] = round(share, 4)
    model.config.metrics["lexicon_entries"] = len(lexicon)
    model.save(config.output)
    report(f"saved model to {config.output}")
    return model


def choose_lexicon(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc], config: TrainingConfig,
                   report: Callable[[str], None]) -> frozenset[str]:
    """The pre-filter's lexicon: the rules' and the training triggers' lemmas, less the entries whose candidates
    are seldom triggers (`min_trigger_rate`), unless that takes the training split's recall under
    `min_prefilter_recall`. Fewer candidates are fewer encoder passes per article."""
    full = lexicon_for(articles, docs)
    if config.min_trigger_rate <= 0:
        return full
    counts = entry_counts(articles, docs, full)
    selective = selective_lexicon(full, counts, config.min_trigger_rate)
    recall = prefilter_recall(articles, docs, selective).recall
    total = sum(c.candidates for c in counts.values())
    kept = sum(counts[e].candidates for e in selective if e in counts) / max(1, total)
    if recall < config.min_prefilter_recall:
        report(f"a lexicon without entries under trigger rate {config.min_trigger_rate} would find {recall:.4f} of "
               f"the training triggers (< {config.min_prefilter_recall}): keeping all {len(full)} entries")
        return full
    report(f"lexicon: {len(selective)} of {len(full)} entries (dropped: trigger rate under {config.min_trigger_rate}"
           f"), {kept:.0%} of the candidates kept, training-split trigger recall {recall:.4f}")
    return selective


def choose_screen(articles: Sequence[AnnotatedArticle], docs: Sequence[Doc], lexicon: frozenset[str],
                  candidates: ScreenedCandidates, config: TrainingConfig,
                  report: Callable[[str], None]) -> CandidateScreen | None:
    """The candidate screen, kept only while the lexicon and screen together still find `min_prefilter_recall`
    of the training split's triggers (issue 12: a speed-only filter may not cost recall); else none."""
    screen = fit_screen(candidates, config.screen_recall, config.seed) if config.screen_recall > 0 else None
    if screen is None:
        return None
    recall = prefilter_recall(articles, docs, lexicon, screen).recall
    if recall < config.min_prefilter_recall:
        report(f"the candidate screen would leave {recall:.4f} of the training triggers to the encoder "
               f"(< {config.min_prefilter_recall}): no screen")
        return None
    report(f"candidate screen: lexicon and screen together find {recall:.4f} of the training triggers")
    return screen


def encoder_overrides(base_encoder: str | Path, layers: int | None) -> dict[str, int]:
    """The config overrides that keep the base encoder's first `layers` transformer layers ({} for all); an
    InputError, before any parsing, when it has fewer."""
    if not layers:
        return {}
    available = AutoConfig.from_pretrained(str(base_encoder)).num_hidden_layers
    if layers > available:
        raise InputError(f"encoder_layers {layers}: the base encoder {base_encoder} has only {available} layers")
    return {"num_hidden_layers": layers}


def encoder_for(tokenizer: PreTrainedTokenizerBase, base_encoder: str | Path,
                overrides: dict[str, int] | None = None) -> PreTrainedModel:
    """The base encoder with an embedding row for every token of `tokenizer`: a vocabulary without the
    trigger markers (BERT cased has no `[unused0]`) gets new rows for them, as its unused rows are untrained too.
    `overrides` (see `encoder_overrides`) go into its config; the saved model's config keeps them."""
    config = AutoConfig.from_pretrained(str(base_encoder), **(overrides or {}))
    encoder = AutoModel.from_pretrained(str(base_encoder), config=config)
    if len(tokenizer) > encoder.get_input_embeddings().num_embeddings:
        encoder.resize_token_embeddings(len(tokenizer))
    return encoder


def _fit(network: EventNetwork, data: list[dict], pad_id: int, config: TrainingConfig,
         report: Callable[[str], None]) -> None:
    rng = random.Random(config.seed)
    steps = config.epochs * math.ceil(len(data) / config.batch_size)
    if config.freeze_embeddings:
        network.encoder.embeddings.requires_grad_(False)
    trainable = [p for p in network.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=config.learning_rate, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    loss_fn = nn.CrossEntropyLoss(ignore_index=IGNORE)
    network.train()
    done, started = 0, time.monotonic()
    for epoch in range(config.epochs):
        total = 0.0
        for chunk in batches(data, config.batch_size, rng):
            batch = collate(chunk, pad_id)
            class_logits, tag_logits, link_logits = network(batch["input_ids"], batch["attention_mask"],
                                                            batch["mentions"])
            loss = loss_fn(class_logits, batch["classes"]) + loss_fn(
                tag_logits.reshape(-1, tag_logits.shape[-1]), batch["tags"].reshape(-1))
            if len(batch["links"]):
                loss = loss + loss_fn(link_logits, batch["links"])
            loss.backward()
            nn.utils.clip_grad_norm_(trainable, 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            total += loss.item()
            done += 1
            if done % 20 == 0 or done == steps:
                eta = (time.monotonic() - started) / done * (steps - done)
                loss = total / max(1, done - epoch * math.ceil(len(data) / config.batch_size))
                report(f"epoch {epoch + 1}/{config.epochs} step {done}/{steps} loss {loss:.3f} eta {eta / 60:.1f} min")
    network.eval()


def _split_of(article_id: str, config: TrainingConfig) -> str:
    """Which split an article is in: "heldout", "calibration" or "train"."""
    if is_heldout(article_id, config.heldout_share):
        return "heldout"
    if is_calibration(article_id, config.heldout_share, config.calibration_share):
        return "calibration"
    return "train"


def _marked(examples: list[Example]) -> list[MarkedItem]:
    return [MarkedItem(e.sentence, e.trigger_start, e.trigger_end, tuple((a, b) for a, b, _ in e.mentions))
            for e in examples]


def _calibrate(model: EventModel, calibration: list[Example]) -> None:
    """The softmax temperature and the event threshold, fitted on the calibration split's candidates."""
    items = _marked(calibration)
    logits = _class_logits(model, items)
    model.config.temperature = calibrate_temperature(logits, [CLASSES.index(e.label) for e in calibration])
    model.config.event_threshold = pick_threshold(model.predict(items), calibration)


def _measure(model: EventModel, heldout: list[Example], report: Callable[[str], None], **counts: int) -> None:
    """Trigger, modality and argument metrics on the held-out split at the calibrated threshold."""
    predictions = model.predict(_marked(heldout))
    metrics: dict[str, object] = dict(evaluate_examples(predictions, heldout, model.config.event_threshold))
    metrics.update({**counts, "heldout_examples": len(heldout), "temperature": model.config.temperature})
    model.config.metrics = metrics
    report(f"held-out: {metrics}")


def _fit_fact_confidence(model: EventModel, calibration: list[AnnotatedArticle], heldout: list[AnnotatedArticle],
                         corpus: str, report: Callable[[str], None]) -> None:
    """Run the whole trained extractor on the calibration articles and fit the fact-level confidence map on its
    scored facts there (facts the model never saw), so event confidences mean P(fact right); then measure the
    map on the held-out articles."""
    from movegraph.evaluation.annotated import gold_article
    from movegraph.evaluation.calibration import expected_calibration_error, outcomes_on
    from movegraph.extractors.trained import TrainedExtractor

    extractor = TrainedExtractor(event_model=model, calibration=IDENTITY)
    outcomes = outcomes_on([gold_article(a) for a in calibration], extractor)
    fitted = fit_confidence_map(outcomes, fitted_on=f"calibration split ({len(calibration)} articles) of {corpus}")
    model.config.confidence_map = fitted.to_dict()
    unseen = outcomes_on([gold_article(a) for a in heldout], extractor)
    right = sum(1 for _, ok in unseen if ok)
    model.config.metrics.update({
        "calibration_facts": fitted.facts, "calibration_facts_right": fitted.correct,
        "heldout_facts": len(unseen), "heldout_facts_right": right,
        "heldout_fact_precision": round(right / len(unseen), 4) if unseen else 0.0,
        "heldout_ece_raw": expected_calibration_error(unseen),
        "heldout_ece_calibrated": expected_calibration_error([(fitted.apply(raw), ok) for raw, ok in unseen]),
    })
    report(f"fact confidence map on {fitted.facts} calibration facts ({fitted.correct} right): "
           f"slope {fitted.slope:.3f}, intercept {fitted.intercept:.3f}; held-out: {len(unseen)} facts, {right} right")


@torch.inference_mode()
def _class_logits(model: EventModel, items: list[MarkedItem]) -> torch.Tensor:
    rows = []
    for i in range(0, len(items), 64):
        texts = [mark(item.sentence, item.start, item.end)[0] for item in items[i:i + 64]]
        enc = model.tokenizer(texts, truncation=True, max_length=model.config.max_length, padding=True,
                              return_tensors="pt")
        rows.append(model.network(enc["input_ids"], enc["attention_mask"])[0])
    return torch.cat(rows) if rows else torch.zeros((0, len(CLASSES)))
