"""The canonical post (appointments.post_key) on hand-written cases from other
places than the sample: a 县 issuer, a province, a district under a city, short
organ names, words that begin with 市, notes that are not part of the post."""

from __future__ import annotations

import pytest

from extractors.appointments import document_issuer, extract
from extractors.appointments.post_key import expand_short_names, issuer_places, post_to_key
from schemas import Document


@pytest.mark.parametrize(
    "issuer, places",
    [
        ("忻州市人民政府", ("忻州市",)),
        ("繁峙县人民政府", ("繁峙县",)),
        ("山西省人民政府办公厅", ("山西省",)),
        ("太原市小店区人民政府", ("太原市", "小店区")),
        ("中共宁武县委", ("宁武县",)),
        ("内蒙古自治区人民政府", ("内蒙古自治区",)),
        ("鄂尔多斯市达拉特旗人民政府", ("鄂尔多斯市", "达拉特旗")),
        ("原平市人民政府、原平市人民武装部", ("原平市",)),  # a joint document: the first organ
        ("国务院", ()),
        (None, ()),
    ],
)
def test_issuer_places(issuer, places):
    assert issuer_places(issuer) == places


@pytest.mark.parametrize(
    "post, places, key",
    [
        # the issuer's place expands the abbreviation of its own level
        ("市应急管理局副局长", ("忻州市",), "忻州市应急管理局副局长"),
        ("忻州市应急管理局副局长", ("忻州市",), "忻州市应急管理局副局长"),
        ("县审计局局长", ("繁峙县",), "繁峙县审计局局长"),
        ("县人民政府副县长", ("代县",), "代县人民政府副县长"),
        ("省应急管理厅副厅长", ("山西省",), "山西省应急管理厅副厅长"),
        ("区教育局局长", ("太原市", "小店区"), "太原市小店区教育局局长"),
        ("市教育局局长", ("太原市", "小店区"), "太原市教育局局长"),
        # 市 that begins a word is no abbreviation; 市市场… is 市 + 市场…
        ("市场监督管理局局长", ("忻州市",), "市场监督管理局局长"),
        ("市市场监督管理局副局长", ("忻州市",), "忻州市市场监督管理局副局长"),
        ("市政管理处处长", ("大同市",), "市政管理处处长"),
        # short organ names become full ones; a name already full stays
        ("市科技局局长", ("忻州市",), "忻州市科学技术局局长"),
        ("县人社局副局长", ("五寨县",), "五寨县人力资源和社会保障局副局长"),
        ("县政府办公室主任", ("五寨县",), "五寨县人民政府办公室主任"),
        ("县政府办副主任", ("五寨县",), "五寨县人民政府办公室副主任"),
        ("市人大常委会副主任", ("忻州市",), "忻州市人民代表大会常务委员会副主任"),
        ("繁峙经济技术开发区管委会主任", ("忻州市",), "繁峙经济技术开发区管理委员会主任"),
        # 中共, rank notes, 兼 and half-width brackets
        ("中共五台县委组织部部长", ("五台县",), "五台县委组织部部长"),
        ("县委组织部部长", ("五台县",), "五台县委组织部部长"),
        ("县看守所所长（副处级）", ("岢岚县",), "岢岚县看守所所长"),
        ("兼任县国动办主任", ("岢岚县",), "岢岚县国防动员办公室主任"),
        ("县疾病预防控制中心(县卫生监督所)主任", ("岢岚县",), "岢岚县疾病预防控制中心（县卫生监督所）主任"),
    ],
)
def test_post_to_key(post, places, key):
    found = post_to_key(post, places)
    assert (found.key, found.unresolved) == (key, None)


def test_abbreviation_the_issuer_cannot_expand_is_kept_and_said():
    """A 县 post in a city's document, or any abbreviation without an issuer: kept as written, flagged."""
    assert post_to_key("县审计局局长", ("忻州市",)).unresolved == "县"
    assert post_to_key("市审计局局长", ()).key == "市审计局局长"


def test_short_name_inside_its_full_name_is_left_alone():
    assert expand_short_names("市人民政府办公室") == "市人民政府办公室"
    assert expand_short_names("市政府") == "市人民政府"


def doc(text: str, **fields) -> Document:
    return Document(doc_id="test/d01", issue_id="test", seq=1, text=text, **fields)


def test_extractor_fills_post_key_from_the_issuer():
    text = "经县人民政府研究，决定任命：\n王东为县科技局局长；\n李华为繁峙县科学技术局副局长。"
    found = extract(doc(text, issuer="繁峙县人民政府"))
    assert [(r.post, r.post_key) for r in found] == [
        ("县科技局局长", "繁峙县科学技术局局长"),
        ("繁峙县科学技术局副局长", "繁峙县科学技术局副局长"),
    ]


def test_issuer_from_the_document_number_when_the_title_has_none():
    assert document_issuer(doc("", doc_number="忻政任〔2024〕21号")) == "忻州市人民政府"
    found = extract(doc("决定免去：\n赵强的市审计局副局长职务。", doc_number="忻政任〔2024〕30号"))
    assert [r.post_key for r in found] == ["忻州市审计局副局长"]


def test_unexpandable_post_becomes_a_document_warning():
    from extractors import extract_document

    document = extract_document(doc("决定任命：\n王东为县审计局局长。", issuer="忻州市人民政府"))
    assert [r.post_key for r in document.records["appointments"]] == ["县审计局局长"]
    assert any("县审计局局长" in warning and "post_key" in warning for warning in document.warnings)
