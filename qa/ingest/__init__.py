"""Stage 1, ingest: a folder of articles -> documents, paragraphs, chunks and sentences.

Takes files on disk; gives ``Document``s (numbered paragraphs with their
character offsets, web debris marked, and each document's ``Source``: title,
publisher, date; a web page or PDF read through its extracted text of record)
and the chunks and sentences cut from them. Everything downstream refers back
to these offsets.
"""

from qa.ingest.chunking import Chunk, Sentence, split_documents
from qa.ingest.documents import Document, Folder, Paragraph, Skipped, load_folder, parse_document, read_folder
from qa.ingest.extract import Extracted
from qa.ingest.metadata import Source, citation_text
from qa.ingest.segmenter import sentence_spans
from qa.ingest.textnorm import normalize, normalize_with_map

__all__ = ["Chunk", "Document", "Extracted", "Folder", "Paragraph", "Sentence", "Skipped", "Source", "citation_text", "load_folder",
           "normalize", "normalize_with_map", "parse_document", "read_folder", "sentence_spans", "split_documents"]
