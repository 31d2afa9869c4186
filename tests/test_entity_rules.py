"""The entity rules for names that no list holds, each on sentences written for this test: ISO country
names and their nisba, places after a class word, spelled acronyms, given names, quoted outlets,
coordinated and bracketed names, and a name found once propagated to its other mentions."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from furat.annotate.entities import entities_with_and_without_rules, find_entities
from furat.annotate.entity_words import Prediction, resolve
from furat.annotate.gazetteers import Compiled, library_gazetteer
from furat.annotate.preannotate import entity_gazetteer
from furat.core.model import Document


def _found(text: str) -> list[tuple[str, str]]:
    return [(text[p.start : p.end], p.label) for p in find_entities(text, library_gazetteer())]


def test_iso_country_names_give_the_spelling_news_uses_and_its_nisba() -> None:
    found = _found("وصل وفد من المجر إلى الدنمارك، والتقى مسؤولين دنماركيين ووزيرا توغوليا ووزيرا كونغوليا.")
    assert ("المجر", "GPE") in found and ("الدنمارك", "GPE") in found  # CLDR writes هنغاريا and الدانمرك
    assert ("دنماركيين", "NORP") in found
    assert ("وزير توغولي", "NORP") not in found  # a nisba is one word
    assert ("الكونغولي", "NORP") in _found("قال وزير الصحة الكونغولي إن")  # كونغو → كونغولي


def test_a_place_after_an_administrative_class_word_is_a_gpe_without_it() -> None:
    found = _found("وصلت المساعدات إلى ولاية شمال كردفان، ثم إلى جزيرة سقطرى عبر بلدة الصفيرة.")
    assert ("شمال كردفان", "GPE") in found and ("سقطرى", "LOC") in found and ("الصفيرة", "GPE") in found
    assert _found("وصلوا إلى قرية نائية قرب مدينة كبيرة في ولاية ثانية.") == []


def test_spelled_letters_are_an_organisation_and_a_conjunction_is_not_a_letter() -> None:
    found = _found("وقالت شبكة إيه بي سي إن شركة آي بي إم ستفتح مكتبا، وقال إن في الأمر خطأ.")
    assert ("إيه بي سي", "ORG") in found and ("آي بي إم", "ORG") in found
    assert len([label for _, label in found if label == "ORG"]) == 2
    assert ("إكس واي 7", "ORG") in _found("وأعلنت حركة إكس واي 7 مسؤوليتها")  # a letter run with its number


def test_a_given_name_and_a_name_after_it_are_a_person_without_a_title() -> None:
    found = _found("وحضر الاجتماع نزار قباني الذي وصل على الطريق الساحلي.")
    assert ("نزار قباني", "PER") in found
    assert not any(label == "PER" for _, label in _found("وصل الوفد على الطريق الساحلي."))  # على is not علي
    assert ("فرانسوا هولاند", "PER") in _found("وقال الرئيس الفرنسي فرانسوا هولاند إن الأزمة طويلة.")  # ف in a name


def test_an_outlet_quoted_after_la_with_a_verb_of_saying_is_an_organisation() -> None:
    assert ("النهار", "ORG") in _found("وقال الوزير لـ«النهار» إن المفاوضات مستمرة.")
    assert not any(label == "ORG" for _, label in _found("ورفع المتظاهرون شعارا لـ«الحرية» في الساحة."))


def test_companies_after_their_descriptor_coordinated_and_propagated() -> None:
    text = "وأعلنت شركتا نوكيا وإريكسون اتفاقا. وقال مسؤول في نوكيا إن الاتفاق مهم."
    found = _found(text)
    assert found.count(("نوكيا", "ORG")) == 2  # not the Finnish town of GeoNames
    assert ("إريكسون", "ORG") in found
    assert ("طيران الخليج", "ORG") in _found("وقالت شركة طيران الخليج إن رحلاتها مستمرة.")
    assert not any(label == "ORG" for _, label in _found("وقالت منظمة أطباء بلا حدود إن فرقها وصلت."))


def test_an_abbreviation_in_brackets_after_an_organisation_is_a_mention_of_it() -> None:
    found = _found("وذكرت اللجنة الدولية للصليب الأحمر (الصليب الأحمر) أن الوضع خطير.")
    assert ("اللجنة الدولية للصليب الأحمر", "ORG") in found and ("الصليب الأحمر", "ORG") in found


def test_lam_lam_before_a_listed_name_keeps_the_name_and_leaves_lam_lam_outside() -> None:
    assert ("أمم المتحدة", "ORG") in _found("وقال تقرير للأمم المتحدة إن المساعدات تأخرت.")


def test_a_title_reaches_a_name_across_the_organisation_or_town_it_heads() -> None:
    found = _found("وقال رئيس بلدية أنقرة جمال سعيد أوزتورك إن الحريق انطفأ.")
    assert ("جمال سعيد أوزتورك", "PER") in found and ("بلدية", "PER") not in found
    found = _found("وقال الخبير في شركة نوكيا ماتي كورهونين إن السوق تتغير.")
    assert ("ماتي كورهونين", "PER") in found


def test_a_verb_after_a_name_in_a_headline_stays_outside_the_name() -> None:
    assert ("نزار قباني", "PER") in _found("نزار قباني يفتتح معرضا في دمشق")


def test_descriptions_that_look_like_names_are_left_alone() -> None:
    found = _found("انسحب مقاتلو حركة جهادية إلى جبال وصحراء غربي ليبيا، وقال اللواء 12 إنه يلاحقهم.")
    assert ("ليبيا", "GPE") in found
    assert ("غربي", "NORP") not in found  # a direction before a place (§2.5)
    assert not any(label in ("ORG", "LOC", "PER") for _, label in found)  # حركة جهادية، جبال وصحراء، اللواء 12


def test_a_word_without_the_article_before_a_definite_feminine_nisba_is_an_organisation() -> None:
    found = _found("وقعت نوفارتيس السويسرية اتفاقا مع مدمرة تابعة للبحرية الأمريكية.")
    assert ("نوفارتيس", "ORG") in found and ("السويسرية", "NORP") in found
    assert ("الأمريكية", "NORP") in found and not any(span == "للبحرية" for span, _ in found)


def test_a_cup_of_the_world_is_an_event_and_an_official_adjective_is_part_of_the_state() -> None:
    assert ("كأس العالم", "EVENT") in _found("وتأهل المنتخب إلى نهائيات كأس العالم بعد فوزه.")
    found = _found("ووصلت المساعدات إلى كوريا الشعبية عبر الصين.")
    assert ("كوريا الشعبية", "GPE") in found and ("الصين", "GPE") in found


def test_a_name_between_a_verb_of_saying_and_inna_is_a_person_but_a_speaker_noun_is_not() -> None:
    assert ("لافروف", "PER") in _found("وقال لافروف إن المحادثات كانت صريحة.")
    assert _found("وقال مسؤول إن المحادثات كانت صريحة، وقال دبلوماسيون إنها فشلت.") == []


def test_the_pieces_of_one_name_are_one_person() -> None:
    text = "فاز جمال كوتشاك أوغلو بالانتخابات. وقال كوتشاك أوغلو إن الفوز للجميع."
    found = _found(text)
    assert ("جمال كوتشاك أوغلو", "PER") in found and ("كوتشاك أوغلو", "PER") in found


def test_a_name_before_a_comma_and_a_title_and_a_nickname_are_persons() -> None:
    found = _found("وقال ماتياس كورمان، الأمين العام للمنظمة، إن النمو بطيء.")
    assert ("ماتياس كورمان", "PER") in found
    found = _found("وقال القائد العسكري عبد الرحيم سلوم الملقب بـ«الذئب» إن قواته تقدمت.")
    assert ("عبد الرحيم سلوم", "PER") in found and ("الذئب", "PER") in found
    assert not any(label == "PER" for _, label in _found("وفي تصريحات، أكد البيان أن الوضع هادئ."))


def test_a_club_after_nadi_and_a_stadium_with_a_name_in_ba() -> None:
    found = _found("وأعلن نادي أتلتيكو مدريد الإسباني ضم المهاجم، وتغلب نادي الوداد الرياضي على منافسه.")
    assert ("أتلتيكو مدريد", "ORG") in found and ("الإسباني", "NORP") in found
    assert ("الوداد الرياضي", "ORG") in found
    assert ("ملعب بيرامو بلوسا", "FAC") in _found("وتقام المباراة على ملعب بيرامو بلوسا غدا.")


def test_an_outlet_after_a_statement_noun_and_no_person_after_a_title_and_fi() -> None:
    found = _found("وقال الوزير في تصريح لـ«العربي الجديد» إن المفاوضات مستمرة.")
    assert found == [("العربي الجديد", "ORG")]


def _plain_resolve(candidates: list[Prediction]) -> list[Prediction]:
    """Overlaps keep the longest span, then the higher score, then the leftmost: the rule as written."""
    chosen: list[Prediction] = []
    for p in sorted(candidates, key=lambda c: (-(c.end - c.start), -c.score, c.start)):
        if all(p.end <= q.start or q.end <= p.start for q in chosen):
            chosen.append(p)
    return sorted(chosen, key=lambda c: c.start)


def _candidates(lengths: st.SearchStrategy[int]) -> st.SearchStrategy[list[Prediction]]:
    return st.lists(
        st.tuples(st.integers(0, 40), lengths, st.sampled_from([0.5, 0.7, 0.9])).map(
            lambda t: Prediction(t[0], t[0] + t[1], "ORG", t[2], "test")
        ),
        max_size=25,
    )


@settings(max_examples=300, deadline=None)
@given(_candidates(st.integers(1, 8)))
def test_overlapping_predictions_are_resolved_as_the_rule_says(candidates: list[Prediction]) -> None:
    assert resolve(candidates) == _plain_resolve(candidates)


@settings(max_examples=100, deadline=None)
@given(_candidates(st.integers(0, 2)))
def test_empty_spans_are_resolved_as_the_rule_says(candidates: list[Prediction]) -> None:
    assert resolve(candidates) == _plain_resolve(candidates)


def test_the_lists_alone_give_the_same_entities_whether_the_rules_run_after_them_or_not(
    documents: dict[str, Document],
) -> None:
    gazetteer = library_gazetteer()
    for doc in documents.values():
        with_rules, listed = entities_with_and_without_rules(doc.text, gazetteer)
        assert listed == entities_with_and_without_rules(doc.text, gazetteer, rules=False)[1]
        assert listed and len(with_rules) > len(listed)
        assert (with_rules, listed) == (find_entities(doc.text, gazetteer), find_entities(doc.text, gazetteer, False))


def test_a_compiled_gazetteer_cannot_be_changed_but_can_be_pickled() -> None:
    compiled = entity_gazetteer({"شركة الأمل": "ORG"}, rules=False)
    assert isinstance(compiled, Compiled) and compiled.firsts
    key, entry = next(iter(compiled.items()))
    with pytest.raises(TypeError):
        compiled[("اسم", "جديد")] = entry
    with pytest.raises(TypeError):
        compiled.update({("اسم",): entry})
    with pytest.raises(TypeError):
        compiled.setdefault(("اسم",), entry)
    with pytest.raises(TypeError):
        compiled.pop(key)
    again = pickle.loads(pickle.dumps(compiled))
    assert again == compiled and again.firsts == compiled.firsts
