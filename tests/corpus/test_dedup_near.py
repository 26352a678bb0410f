"""dedup_near: near-duplicates dropped in Latin, Cyrillic and CJK text, near-misses kept,
the survivor always the first record in id order, whatever the batching."""

from __future__ import annotations

import dataclasses
import functools

import numpy as np
import pytest

from curation.corpus import DedupNear, NearDuplicate, dedup_near
from curation.corpus.dedup_near import NearDupRules, SignatureRows, band_keys, signature
from curation.errors import InvalidInput
from curation.pipeline import CorpusPass, Pipeline, StepReport
from curation.record import Record
from curation.rules import RuleSet, RulesFile, load_rules

# Handwritten news-like paragraphs: two reports on one subject per script, so that
# "same subject, other text" can be checked as a near-miss.
ENGLISH = (
    "The two governments signed an agreement on Tuesday to build a shared data centre "
    "near the border, officials said after three days of talks in the capital. The "
    "centre will store records for customs, railways and ports, and is expected to open "
    "in the spring of next year. Engineers from both countries will run it together, "
    "and a joint committee will meet every quarter to review its security. Critics in "
    "parliament asked who would own the data and how long it would be kept, questions "
    "the minister promised to answer before the summer recess."
)
ENGLISH_OTHER = (
    "Trade between the neighbours rose by a third last year, driven by energy exports "
    "and a surge in online retail, according to figures published on Monday. Small "
    "firms selling furniture and clothing through cross-border platforms reported the "
    "fastest growth, while car makers saw orders fall. Economists warned that the gains "
    "depend on a single rail corridor, which closed twice in the winter because of snow "
    "and a dispute over transit fees between the two customs services."
)
RUSSIAN = (
    "Во вторник правительства двух стран подписали соглашение о строительстве общего "
    "центра обработки данных у границы, сообщили официальные лица после трёхдневных "
    "переговоров в столице. В центре будут храниться сведения таможни, железных дорог и "
    "портов, а открыть его планируют весной следующего года. Инженеры обеих стран будут "
    "управлять им совместно, а смешанная комиссия будет раз в квартал проверять его "
    "защиту. Депутаты спросили, кому будут принадлежать данные и как долго их будут "
    "хранить; министр обещал ответить до летних каникул."
)
RUSSIAN_OTHER = (
    "Товарооборот между соседними странами вырос за прошлый год на треть благодаря "
    "экспорту энергоносителей и росту интернет-торговли, следует из данных, "
    "опубликованных в понедельник. Быстрее всего росли продажи небольших фирм, торгующих "
    "мебелью и одеждой через трансграничные площадки, а заказы автопроизводителей "
    "сократились. Экономисты предупредили, что рост зависит от единственного "
    "железнодорожного коридора, который зимой дважды закрывался из-за снегопадов."
)
CHINESE = (
    "两国政府星期二签署协议，将在边境附近共同建设一个数据中心。官员在首都举行为期三天的会谈后"
    "表示，该中心将存储海关、铁路和港口的记录，预计明年春天投入使用。两国工程师将共同管理该中心，"
    "联合委员会每季度开会一次，审查其安全状况。议会中的批评者询问数据归谁所有、保存多长时间，"
    "部长承诺在夏季休会前作出答复。"
)
CHINESE_OTHER = (
    "根据星期一公布的数据，去年两国之间的贸易额增长了三分之一，主要得益于能源出口和网络零售的快速"
    "增长。通过跨境平台销售家具和服装的小企业增长最快，而汽车制造商的订单有所减少。经济学家警告说，"
    "这种增长依赖于一条铁路通道，该通道冬季曾因大雪和两国海关之间的过境费争议两次关闭。"
)


def near_copy(text: str, replacements: dict[str, str]) -> str:
    """``text`` with a few words changed, re-wrapped onto short lines."""
    for old, new in replacements.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return "\n".join(text[i : i + 70] for i in range(0, len(text), 70))


