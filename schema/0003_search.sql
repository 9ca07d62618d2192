-- 0003: full-text search over posts (title, text, excerpt), comments (text,
-- author) and foreign-language passages (quotes), in the shape sqlite-utils
-- writes and Datasette recognises: <table>_fts declared with
-- content="<table>" (external content: the index stores no second copy of
-- the text), kept in step by the triggers <table>_ai, <table>_ad, <table>_au.
--
-- Tokenizer: the stock 'porter unicode61 remove_diacritics 2', which every
-- SQLite with FTS5 has (Debian's sqlite3, Datasette, Python), so any of them
-- can query the index; a custom tokenizer would leave the tables unreadable
-- outside wparchive. unicode61 folds case and, with remove_diacritics 2,
-- accents (cafe finds café); porter stems English (sanction finds
-- sanctions). Chinese and Japanese have no spaces between words, so the
-- importer writes U+200B between every two CJK characters of the indexed
-- columns (archive.SearchText): unicode61 takes U+200B as a separator and
-- indexes each character as a token, and a word of one, two or more
-- characters is found as a phrase of characters: MATCH '"制 裁"'.
--
-- Indexed columns are columns of the content table, because an external
-- content index reads them back by name for snippets and 'rebuild'.
-- posts.excerpt is indexed as exported (it has no prepared twin).

CREATE VIRTUAL TABLE posts_fts USING fts5 (
    search_title, text, excerpt,
    content="posts", content_rowid="id",
    tokenize='porter unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE comments_fts USING fts5 (
    text, author,
    content="comments", content_rowid="id",
    tokenize='porter unicode61 remove_diacritics 2'
);

CREATE VIRTUAL TABLE quotes_fts USING fts5 (
    search_text,
    content="quotes", content_rowid="id",
    tokenize='porter unicode61 remove_diacritics 2'
);

-- Default ranking for ORDER BY rank, stored in the index so plain sqlite3
-- ranks the same way: a word in the title weighs ten times one in the text.
INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 2.0)');
INSERT INTO comments_fts (comments_fts, rank) VALUES ('rank', 'bm25(1.0, 0.5)');

-- Triggers as sqlite-utils writes them. An external content index must be
-- told the old values to forget a row ('delete'), so updates delete and
-- insert. The update triggers fire only when an indexed column is set and
-- its value changed: the import links parents and authors with UPDATEs of
-- other columns, and re-imports rewrite rows whose text is the same, and
-- neither should touch the index.
--
-- Bulk imports: indexing row by row inside a long transaction costs several
-- times more than indexing the same rows in one statement, because FTS5
-- writes its pending terms out at every statement boundary. So an import
-- may put a mark in _settings, fts_deferred_<table> = the largest id the
-- table had when it began: rows above the mark are then left to the import,
-- which indexes them with one INSERT … SELECT and removes the marks before
-- it commits (archive.deferSearchIndex, archive.flushSearchIndex). Rows at
-- or below the mark are indexed by the triggers as always. Without a mark
-- (any other program writing the archive) every row is indexed here.
CREATE TRIGGER posts_ai AFTER INSERT ON posts
WHEN new.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), new.id)
BEGIN
    INSERT INTO posts_fts (rowid, search_title, text, excerpt)
    VALUES (new.id, new.search_title, new.text, new.excerpt);
END;
CREATE TRIGGER posts_ad AFTER DELETE ON posts
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), old.id)
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, search_title, text, excerpt)
    VALUES ('delete', old.id, old.search_title, old.text, old.excerpt);
END;
CREATE TRIGGER posts_au AFTER UPDATE OF id, search_title, text, excerpt ON posts
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), old.id)
 AND (old.id IS NOT new.id OR old.search_title IS NOT new.search_title
      OR old.text IS NOT new.text OR old.excerpt IS NOT new.excerpt)
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, search_title, text, excerpt)
    VALUES ('delete', old.id, old.search_title, old.text, old.excerpt);
    INSERT INTO posts_fts (rowid, search_title, text, excerpt)
    VALUES (new.id, new.search_title, new.text, new.excerpt);
END;

CREATE TRIGGER comments_ai AFTER INSERT ON comments
WHEN new.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_comments'), new.id)
BEGIN
    INSERT INTO comments_fts (rowid, text, author)
    VALUES (new.id, new.text, new.author);
END;
CREATE TRIGGER comments_ad AFTER DELETE ON comments
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_comments'), old.id)
BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, text, author)
    VALUES ('delete', old.id, old.text, old.author);
END;
CREATE TRIGGER comments_au AFTER UPDATE OF id, text, author ON comments
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_comments'), old.id)
 AND (old.id IS NOT new.id OR old.text IS NOT new.text OR old.author IS NOT new.author)
BEGIN
    INSERT INTO comments_fts (comments_fts, rowid, text, author)
    VALUES ('delete', old.id, old.text, old.author);
    INSERT INTO comments_fts (rowid, text, author)
    VALUES (new.id, new.text, new.author);
END;

CREATE TRIGGER quotes_ai AFTER INSERT ON quotes
WHEN new.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_quotes'), new.id)
BEGIN
    INSERT INTO quotes_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER quotes_ad AFTER DELETE ON quotes
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_quotes'), old.id)
BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER quotes_au AFTER UPDATE OF id, search_text ON quotes
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_quotes'), old.id)
 AND (old.id IS NOT new.id OR old.search_text IS NOT new.search_text)
BEGIN
    INSERT INTO quotes_fts (quotes_fts, rowid, search_text)
    VALUES ('delete', old.id, old.search_text);
    INSERT INTO quotes_fts (rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Archives imported before this migration: index what is already there.
INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');
INSERT INTO comments_fts (comments_fts) VALUES ('rebuild');
INSERT INTO quotes_fts (quotes_fts) VALUES ('rebuild');
