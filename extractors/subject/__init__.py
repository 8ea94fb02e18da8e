"""The subject of an amount or threshold: what the number constrains
(``固定科研人员不少于15人`` → 固定科研人员), read from spaCy EntityRuler labels over
jieba tokens (``patterns``) by walking the clause around the number (``walk``)."""

from extractors.subject.walk import subject_of

__all__ = ["subject_of"]