ENGLISH_COPY = near_copy(
    ENGLISH, {"Tuesday": "Wednesday", "three days": "two days", "spring": "autumn"}
)
RUSSIAN_COPY = near_copy(RUSSIAN, {"Во вторник": "В среду", "весной": "осенью"})
CHINESE_COPY = near_copy(CHINESE, {"星期二": "星期三", "三天": "两天", "春天": "秋天"})


@functools.cache
def rules() -> RulesFile:
    return load_rules()["dedup"]


def record(seed: int, text: str, part: int = 0) -> Record:
    return Record(f"{seed:03d}_{seed:016x}", part, text)


def report() -> StepReport:
    return StepReport("dedup_near_v1", DedupNear.description)


def ids(records: list[Record]) -> list[str]:
    return [r.id for r in records]


def estimate(first: str, second: str) -> float:
    parameters = NearDupRules.from_rules(rules())
    return float((signature(first, parameters) == signature(second, parameters)).mean())


def test_is_a_corpus_pass() -> None:
    dedup: CorpusPass = DedupNear(rules())
    assert (dedup.name, dedup.version) == ("dedup_near", 1)
    assert dedup.description


@pytest.mark.parametrize(
    ("original", "copy"),
    [(ENGLISH, ENGLISH_COPY), (RUSSIAN, RUSSIAN_COPY), (CHINESE, CHINESE_COPY)],
    ids=["latin", "cyrillic", "cjk"],
)
def test_a_near_copy_is_dropped_with_its_survivor_and_similarity(original: str, copy: str) -> None:
    dedup, counts = DedupNear(rules()), report()
    batch = [record(1, original), record(2, ENGLISH_OTHER), record(3, copy)]
    assert ids(dedup.process(batch, counts)) == [batch[0].id, batch[1].id]
    assert counts.drops == {"near_duplicate_of_earlier_record": 1}
    assert counts.rules == {"near_duplicate_of_earlier_record": 1}
    [found] = dedup.near_duplicates()
    assert (found.dropped_id, found.kept_id) == (batch[2].id, batch[0].id)
    assert found.similarity == round(estimate(original, copy), 4)
    assert NearDupRules.from_rules(rules()).threshold <= found.similarity < 1


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (ENGLISH, ENGLISH_OTHER),  # same outlet style, same subject area, other report
        (RUSSIAN, RUSSIAN_OTHER),
        (CHINESE, CHINESE_OTHER),
        (ENGLISH, ENGLISH[: len(ENGLISH) // 2]),  # cut to its first half: another text
        (CHINESE, CHINESE[: len(CHINESE) // 2]),
        (ENGLISH, RUSSIAN),  # a translation shares no shingles
        ("Exports rose sharply in May.", "Exports fell sharply in May."),
    ],
    ids=["latin", "cyrillic", "cjk", "latin-half", "cjk-half", "translation", "short"],
)
def test_near_misses_both_stay(first: str, second: str) -> None:
    dedup, counts = DedupNear(rules()), report()
    assert len(dedup.process([record(1, first), record(2, second)], counts)) == 2
    assert counts.drops == {} and dedup.near_duplicates() == []


def test_the_thresholds_sit_between_the_cases() -> None:
    """The cases above are not borderline: each is clear of the threshold by a margin."""
    threshold = NearDupRules.from_rules(rules()).threshold
    for original, copy in [
        (ENGLISH, ENGLISH_COPY),
        (RUSSIAN, RUSSIAN_COPY),
        (CHINESE, CHINESE_COPY),
    ]:
        assert estimate(original, copy) >= threshold + 0.1
    for first, second in [(ENGLISH, ENGLISH_OTHER), (ENGLISH, ENGLISH[: len(ENGLISH) // 2])]:
        assert estimate(first, second) <= threshold - 0.1


def test_text_without_letters_is_similar_to_nothing() -> None:
    dedup, counts = DedupNear(rules()), report()
    batch = [record(1, "... — ..."), record(2, "... — ..."), record(3, "2024")]
    assert dedup.process(batch, counts) == batch  # exact copies are dedup_exact's job


def _cluster_corpus() -> list[Record]:
    """Records in id order: two clusters of three whose first member is not the original."""
    texts = [
        ENGLISH_COPY,  # 1: the first of the English cluster in id order
        RUSSIAN,  # 2
        ENGLISH_OTHER,  # 3
        ENGLISH,  # 4: the original, after its copy
        CHINESE,  # 5
        near_copy(ENGLISH, {"parliament": "the senate", "Engineers": "Technicians"}),  # 6
        RUSSIAN_COPY,  # 7
        CHINESE_COPY,  # 8
    ]
    return [record(n, text) for n, text in enumerate(texts, start=1)]


EXPECTED_KEPT = [
    "001_0000000000000001-0",
    "002_0000000000000002-0",
    "003_0000000000000003-0",
    "005_0000000000000005-0",
]


def test_the_survivor_is_the_smallest_id_in_each_cluster() -> None:
    dedup = DedupNear(rules())
    assert ids(dedup.process(_cluster_corpus(), report())) == EXPECTED_KEPT
    assert [(d.dropped_id[:3], d.kept_id[:3]) for d in dedup.near_duplicates()] == [
        ("004", "001"),
        ("006", "001"),
        ("007", "002"),
        ("008", "005"),
    ]


@pytest.mark.parametrize("rows_per_write", [1, 2, dedup_near.SIGNATURES_PER_WRITE])
def test_the_same_records_survive_wherever_the_signatures_wait(
    rows_per_write: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One row per write: every survivor's signature is read back from the file.
    monkeypatch.setattr(dedup_near, "SIGNATURES_PER_WRITE", rows_per_write)
    dedup = DedupNear(rules())
    assert ids(dedup.process(_cluster_corpus(), report())) == EXPECTED_KEPT
    assert len(dedup.near_duplicates()) == 4


@pytest.mark.parametrize("rows_per_write", [1, dedup_near.SIGNATURES_PER_WRITE])
def test_a_pass_that_has_kept_nothing_yet_can_be_sent_to_another_process(
    rows_per_write: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Ray engine pickles the passes before any record: a pass whose signature file
    was opened at once could not be sent (an open file does not pickle)."""
    import pickle

    monkeypatch.setattr(dedup_near, "SIGNATURES_PER_WRITE", rows_per_write)
    dedup = pickle.loads(pickle.dumps(DedupNear(rules())))
    assert ids(dedup.process(_cluster_corpus(), report())) == EXPECTED_KEPT
    assert len(dedup.near_duplicates()) == 4


@pytest.mark.parametrize("batch_size", [1, 2, 3, 5, 8])
def test_the_same_records_survive_whatever_the_batch_size(batch_size: int) -> None:
    corpus = _cluster_corpus()
    dedup, counts = DedupNear(rules()), report()
    kept = [
        r
        for start in range(0, len(corpus), batch_size)
        for r in dedup.process(corpus[start : start + batch_size], counts)
    ]
    assert ids(kept) == EXPECTED_KEPT
    assert counts.drops["near_duplicate_of_earlier_record"] == 4
    whole = DedupNear(rules())
    whole.process(corpus, report())
    assert dedup.near_duplicates() == whole.near_duplicates()


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_same_records_survive_whatever_the_jobs(jobs: int) -> None:
    corpus = _cluster_corpus()
    pipeline = Pipeline((), [DedupNear(rules())], RuleSet({}))
    batches = [corpus[i : i + 3] for i in range(0, len(corpus), 3)]
    kept = [r for batch in pipeline.run(batches, jobs=jobs) for r in batch]
    assert ids(kept) == EXPECTED_KEPT
    assert pipeline.reports[-1].drops == {"near_duplicate_of_earlier_record": 4}


def test_signatures_do_not_depend_on_the_process() -> None:
    """Fixed seeds: the signature of a text is the same numbers in every run (pinned here)."""
    values = signature(ENGLISH, NearDupRules.from_rules(rules()))
    assert values.dtype == np.uint32 and len(values) == NearDupRules.from_rules(rules()).num_perm
    assert int(values.astype(np.uint64).sum()) == PINNED_SIGNATURE_SUM


# The sum of the signature of ENGLISH. If it changes, every published near-duplicate
# decision may change: bump DedupNear.version and say why in the changelog.
PINNED_SIGNATURE_SUM = 1_057_745_486


def test_band_keys_are_equal_exactly_when_bands_are() -> None:
    parameters = NearDupRules.from_rules(rules())
    first = signature(ENGLISH, parameters)
    second = first.copy()
    second[0] += 1  # only the first band differs
    keys = band_keys(first, parameters).tolist()
    other = band_keys(second, parameters).tolist()
    assert keys[0] != other[0] and keys[1:] == other[1:]
    assert len(set(keys)) == parameters.bands  # the band number is mixed into each key


def test_bands_that_need_more_values_than_a_signature_has_are_refused() -> None:
    shipped = rules()
    near = dict(shipped["near"]) | {"bands": 100, "rows": 2}
    bad = dataclasses.replace(shipped, data={"near": near})
    with pytest.raises(InvalidInput, match=r"dedup.toml#near: bands × rows \(100 × 2\)"):
        DedupNear(bad)


def test_near_duplicates_are_listed_in_stream_order() -> None:
    dedup = DedupNear(rules())
    corpus = _cluster_corpus()
    for start in range(0, len(corpus), 2):
        dedup.process(corpus[start : start + 2], report())
    assert all(isinstance(d, NearDuplicate) for d in dedup.near_duplicates())
    dropped = [d.dropped_id for d in dedup.near_duplicates()]
    assert dropped == sorted(dropped)


@pytest.mark.parametrize("count", [1, 5, 3000, 20_000])  # 20,000: more than one chunk
def test_signatures_equal_datasketchs(count: int) -> None:
    """The numpy MinHash gives datasketch's numbers (scheme affine32, same permutations)."""
    from datasketch import MinHash

    from curation.contribute.near_duplicates import minhash_values

    shingles = np.random.default_rng(count).integers(0, 2**64, count, dtype=np.uint64)
    reference = MinHash(num_perm=128, seed=7, hashfunc=lambda v: v, scheme="affine32")
    reference.update_batch((shingles >> np.uint64(32)).tolist())
    assert np.array_equal(minhash_values(shingles, 128, 7), reference.hashvalues)


def test_signatures_read_back_from_file_or_memory_are_the_ones_kept() -> None:
    # Rows written two at a time: some lookups read the file, some the rows waiting.
    rows = SignatureRows(4, rows_per_write=2)
    kept = [np.array([n, n + 1, 2**32 - 1 - n, 7], dtype=np.uint32) for n in range(7)]
    for values in kept:
        rows.append(values)
    assert len(rows) == 7
    positions = np.array([0, 3, 5, 6], dtype=np.int64)
    assert rows.rows(positions).tolist() == [kept[p].tolist() for p in positions.tolist()]


def _planted_signatures(count: int, seed: int) -> list[np.ndarray]:
    """Random signatures, some of them copies of an earlier one with a share of their
    values changed (some above the threshold, some below it, some with no band left
    in common), and some empty (texts without letters)."""
    parameters = NearDupRules.from_rules(rules())
    generator = np.random.default_rng(seed)
    made: list[np.ndarray] = []
    for _ in range(count):
        kind = generator.integers(0, 4)
        nonempty = [values for values in made if len(values)]
        if kind == 0 and generator.random() < 0.1:
            made.append(np.zeros(0, dtype=np.uint32))
        elif kind >= 2 and nonempty:
            values = nonempty[generator.integers(0, len(nonempty))].copy()
            share = generator.choice([0.05, 0.2, 0.3, 0.4, 0.9])
            changed = generator.random(len(values)) < share
            values[changed] = generator.integers(0, 2**32, int(changed.sum()), dtype=np.uint32)
            made.append(values)
        else:
            made.append(
                generator.integers(0, 2**32, parameters.num_perm, dtype=np.uint64).astype(np.uint32)
            )
    return made


def _one_at_a_time(signatures: list[np.ndarray]) -> tuple[list[int], list[tuple[int, int, float]]]:
    """What dedup_near decides, by its definition, without an index: each record in turn
    is compared with every kept record before it that has a band equal to one of its
    own; the first of those at or above the threshold is its survivor."""
    parameters = NearDupRules.from_rules(rules())
    width = parameters.rows

    def bands(values: np.ndarray) -> set[tuple[int, bytes]]:
        return {
            (band, values[band * width : (band + 1) * width].tobytes())
            for band in range(parameters.bands)
        }

    kept: list[tuple[int, np.ndarray, set[tuple[int, bytes]]]] = []
    kept_numbers: list[int] = []
    dropped: list[tuple[int, int, float]] = []
    for number, values in enumerate(signatures):
        if not len(values):
            kept_numbers.append(number)
            continue
        own = bands(values)
        for earlier, other, other_bands in kept:
            estimate = float((values == other).mean())
            if own & other_bands and estimate >= parameters.threshold:
                dropped.append((number, earlier, round(estimate, 4)))
                break
        else:
            kept.append((number, values, own))
            kept_numbers.append(number)
    return kept_numbers, dropped


@pytest.mark.parametrize(
    ("seed", "batch_size", "pairs_at_once"),
    [(1, 1, 4096), (2, 7, 4096), (3, 64, 4096), (4, 256, 4096), (5, 1000, 4096), (6, 256, 3)],
)
def test_the_batch_at_once_decides_as_one_record_at_a_time(
    seed: int, batch_size: int, pairs_at_once: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Planted near-copies inside and across batches: the pass that looks up a whole
    batch's band keys at once, and compares its candidates kept before it
    PAIRS_AT_ONCE pairs at a time (3: a record's candidates in several), keeps, drops
    and pairs exactly as the definition does."""
    monkeypatch.setattr(dedup_near, "PAIRS_AT_ONCE", pairs_at_once)
    signatures = _planted_signatures(600, seed)
    corpus = [record(number, f"text {number}") for number in range(len(signatures))]
    expected_kept, expected_dropped = _one_at_a_time(signatures)
    assert expected_dropped and len(expected_kept) > len(signatures) // 3  # both kinds occur
    dedup, counts = DedupNear(rules()), report()
    kept = []
    for start in range(0, len(corpus), batch_size):
        kept += dedup.process(
            corpus[start : start + batch_size], counts, signatures[start : start + batch_size]
        )
    assert ids(kept) == [corpus[number].id for number in expected_kept]
    assert dedup.near_duplicates() == [
        NearDuplicate(corpus[dropped].id, corpus[survivor].id, similarity)
        for dropped, survivor, similarity in expected_dropped
    ]
    assert counts.drops["near_duplicate_of_earlier_record"] == len(expected_dropped)


def test_band_keys_of_rows_are_each_rows_band_keys() -> None:
    parameters = NearDupRules.from_rules(rules())
    signatures = [values for values in _planted_signatures(50, 9) if len(values)]
    together = dedup_near.band_keys_of_rows(np.stack(signatures), parameters)
    assert together.shape == (len(signatures), parameters.bands)
    for values, keys in zip(signatures, together, strict=True):
        assert np.array_equal(band_keys(values, parameters), keys)
