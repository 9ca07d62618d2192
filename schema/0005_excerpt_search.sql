-- 0005: posts' excerpts are indexed with the same CJK preparation as their
-- titles and text, and the pings view gives a trackback's blog name with
-- its HTML entities decoded.
--
-- Excerpts: 0003 indexed posts.excerpt as exported, so a Chinese or
-- Japanese run in an excerpt was one token and a word inside it was never
-- found. The index now reads posts.search_excerpt, a generated column: the
-- excerpt prepared by archive.SearchText (U+200B between CJK characters)
-- where that differs from the excerpt, which only Go can compute and which
-- is kept in excerpt_cjk, else the excerpt itself. So an excerpt without
-- CJK costs nothing more, and rows written by any other program are
-- indexed as before. The importer fills excerpt_cjk for the rows an import
-- adds or changes before it indexes them (archive.flushSearchIndex).
-- Generated columns need SQLite 3.31 (January 2020), the oldest version
-- 0004 already assumes.
--
-- Blog names: WordPress stores a trackback's sender's blog name in
-- comment_author HTML-escaped (&amp;, &#8217; …). SQL cannot decode every
-- entity, so the decoded name is kept in comments.ping_blog_name, filled
-- the same way; the view falls back to the stored name for a row no
-- import has prepared.
--
-- ALTER TABLE keeps a column's definition, comments inside it included, in
-- the table's CREATE statement, where `wparchive schema` reads each
-- column's one-line meaning from a line that starts with its name: hence
-- the shape of the two definitions below.

ALTER TABLE posts ADD COLUMN excerpt_cjk /*
    excerpt_cjk TEXT -- the excerpt with U+200B between CJK characters (see text); NULL when that changes nothing
*/ TEXT;

ALTER TABLE posts ADD COLUMN search_excerpt TEXT
    GENERATED ALWAYS AS (coalesce(excerpt_cjk, excerpt)) VIRTUAL;

ALTER TABLE comments ADD COLUMN ping_blog_name /*
    ping_blog_name TEXT -- trackbacks: the sending blog's name (author) with HTML entities decoded
*/ TEXT;

-- Every row is prepared by the next import (the key is removed then), so
-- that an archive made before this migration has its CJK excerpts found
-- and its blog names decoded without importing anything again.
INSERT OR REPLACE INTO _settings (key, value) VALUES ('prepare_all_derived', 1);

DROP TRIGGER posts_ai;
DROP TRIGGER posts_ad;
DROP TRIGGER posts_au;
DROP TABLE posts_fts;

CREATE VIRTUAL TABLE posts_fts USING fts5 (
    search_title, text, search_excerpt,
    content="posts", content_rowid="id",
    tokenize='porter unicode61 remove_diacritics 2'
    /* the indexed columns, as `wparchive schema` lists them:
       search_title column -- posts.search_title, indexed
       text column -- posts.text, indexed
       search_excerpt column -- posts.search_excerpt: the excerpt prepared like text, indexed
    */
);
INSERT INTO posts_fts (posts_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0, 2.0)');

-- As in 0003, with search_excerpt for excerpt. The update trigger also
-- fires on excerpt and excerpt_cjk, which search_excerpt is made of.
CREATE TRIGGER posts_ai AFTER INSERT ON posts
WHEN new.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), new.id)
BEGIN
    INSERT INTO posts_fts (rowid, search_title, text, search_excerpt)
    VALUES (new.id, new.search_title, new.text, new.search_excerpt);
END;
CREATE TRIGGER posts_ad AFTER DELETE ON posts
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), old.id)
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, search_title, text, search_excerpt)
    VALUES ('delete', old.id, old.search_title, old.text, old.search_excerpt);
END;
CREATE TRIGGER posts_au AFTER UPDATE OF id, search_title, text, excerpt, excerpt_cjk ON posts
WHEN old.id <= coalesce((SELECT value FROM _settings WHERE key = 'fts_deferred_posts'), old.id)
 AND (old.id IS NOT new.id OR old.search_title IS NOT new.search_title
      OR old.text IS NOT new.text OR old.search_excerpt IS NOT new.search_excerpt)
BEGIN
    INSERT INTO posts_fts (posts_fts, rowid, search_title, text, search_excerpt)
    VALUES ('delete', old.id, old.search_title, old.text, old.search_excerpt);
    INSERT INTO posts_fts (rowid, search_title, text, search_excerpt)
    VALUES (new.id, new.search_title, new.text, new.search_excerpt);
END;

INSERT INTO posts_fts (posts_fts) VALUES ('rebuild');

DROP VIEW pings;
-- As in 0004, with blog_name decoded.
CREATE VIEW pings AS
SELECT c.id            AS comment_id,
       c.wp_id         AS comment_wp_id,
       p.site_id,
       p.id            AS post_id,
       p.wp_id         AS post_wp_id,
       p.title         AS post_title,
       p.link          AS post_link,
       c.kind,
       c.status,
       c.ping_title,
       CASE c.kind WHEN 'trackback' THEN coalesce(c.ping_blog_name, c.author) END AS blog_name,
       c.ping_url,
       c.ping_domain,
       c.ping_excerpt,
       c.date_at,
       c.date_raw
FROM comments c
JOIN posts p ON p.id = c.post_id
WHERE c.kind IN ('trackback', 'pingback');
