-- 0005: posts' excerpts are indexed with the same CJK preparation as their
-- titles and text; the pings view gives a trackback's blog name with its
-- HTML entities decoded; and the views comment_threads and
-- commenter_activity hide an e-mail or IP address typed as a commenter's
-- name or URL, as `wparchive show` does.
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

-- A commenter's name or URL can be their e-mail address (typed into the
-- name field, or a mailto: URL) or hold their IP address: the views made
-- for reading show "(e-mail hidden)" and "(IP hidden)" there instead, as
-- `wparchive show` and `search` do. The comments and commenters tables
-- keep the values as exported. Otherwise as in 0004.
DROP VIEW comment_threads;
CREATE VIEW comment_threads AS
WITH RECURSIVE t(id, root_id, level, sort_key) AS (
    SELECT c.id, c.id, 0,
           printf('%-20s|%-19s|%012d|%012d', coalesce(c.date_at, ''), coalesce(c.date_raw, ''), coalesce(c.wp_id, 0), c.id)
    FROM comments c
    WHERE c.parent_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM comments q WHERE q.id = c.parent_id AND q.post_id = c.post_id)
    UNION ALL
    SELECT c.id, t.root_id, t.level + 1,
           t.sort_key || '/' || printf('%-20s|%-19s|%012d|%012d', coalesce(c.date_at, ''), coalesce(c.date_raw, ''), coalesce(c.wp_id, 0), c.id)
    FROM comments c
    JOIN t ON c.parent_id = t.id
    WHERE t.level < 10000 AND c.id != t.id
)
SELECT c.post_id,
       t.id      AS comment_id,
       c.wp_id   AS comment_wp_id,
       t.root_id,
       t.level,
       t.sort_key,
       c.parent_wp_id,
       c.orphan,
       c.kind,
       c.status,
       CASE WHEN c.kind IN ('trackback', 'pingback') THEN c.author
            WHEN c.author LIKE '%_@_%._%' THEN '(e-mail hidden)'
            WHEN coalesce(c.author_ip, '') != '' AND instr(c.author, c.author_ip) > 0
                 THEN replace(c.author, c.author_ip, '(IP hidden)')
            ELSE c.author END AS author,
       c.provider,
       c.commenter_id,
       c.date_at,
       c.date_raw,
       c.content
FROM t
JOIN comments c ON c.id = t.id;

DROP VIEW commenter_activity;
CREATE VIEW commenter_activity AS
SELECT cm.id AS commenter_id,
       cm.site_id,
       cm.provider,
       CASE WHEN cm.name LIKE '%_@_%._%' THEN '(e-mail hidden)' ELSE cm.name END AS name,
       CASE WHEN cm.url LIKE '%_@_%._%' THEN '(e-mail hidden)' ELSE cm.url END AS url,
       cm.foreign_user_id,
       cm.user_id,
       count(c.id)                  AS comments,
       count(DISTINCT c.post_id)    AS posts,
       min(c.date_at)               AS first_at,
       max(c.date_at)               AS last_at,
       sum(c.status = 'approved')   AS approved
FROM commenters cm
LEFT JOIN comments c ON c.commenter_id = cm.id
GROUP BY cm.id;
